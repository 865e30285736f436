package org.entente.node.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per key (remote address, user name) in a sliding window and locks a key
 * out once it reaches the limit, so that passwords cannot be guessed at HTTP speed.
 */
public final class LoginThrottle {
  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  public LoginThrottle(int maxFailures, Duration window, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
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
    Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (q) {
      prune(q);
      q.addLast(clock.instant());
    }
    if (failures.size() > 100_000) {
      failures.entrySet().removeIf(e -> isStale(e.getValue())); // bounded memory under attack
    }
  }

  public void recordSuccess(String key) {
    failures.remove(key);
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
