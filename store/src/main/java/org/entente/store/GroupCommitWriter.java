package org.entente.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of a node: queues object submissions and commits them in groups, one durable
 * transaction for many submissions, reporting each submission only after its commit.
 *
 * <p>Each submission's final status is saved in the same transaction as its objects, so a status
 * that says "success" is never visible before the objects are durable. A full queue refuses new
 * submissions with {@link IngestBacklogException} instead of dropping anything. A failing group is
 * retried one submission at a time, so one bad submission fails alone; when the database is
 * unavailable, the group and everything queued behind it fail at once ({@link
 * StoreUnavailableException}), and the writer carries on with what is submitted afterwards.
 *
 * <p>Futures are completed on a pool thread, not the writer thread, so callers' dependent stages
 * cannot stall ingest. Commit listeners do run on the writer thread, in commit order: they must be
 * quick or hand off.
 */
public final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final Store store;
  private final int maxQueuedObjects;
  private final int maxBatchObjects;
  private final Executor completions;
  private final List<Consumer<List<CommittedWrite>>> listeners = new CopyOnWriteArrayList<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private final ArrayDeque<Submission> queue = new ArrayDeque<>();
  // Objects accepted and not yet committed (queued or in the running transaction).
  private int pendingObjects;
  private boolean closing;
  private final Thread thread;

  private record Submission(
      List<ObjectWrite> writes,
      Function<List<WriteOutcome>, StatusRecord> finalStatus,
      Function<StatusRecord, AuditEvent> auditOf,
      BiConsumer<WriteTransaction, List<WriteOutcome>> alsoInTransaction,
      CompletableFuture<List<WriteOutcome>> future,
      AtomicBoolean settled) {

    /** Its share of the queue capacity; an empty submission still costs one. */
    int weight() {
      return Math.max(1, writes.size());
    }
  }

  /**
   * Starts the writer thread.
   *
   * @param maxQueuedObjects objects accepted but not yet committed beyond which submit refuses
   * @param maxBatchObjects objects per transaction (a larger single submission is committed alone)
   */
  public GroupCommitWriter(Store store, int maxQueuedObjects, int maxBatchObjects) {
    this(store, maxQueuedObjects, maxBatchObjects, ForkJoinPool.commonPool());
  }

  /** As above, completing futures on the given executor. */
  public GroupCommitWriter(
      Store store, int maxQueuedObjects, int maxBatchObjects, Executor completions) {
    if (maxQueuedObjects < 1 || maxBatchObjects < 1) {
      throw new IllegalArgumentException("queue and batch sizes must be positive");
    }
    this.store = Objects.requireNonNull(store, "store");
    this.completions = Objects.requireNonNull(completions, "completions");
    this.maxQueuedObjects = maxQueuedObjects;
    this.maxBatchObjects = maxBatchObjects;
    this.thread = new Thread(this::run, "entente-group-commit");
    // A daemon: an unclean exit loses only uncommitted work, whose callers were never told
    // it succeeded.
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues writes to commit together with their final status.
   *
   * @param finalStatus builds the submission's status from the outcomes (in the order of {@code
   *     writes}); it is saved in the same transaction. It may return null to save none.
   * @return completes with the outcomes once they are durably committed, or exceptionally if the
   *     submission could not be committed (its status is then not saved; the caller records the
   *     failure)
   * @throws IngestBacklogException when the queue cannot take this many objects now
   * @throws IllegalArgumentException when the submission alone exceeds the queue capacity
   * @throws IllegalStateException after {@link #close()}
   */
  public CompletableFuture<List<WriteOutcome>> submit(
      List<ObjectWrite> writes, Function<List<WriteOutcome>, StatusRecord> finalStatus) {
    return submit(writes, finalStatus, status -> null);
  }

  /**
   * {@link #submit(List, Function)}, also appending the audit event {@code auditOf} makes of the
   * final status in the same transaction: the record of a write cannot be lost while the write is
   * kept. It may return null to append none.
   */
  public CompletableFuture<List<WriteOutcome>> submit(
      List<ObjectWrite> writes,
      Function<List<WriteOutcome>, StatusRecord> finalStatus,
      Function<StatusRecord, AuditEvent> auditOf) {
    return enqueue(
        new Submission(
            List.copyOf(writes),
            Objects.requireNonNull(finalStatus),
            Objects.requireNonNull(auditOf),
            (tx, outcomes) -> {},
            new CompletableFuture<>(),
            new AtomicBoolean()));
  }

  /**
   * Queues writes together with more work for the same transaction, given their outcomes: e.g. a
   * federation sync saving its position with the page it fetched, so that neither is kept without
   * the other. No status is saved.
   */
  public CompletableFuture<List<WriteOutcome>> submit(
      List<ObjectWrite> writes,
      BiConsumer<WriteTransaction, List<WriteOutcome>> alsoInTransaction) {
    return enqueue(
        new Submission(
            List.copyOf(writes),
            outcomes -> null,
            status -> null,
            Objects.requireNonNull(alsoInTransaction),
            new CompletableFuture<>(),
            new AtomicBoolean()));
  }

  private CompletableFuture<List<WriteOutcome>> enqueue(Submission s) {
    if (s.weight() > maxQueuedObjects) {
      throw new IllegalArgumentException(
          s.weight() + " objects exceed the ingest queue capacity of " + maxQueuedObjects);
    }
    lock.lock();
    try {
      if (closing) {
        throw new IllegalStateException("the writer is closed");
      }
      if (pendingObjects + s.weight() > maxQueuedObjects) {
        throw new IngestBacklogException(pendingObjects, maxQueuedObjects);
      }
      pendingObjects += s.weight();
      queue.add(s);
      queued.signal();
    } finally {
      lock.unlock();
    }
    return s.future();
  }

  /**
   * Calls {@code listener} on the writer thread after each commit with the writes it committed
   * (ADDED and DUPLICATE outcomes alike), in commit order. Exceptions it throws are logged.
   */
  public void addCommitListener(Consumer<List<CommittedWrite>> listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /** Objects accepted and not yet committed. */
  public int pendingObjects() {
    lock.lock();
    try {
      return pendingObjects;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new submissions, commits everything already queued, and stops the writer thread. Does
   * not close the store.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      queued.signalAll();
    } finally {
      lock.unlock();
    }
    if (Thread.currentThread() != thread) {
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- the writer thread ------------------------------------------------------------------

  private void run() {
    while (true) {
      List<Submission> batch = nextBatch();
      if (batch.isEmpty()) {
        return;
      }
      try {
        commit(batch);
      } catch (Throwable t) {
        // Never leave a caller waiting: whatever broke, its future completes.
        log.error("group commit failed unexpectedly", t);
        for (Submission s : batch) {
          fail(s, t);
        }
      }
    }
  }

  /** Blocks for work; takes queued submissions up to the batch size. Empty means stop. */
  private List<Submission> nextBatch() {
    lock.lock();
    try {
      while (queue.isEmpty() && !closing) {
        try {
          queued.await();
        } catch (InterruptedException e) {
          // Nobody but close() should stop this thread; treat an interrupt as a close.
          closing = true;
        }
      }
      List<Submission> batch = new ArrayList<>();
      int objects = 0;
      while (!queue.isEmpty()
          && (batch.isEmpty() || objects + queue.peek().writes().size() <= maxBatchObjects)) {
        Submission s = queue.poll();
        objects += s.writes().size();
        batch.add(s);
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void commit(List<Submission> batch) {
    List<List<WriteOutcome>> outcomes;
    try {
      outcomes = store.write(tx -> apply(tx, batch));
    } catch (StoreUnavailableException e) {
      // The database is down: retrying one by one would only make each caller wait again. Those
      // queued while this attempt waited would fail the same way after waiting as long: they
      // fail now, and callers retry once the database is back.
      List<Submission> waited = new ArrayList<>(batch);
      lock.lock();
      try {
        waited.addAll(queue);
        queue.clear();
      } finally {
        lock.unlock();
      }
      log.warn("{} ingest submissions failed: {}", waited.size(), e.getMessage());
      for (Submission s : waited) {
        fail(s, e);
      }
      return;
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        log.warn("an ingest submission failed: {}", e.toString());
        fail(batch.get(0), e);
        return;
      }
      log.warn(
          "a group of {} submissions failed ({}); committing them one by one",
          batch.size(),
          e.toString());
      for (Submission s : batch) {
        commit(List.of(s));
      }
      return;
    }
    // Listeners are optional: without one, nothing per object is built.
    List<Consumer<List<CommittedWrite>>> toCall = List.copyOf(listeners);
    boolean listened = !toCall.isEmpty();
    List<CommittedWrite> committed = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Submission s = batch.get(i);
      List<WriteOutcome> o = outcomes.get(i);
      for (int j = 0; listened && j < o.size(); j++) {
        committed.add(new CommittedWrite(s.writes().get(j), o.get(j)));
      }
      succeed(s, o);
    }
    for (Consumer<List<CommittedWrite>> listener : toCall) {
      try {
        listener.accept(List.copyOf(committed));
      } catch (RuntimeException e) {
        log.error("a commit listener failed", e);
      }
    }
  }

  private static List<List<WriteOutcome>> apply(WriteTransaction tx, List<Submission> batch) {
    List<List<WriteOutcome>> all = new ArrayList<>(batch.size());
    for (Submission s : batch) {
      List<WriteOutcome> result = List.copyOf(tx.putAll(s.writes()));
      s.alsoInTransaction().accept(tx, result);
      StatusRecord status = s.finalStatus().apply(result);
      if (status != null) {
        tx.saveStatus(status);
        AuditEvent event = s.auditOf().apply(status);
        if (event != null) {
          tx.appendAudit(List.of(event));
        }
      }
      all.add(result);
    }
    return all;
  }

  private void succeed(Submission s, List<WriteOutcome> outcomes) {
    settle(s, () -> s.future().complete(outcomes));
  }

  private void fail(Submission s, Throwable t) {
    settle(s, () -> s.future().completeExceptionally(t));
  }

  /** Frees the submission's queue share and completes its future, once. */
  private void settle(Submission s, Runnable completion) {
    if (!s.settled().compareAndSet(false, true)) {
      return;
    }
    lock.lock();
    try {
      pendingObjects -= s.weight();
    } finally {
      lock.unlock();
    }
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }
}
