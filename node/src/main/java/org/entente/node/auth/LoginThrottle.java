package org.entente.node.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.entente.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed logins per key (remote address, user name) in a sliding window and locks a key out
 * once it reaches the limit, so that passwords cannot be guessed at HTTP speed.
 *
 * <p>With a store, failures are also recorded there and counted across every process sharing it
 * (several processes behind a load balancer share one limit): each failure is written, and the
 * key's failures from all processes are read back, so a key locked out by failures elsewhere is
 * locked here at its next failure. Checks stay in memory; only failures (and the first success
 * after them) touch the store.
 */
public final class LoginThrottle {
  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final Store shared;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  /** A throttle for this process alone. */
  public LoginThrottle(int maxFailures, Duration window, Clock clock) {
    this(maxFailures, window, clock, null);
  }

  /**
   * @param shared where failures are counted across processes; null for this process alone
   */
  public LoginThrottle(int maxFailures, Duration window, Clock clock, Store shared) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
    this.shared = shared;
  }

  /** How long the key must still wait, or {@link Duration#ZERO} when it may try. */
  public Duration retryAfter(String key) {
    Deque<Instant> q = failures.get(key);
    if (q == null) {
      return Duration.ZERO;
    }
    synchronized (q) {
      prune(q);
      if (q.size() < maxFailures) {
        return Duration.ZERO;
      }
      return Duration.between(clock.instant(), q.peekFirst().plus(window));
    }
  }

  public void recordFailure(String key) {
    Instant now = clock.instant();
    List<Instant> everywhere = shared == null ? null : recordShared(key, now);
    Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (q) {
      if (everywhere != null && everywhere.size() > q.size() + 1) {
        q.clear();
        q.addAll(everywhere); // includes this one
      } else {
        q.addLast(now);
      }
      prune(q);
    }
    if (failures.size() > 100_000) {
      failures.entrySet().removeIf(e -> isStale(e.getValue())); // bounded memory under attack
    }
  }

  public void recordSuccess(String key) {
    if (failures.remove(key) != null && shared != null) {
      try {
        shared.write(
            tx -> {
              tx.clearLoginFailures(key);
              return null;
            });
      } catch (RuntimeException e) {
        LOG.warn("failed logins could not be cleared in the store: {}", e.getMessage());
      }
    }
  }

  /** Records the failure in the store; the key's failures there within the window, or null. */
  private List<Instant> recordShared(String key, Instant now) {
    try {
      shared.write(
          tx -> {
            tx.recordLoginFailure(key, now);
            return null;
          });
      return shared.loginFailures(key, now.minus(window));
    } catch (RuntimeException e) {
      // The store is unreachable: this process still counts on its own.
      LOG.warn("a failed login could not be recorded in the store: {}", e.getMessage());
      return null;
    }
  }

  private boolean isStale(Deque<Instant> q) {
    synchronized (q) {
      prune(q);
      return q.isEmpty();
    }
  }

  private void prune(Deque<Instant> q) {
    Instant cutoff = clock.instant().minus(window);
    while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) {
      q.removeFirst();
    }
  }
}
