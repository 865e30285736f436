package org.entente.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.entente.store.StoreException;
import org.sqlite.SQLiteConfig;

/**
 * Read-only connections, each keeping its prepared statements across borrowings: preparing costs
 * more than running most of the store's reads. Opened on demand up to the pool size; a borrower
 * waits (bounded) when all are busy.
 */
final class ReaderPool implements AutoCloseable {
  /** Statements kept per connection; page queries vary in shape with their filters. */
  private static final int STATEMENTS_PER_READER = 64;

  private final String url;
  private final SQLiteConfig config;
  private final int size;
  private final long waitMillis;
  private final BlockingQueue<Reader> idle;
  private final List<Reader> all = new ArrayList<>();
  private boolean closed;

  /** One read-only connection and its statements; used by one thread at a time. */
  static final class Reader {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= STATEMENTS_PER_READER) {
              return false;
            }
            closeQuietly(eldest.getValue());
            return true;
          }
        };

    private Reader(Connection connection) {
      this.connection = connection;
    }

    /** A prepared statement for this SQL, prepared once per connection. */
    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      }
      return ps;
    }

    /** A statement used once (EXPLAIN and the like). */
    Connection connection() {
      return connection;
    }

    private void close() {
      statements.values().forEach(ReaderPool::closeQuietly);
      statements.clear();
      try {
        connection.close();
      } catch (SQLException e) {
        // Closing: nothing left to do with it.
      }
    }
  }

  ReaderPool(String url, SQLiteConfig config, int size, long waitMillis) {
    this.url = url;
    this.config = config;
    this.size = size;
    this.waitMillis = waitMillis;
    this.idle = new ArrayBlockingQueue<>(size);
  }

  /** Opens the first connection now, so that a broken database fails at open. */
  ReaderPool start() throws SQLException {
    giveBack(open());
    return this;
  }

  Reader borrow() throws SQLException {
    Reader r = idle.poll();
    if (r != null) {
      return r;
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the store is closed");
      }
      if (all.size() < size) {
        return open();
      }
    }
    try {
      r = idle.poll(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a read connection", e);
    }
    if (r == null) {
      throw new StoreException("no read connection became free within " + waitMillis + " ms");
    }
    return r;
  }

  /** Returns a borrowed reader; one whose statement failed is still fine to reuse. */
  void giveBack(Reader r) {
    synchronized (this) {
      if (closed) {
        r.close();
        return;
      }
    }
    idle.add(r);
  }

  private synchronized Reader open() throws SQLException {
    Reader r = new Reader(config.createConnection(url));
    all.add(r);
    return r;
  }

  /** Closes every connection; borrowed ones are closed when given back. */
  @Override
  public void close() {
    List<Reader> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.drainTo(toClose);
    }
    toClose.forEach(Reader::close);
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException e) {
      // Closing: nothing left to do with it.
    }
  }
}
