package org.entente.taxii.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.entente.store.StatusRecord;
import org.entente.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the statuses of requests answered before their commit, so that a client polling through
 * another process of the node finds them (only this process's board knows them). Saved off the
 * request thread, which never waits for the store's write lock (the commit it waits for may hold it
 * for long), and only if the commit has not settled by then: the final status is saved with the
 * commit and always wins (the pending one is saved only if absent).
 */
final class PendingStatuses {
  private static final Logger log = LoggerFactory.getLogger(PendingStatuses.class);

  private final Store store;
  private final String holder;

  /** One thread at most, gone when idle; a full queue drops (this process still answers). */
  private final ThreadPoolExecutor thread =
      new ThreadPoolExecutor(
          0,
          1,
          5,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(10_000),
          r -> {
            Thread t = new Thread(r, "entente-pending-statuses");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param holder this process's name, saved with each status so that the node settles them if the
   *     process dies before their commit (null: settled only after a long time)
   */
  PendingStatuses(Store store, String holder) {
    this.store = store;
    this.holder = holder;
  }

  /**
   * Saves {@code pending} unless {@code settled} completes first; completes when done either way.
   */
  CompletableFuture<Void> publish(StatusRecord pending, CompletableFuture<?> settled) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            try {
              if (!settled.isDone()) { // else its status was saved with the commit, or it failed
                store.write(tx -> tx.saveStatusIfAbsent(pending, holder));
              }
            } catch (RuntimeException e) {
              log.warn("status {}: the pending status could not be saved", pending.id(), e);
            } finally {
              done.complete(null);
            }
          });
    } catch (RejectedExecutionException e) {
      log.warn("status {}: too many pending statuses to save; not saved", pending.id());
      done.complete(null);
    }
    return done;
  }

  /**
   * The commit failed after the pending status may have been saved: saves the failure in its place
   * (the other processes would otherwise answer "pending" until this process stops).
   */
  void failed(StatusRecord failed) {
    try {
      thread.execute(
          () -> {
            try {
              store.write(tx -> tx.replacePendingStatus(failed));
            } catch (RuntimeException e) {
              // The store is failing too: the node settles the status once this process is gone.
              log.warn(
                  "status {}: the failure could not be saved: {}", failed.id(), e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      log.warn("status {}: too many statuses to save; failure not saved", failed.id());
    }
  }
}
