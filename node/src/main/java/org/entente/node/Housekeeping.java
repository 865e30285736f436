package org.entente.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.entente.store.StatusRecord;
import org.entente.store.StatusRecord.Detail;
import org.entente.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's periodic clean-up (statuses, failed logins), done by the leading process only. */
final class Housekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  /** TAXII asks that statuses be kept at least 24 hours; we keep them for two days. */
  static final Duration STATUS_LIFETIME = Duration.ofHours(48);

  /** Longer than any login throttle's window. */
  static final Duration LOGIN_FAILURE_LIFETIME = Duration.ofHours(1);

  /**
   * A status still pending this long after its request will never complete: its objects are
   * committed with the final status or not at all, and no commit waits this long (the ingest queue
   * is bounded and a writer gives up waiting for a lock after a minute). Its process died or gave
   * the request up.
   */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

  static final String ABANDONED_MESSAGE =
      "the server stopped before storing this object; nothing was stored, submit it again";

  private final Store store;
  private final Leadership leadership;
  private final Clock clock;

  Housekeeping(Store store, Leadership leadership, Clock clock) {
    this.store = store;
    this.leadership = leadership;
    this.clock = clock;
  }

  /** Renews the leadership, then does what is due if this process leads. Never throws. */
  void run() {
    try {
      leadership.renew();
      if (leadership.leading()) {
        settleAbandonedStatuses();
      }
    } catch (RuntimeException e) {
      LOG.warn("housekeeping failed", e);
    }
  }

  void expireStatuses() {
    if (!leadership.leading()) {
      return;
    }
    try {
      int n = store.write(tx -> tx.expireStatuses(clock.instant().minus(STATUS_LIFETIME)));
      if (n > 0) {
        LOG.info("expired {} status resources", n);
      }
      store.write(tx -> tx.expireLoginFailures(clock.instant().minus(LOGIN_FAILURE_LIFETIME)));
    } catch (RuntimeException e) {
      LOG.warn("status expiry failed", e);
    }
  }

  /**
   * Reports the pending objects of abandoned statuses as failures (their process's lease lapsed, or
   * they are older than {@link #ABANDONED_AFTER}); returns how many statuses.
   */
  int settleAbandonedStatuses() {
    Instant now = clock.instant();
    int settled = 0;
    for (StatusRecord s : store.abandonedStatuses(now, now.minus(ABANDONED_AFTER), 1_000)) {
      List<Detail> failures = new ArrayList<>(s.failures());
      s.pendings().forEach(p -> failures.add(new Detail(p.id(), p.version(), ABANDONED_MESSAGE)));
      StatusRecord failed =
          new StatusRecord(
              s.id(),
              s.apiRoot(),
              s.owner(),
              s.requestTimestamp(),
              s.totalCount(),
              s.successes(),
              failures,
              List.of());
      // Only while still pending: a commit that did land has saved the true outcome.
      if (store.write(tx -> tx.replacePendingStatus(failed))) {
        settled++;
      }
    }
    if (settled > 0) {
      LOG.warn("{} abandoned pending statuses reported as failed", settled);
    }
    return settled;
  }
}
