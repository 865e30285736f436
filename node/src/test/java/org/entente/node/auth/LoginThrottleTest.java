package org.entente.node.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.entente.store.Store;
import org.entente.store.TestBackend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failed logins count against one limit across the processes of a node: two throttles, each with
 * its own store on one database, stand for two processes behind a load balancer.
 */
class LoginThrottleTest {
  private static final Duration WINDOW = Duration.ofMinutes(5);

  @TempDir Path dir;

  @ParameterizedTest(name = "on {0}")
  @EnumSource(TestBackend.class)
  void failuresSpreadOverProcessesLockTheKeyEverywhere(TestBackend backend) {
    Instant t = Instant.parse("2026-11-28T10:00:00Z");
    Clock clock = Clock.fixed(t, ZoneOffset.UTC);
    try (Store one = backend.open(dir);
        Store two = backend.open(dir)) {
      LoginThrottle a = new LoginThrottle(10, WINDOW, clock, one);
      LoginThrottle b = new LoginThrottle(10, WINDOW, clock, two);
      for (int i = 0; i < 5; i++) {
        assertThat(a.retryAfter("user:eve")).isZero();
        a.recordFailure("user:eve");
      }
      for (int i = 0; i < 5; i++) {
        assertThat(b.retryAfter("user:eve")).as("attempt %d on b", i).isZero();
        b.recordFailure("user:eve");
      }
      // Ten failures in all: b, which saw the last of them, is locked at once.
      assertThat(b.retryAfter("user:eve")).isEqualTo(WINDOW);
      // a learns at its next failure: one attempt more per process, never ten.
      assertThat(a.retryAfter("user:eve")).isZero();
      a.recordFailure("user:eve");
      assertThat(a.retryAfter("user:eve")).isEqualTo(WINDOW);
      // Other keys are untouched.
      assertThat(a.retryAfter("user:alice")).isZero();
      assertThat(one.loginFailures("user:eve", t.minus(WINDOW))).hasSize(11);
    } finally {
      backend.discard(dir);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(TestBackend.class)
  void aSuccessClearsTheKeysFailuresForEveryProcessAndOldOnesExpire(TestBackend backend) {
    Instant t = Instant.parse("2026-11-28T10:00:00Z");
    Clock clock = Clock.fixed(t, ZoneOffset.UTC);
    try (Store one = backend.open(dir);
        Store two = backend.open(dir)) {
      LoginThrottle a = new LoginThrottle(3, WINDOW, clock, one);
      LoginThrottle b = new LoginThrottle(3, WINDOW, clock, two);
      a.recordFailure("user:bob");
      a.recordFailure("user:bob");
      a.recordSuccess("user:bob");
      b.recordFailure("user:bob");
      b.recordFailure("user:bob");
      assertThat(b.retryAfter("user:bob")).as("a's failures were forgiven").isZero();

      // Failures from before the window do not count; housekeeping deletes them.
      LoginThrottle later =
          new LoginThrottle(
              3, WINDOW, Clock.fixed(t.plus(WINDOW).plusSeconds(1), ZoneOffset.UTC), one);
      later.recordFailure("user:bob");
      assertThat(later.retryAfter("user:bob")).isZero();
      int expired = one.write(tx -> tx.expireLoginFailures(t.plusSeconds(1)));
      assertThat(expired).isEqualTo(2);
      assertThat(one.loginFailures("user:bob", Instant.EPOCH)).hasSize(1);
    } finally {
      backend.discard(dir);
    }
  }
}
