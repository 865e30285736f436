package org.entente.store.sqlite;

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
 * the writer or readers. SQLite starts the WAL over only when a checkpoint has copied all of it,
 * which a PASSIVE one never does while commits keep coming. So once the WAL passes {@code
 * restartFrames}, the checkpointer takes the store's write lock (commits wait; the PASSIVE
 * checkpoint just before left little to copy) and runs a RESTART checkpoint, which also waits for
 * readers still using the WAL; the next commit then writes from the start of the WAL again.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  private final Connection connection;
  private final Lock writeLock;
  private final long delayNanos;
  private final int restartFrames;
  private final Thread thread;
  private boolean requested;
  private boolean closed;

  /**
   * @param connection a read-write connection of its own, used only by this thread
   * @param writeLock the lock every write transaction of the store holds
   * @param delayMillis how long after a commit to checkpoint
   * @param restartFrames WAL size (frames) beyond which a RESTART checkpoint bounds it
   */
  Checkpointer(Connection connection, Lock writeLock, long delayMillis, int restartFrames) {
    this.connection = connection;
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
        int frames = checkpoint("PASSIVE");
        if (frames >= restartFrames) {
          restart();
        }
      } catch (SQLException e) {
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

  /** A RESTART checkpoint with commits held off; gives up (until next time) on close. */
  private void restart() throws SQLException {
    try {
      while (!writeLock.tryLock(100, TimeUnit.MILLISECONDS)) {
        if (isClosed()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      checkpoint("RESTART");
    } finally {
      writeLock.unlock();
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** Runs a checkpoint; returns the number of frames in the WAL. */
  private int checkpoint(String mode) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
      return rs.next() ? rs.getInt(2) : 0;
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
    } catch (SQLException e) {
      log.warn("closing the checkpoint connection failed: {}", e.toString());
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
