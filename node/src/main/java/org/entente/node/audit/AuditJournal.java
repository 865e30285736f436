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
 * the store's append-only log in batches by one background thread (within milliseconds when the
 * store keeps up), so that an audited read costs the request no disk write. Administrative changes
 * do not come through here: they append their event in the same transaction as the change.
 */
public final class AuditJournal implements AuditTrail, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);
  static final Duration FLUSH_EVERY = Duration.ofMillis(200);
  private static final int BATCH = 2_000;

  private final Store store;
  private final Clock clock;
  private final BlockingQueue<AuditEvent> queue;
  private final Thread flusher;
  private final AtomicLong dropped = new AtomicLong();
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
      if (!queue.offer(e, 1, TimeUnit.SECONDS)) {
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

  /** Appends everything queued so far; returns once it is in the store. */
  public void flush() {
    List<AuditEvent> batch = new ArrayList<>();
    synchronized (this) {
      while (queue.drainTo(batch, BATCH) > 0) {
        append(batch);
        batch.clear();
      }
    }
  }

  private void run() {
    while (!closing) {
      try {
        AuditEvent first = queue.poll(FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        // Events queued while the previous batch was being written go in together.
        List<AuditEvent> batch = new ArrayList<>();
        batch.add(first);
        synchronized (this) {
          queue.drainTo(batch, BATCH - 1);
          append(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("appending to the audit log failed", e);
      }
    }
  }

  private void append(List<AuditEvent> batch) {
    if (!batch.isEmpty()) {
      store.write(tx -> tx.appendAudit(batch));
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
