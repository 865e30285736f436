package org.entente.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.entente.store.Store;
import org.entente.store.WriteTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which process of a node does the work done once per node (matching observations, housekeeping):
 * the holder of the lease {@value #LEASE}, renewed well within its term. A process that dies or
 * loses the database stops counting as leader when its term runs out, and another one takes over.
 * The lease lives in the store, so this works the same for several processes on one PostgreSQL
 * database and for a node and the command-line tools on one SQLite file.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  static final String LEASE = "node:leader";

  /** How long a lease holds without renewal. */
  static final Duration TERM = Duration.ofSeconds(30);

  /** How long before the end of its term a holder stops acting as leader. */
  private static final Duration MARGIN = Duration.ofSeconds(10);

  private final Store store;
  private final Clock clock;
  private final String owner = ProcessHandle.current().pid() + "-" + UUID.randomUUID();
  private volatile Instant heldUntil = Instant.EPOCH;
  private volatile boolean closed;

  public Leadership(Store store, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
  }

  /** This process's name among the node's processes (its {@link Store#processLease}). */
  public String process() {
    return owner;
  }

  /**
   * Renews this process's lease (it is alive: the pending statuses it saved will be settled by it)
   * and takes or renews the leader's; called every few seconds (well within {@link #TERM}).
   */
  public void renew() {
    if (closed) {
      return;
    }
    boolean wasLeading = leading();
    try {
      Instant now = clock.instant();
      boolean held =
          store.write(
              tx -> {
                tx.lease(Store.processLease(owner), owner, now, now.plus(TERM));
                return tx.lease(LEASE, owner, now, now.plus(TERM));
              });
      heldUntil = held ? now.plus(TERM) : Instant.EPOCH;
    } catch (RuntimeException e) {
      // The database is unreachable: lead on until the term ends, then nobody leads.
      LOG.warn("leadership: the lease could not be renewed: {}", e.getMessage());
    }
    boolean leading = leading();
    if (leading != wasLeading) {
      LOG.info(
          "leadership: this process {} the node's background work",
          leading ? "now does" : "no longer does");
    }
  }

  /** Whether this process should do the node's once-per-node work now. */
  public boolean leading() {
    return !closed && clock.instant().isBefore(heldUntil.minus(MARGIN));
  }

  /**
   * Renews the lease inside a transaction that does leader-only work, so the work commits only if
   * this process still holds the lease at commit time (a paused former leader cannot).
   *
   * @throws LeadershipLostException if another process holds the lease
   */
  public void fence(WriteTransaction tx) {
    Instant now = clock.instant();
    if (!tx.lease(LEASE, owner, now, now.plus(TERM))) {
      heldUntil = Instant.EPOCH;
      throw new LeadershipLostException();
    }
  }

  /** Another process leads the node now. */
  public static final class LeadershipLostException extends RuntimeException {
    LeadershipLostException() {
      super("another process of the node took over its background work");
    }
  }

  /**
   * Gives the leases up: another process takes the node's work over at once instead of after the
   * term. Called after this process's requests have finished.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      store.write(
          tx -> {
            tx.releaseLease(LEASE, owner);
            tx.releaseLease(Store.processLease(owner), owner);
            return null;
          });
    } catch (RuntimeException e) {
      LOG.warn("leadership: the leases could not be released: {}", e.getMessage());
    }
  }
}
