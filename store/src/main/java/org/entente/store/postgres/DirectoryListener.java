package org.entente.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the store when another process changed the directory (users, tokens, grants, collections,
 * ...), so that its {@code DirectoryCache} is dropped within milliseconds: every transaction that
 * changes the directory bumps the {@code directory} counter and sends {@code NOTIFY} on {@link
 * #CHANNEL}, which PostgreSQL delivers when (and only if) it commits.
 *
 * <p>One connection of its own LISTENs; a thread waits for notifications. A notification can only
 * be missed while the connection is down, so every (re)connection drops the cache once LISTEN is in
 * place; and every {@link #CHECK_MILLIS} the counter is compared as well, which also finds a
 * connection that died silently.
 */
final class DirectoryListener implements AutoCloseable {
  static final String CHANNEL = "entente_directory";

  private static final Logger log = LoggerFactory.getLogger(DirectoryListener.class);
  private static final int WAIT_MILLIS = 1_000;
  private static final long CHECK_MILLIS = 5_000;
  private static final long RETRY_MILLIS = 1_000;

  /** Opens a new (unpooled) connection. */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private final Runnable invalidate;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;
  private long lastCounter;

  /** Starts listening; the first connection is made here, so a broken database fails now. */
  DirectoryListener(Connector connector, Runnable invalidate, String name) throws SQLException {
    this.connector = connector;
    this.invalidate = invalidate;
    this.connection = listen();
    this.thread = new Thread(this::run, "entente-directory-listener " + name);
    thread.setDaemon(true);
    thread.start();
  }

  private Connection listen() throws SQLException {
    Connection c = connector.connect();
    try {
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + CHANNEL);
      }
      lastCounter = counter(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static long counter(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT value FROM store_counter WHERE name = 'directory'");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private void run() {
    long lastCheck = System.nanoTime();
    while (!closed) {
      try {
        Connection c = connection;
        if (c == null) {
          c = listen();
          connection = c;
          // Changes committed while nobody listened went unannounced.
          invalidate.run();
        }
        PGNotification[] notifications = c.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
        if (notifications != null && notifications.length > 0) {
          invalidate.run();
        }
        if (System.nanoTime() - lastCheck > TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS)) {
          lastCheck = System.nanoTime();
          long now = counter(c);
          if (now != lastCounter) {
            lastCounter = now;
            invalidate.run();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("directory change listener lost its connection; reconnecting: {}", e.toString());
        invalidate.run();
        Connection broken = connection;
        connection = null;
        if (broken != null) {
          try {
            broken.close();
          } catch (SQLException ignored) {
            // It is broken anyway.
          }
        }
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection c = connection;
    if (c != null) {
      try {
        // abort, not close: it does not wait for the thread blocked reading the socket.
        c.abort(Runnable::run);
      } catch (SQLException e) {
        // Closing anyway.
      }
    }
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
