package org.entente.node.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.entente.store.AuditEvent;
import org.entente.store.Store;
import org.entente.taxii.server.AuditTrail;
import org.entente.taxii.server.Requester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's audit trail for TAXII requests: events are queued by request threads and appended to
 * the store's append-only log in batches by one background thread, within {@link #LINGER} when the
 * store keeps up, so that an audited read costs the request no disk write. A crash can lose the
 * events of the last {@link #LINGER} (reads, deletes); changes made through {@code Administration}
 * and add-objects requests cannot be lost that way: their event is committed with the change.
 * Administrative changes do not come through here: they append their event in the same transaction
 * as the change.
 */
public final class AuditJournal implements AuditTrail, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);

  /** How long the first event of a batch waits for others. */
  static final Duration LINGER = Duration.ofMillis(50);

  private static final int BATCH = 2_000;

  private final Store store;
  private final Clock clock;
  private final BlockingQueue<AuditEvent> queue;
  private final Thread flusher;
  private final AtomicLong dropped = new AtomicLong();

  /** Events queued, and events handed to the store (appended or failed), since start. */
  private final AtomicLong queued = new AtomicLong();

  private long handled;
  private volatile boolean closing;

  public AuditJournal(Store store, Clock clock, int capacity) {
    this.store = store;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.flusher = new Thread(this::run, "entente-audit");
    flusher.setDaemon(true);
    flusher.start();
  }

  @Override
  public void record(
      Requester requester, String address, String action, String target, String detail) {
    AuditEvent e =
        AuditEvent.of(
            clock.instant(),
            requester.user(),
            requester.organisation(),
            address,
            action,
            target,
            detail);
    try {
      // A full queue means the store is not keeping up: slow the requester down rather than
      // lose the record, but never hang a request on it.
      if (queue.offer(e, 1, TimeUnit.SECONDS)) {
        queued.incrementAndGet();
      } else {
        dropped.incrementAndGet();
        LOG.error("audit queue full: dropped {} {} by {}", action, target, requester.user());
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  /** Events that could not be queued since start (a full queue for over a second). */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Waits until everything queued so far is in the store (or 10 s passed). The background thread
   * alone appends, so the log's order is the order of the events: a flush that appended what it
   * drained could overtake a batch that thread had already taken.
   */
  public void flush() {
    long target = queued.get();
    synchronized (this) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (handled < target && System.nanoTime() < deadline) {
        try {
          wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void run() {
    while (!closing) {
      List<AuditEvent> batch = new ArrayList<>();
      try {
        AuditEvent first = queue.poll(LINGER.toMillis() * 4, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // Gather for a moment: one commit (a synchronous disk write) per batch, not per read.
        long deadline = System.nanoTime() + LINGER.toNanos();
        while (batch.size() < BATCH) {
          long wait = deadline - System.nanoTime();
          AuditEvent next = wait <= 0 ? null : queue.poll(wait, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
          queue.drainTo(batch, BATCH - batch.size());
        }
      } catch (InterruptedException e) {
        closing = true; // close() appends the rest
      }
      try {
        synchronized (this) {
          append(batch);
        }
      } catch (RuntimeException e) {
        LOG.error("appending {} events to the audit log failed", batch.size(), e);
      }
    }
  }

  /** Called holding this object's monitor. */
  private void append(List<AuditEvent> batch) {
    try {
      if (!batch.isEmpty()) {
        store.write(tx -> tx.appendAudit(batch));
      }
    } finally {
      handled += batch.size();
      notifyAll();
    }
  }

  /** Stops the background thread and appends what is still queued. */
  @Override
  public void close() {
    closing = true;
    flusher.interrupt();
    try {
      flusher.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
