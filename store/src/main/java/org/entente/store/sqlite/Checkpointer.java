package org.entente.store.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on its own thread and connection, so that commits
 * never wait for it (the writer runs with {@code wal_autocheckpoint=0}). Durability does not depend
 * on checkpoints: a commit is durable once its WAL frames are fsynced.
 *
 * <p>After a commit it waits a little, so that one checkpoint copies many commits' pages (a page
 * changed by several commits is copied once), then runs a PASSIVE checkpoint, which never blocks
 * the writer or readers, and syncs the database file itself (SQLite syncs it only after copying the
 * whole WAL, see below, so the copies would otherwise pile up unsynced).
 *
 * <p>SQLite starts the WAL over only if, when a write transaction begins, all of it has been
 * copied; under steady commits a checkpoint running beside the writer is never that far. So once
 * the WAL passes {@code restartFrames}, the checkpointer takes the store's write lock (commits wait
 * while it copies what the last commit added) and runs a RESTART checkpoint, which also waits for
 * readers still using the WAL; the next commit then writes from the start of the WAL again.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  private final Connection connection;
  private final FileChannel database;
  private final Lock writeLock;
  private final long delayNanos;
  private final int restartFrames;
  private final Thread thread;
  private boolean requested;
  private boolean closed;
  // Used by the checkpoint thread only.
  private boolean restarted;

  /**
   * @param connection a read-write connection of its own, used only by this thread
   * @param databaseFile the database file (synced after each checkpoint)
   * @param writeLock the lock every write transaction of the store holds
   * @param delayMillis how long after a commit to checkpoint
   * @param restartFrames WAL size (frames) beyond which a RESTART checkpoint bounds it
   */
  Checkpointer(
      Connection connection, Path databaseFile, Lock writeLock, long delayMillis, int restartFrames)
      throws IOException {
    this.connection = connection;
    this.database = FileChannel.open(databaseFile, StandardOpenOption.READ);
    this.writeLock = writeLock;
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    this.restartFrames = restartFrames;
    this.thread = new Thread(this::run, "entente-sqlite-checkpoint");
    thread.setDaemon(true);
    thread.start();
  }

  /** Called after each commit; cheap. */
  synchronized void committed() {
    if (!requested) {
      requested = true;
      notifyAll();
    }
  }

  private void run() {
    while (awaitRequest()) {
      try {
        Progress p = checkpoint("PASSIVE");
        // Else the RESTART below would sync hundreds of MB while holding commits off.
        database.force(false);
        if (p.frames() < restartFrames) {
          restarted = false;
        } else if (!restarted) {
          // The WAL header still counts the old frames until the next commit starts over.
          restarted = restart();
        }
      } catch (SQLException | IOException e) {
        // Not fatal: the WAL keeps everything; the next commit asks again.
        log.warn("WAL checkpoint failed: {}", e.toString());
      }
    }
  }

  /** Waits for a commit, then for the delay; false once closed. */
  private synchronized boolean awaitRequest() {
    try {
      while (!requested && !closed) {
        wait();
      }
      long until = System.nanoTime() + delayNanos;
      long left;
      while (!closed && (left = until - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      closed = true;
    }
    requested = false;
    return !closed;
  }

  /**
   * A RESTART checkpoint with commits held off (it copies what the last commit added, about 0.1 s
   * after a 5,000-object group commit); false if it could not finish or the store is closing.
   */
  private boolean restart() throws SQLException {
    try {
      while (!writeLock.tryLock(100, TimeUnit.MILLISECONDS)) {
        if (isClosed()) {
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      return checkpoint("RESTART").busy() == 0;
    } finally {
      writeLock.unlock();
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * What a checkpoint reported: whether it could not finish (another connection in the way) and the
   * frames in the WAL.
   */
  private record Progress(int busy, int frames) {}

  private Progress checkpoint(String mode) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
      return rs.next() ? new Progress(rs.getInt(1), rs.getInt(2)) : new Progress(0, 0);
    }
  }

  /** Stops the thread (after a running checkpoint) and closes the connection. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try {
      connection.close();
      database.close();
    } catch (SQLException | IOException e) {
      log.warn("closing the checkpoint connection failed: {}", e.toString());
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
