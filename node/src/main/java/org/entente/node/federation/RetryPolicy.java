package org.entente.node.federation;

import java.time.Duration;
import java.util.function.Supplier;
import org.entente.taxii.client.TaxiiClientException;

/**
 * Retries a request to a peer inside one sync when the failure says a retry may work (429, 502,
 * 503, 504, no answer): after the peer's Retry-After when it gives one, else after an exponential
 * pause. A Retry-After longer than {@code maxPause} ends the sync instead; the schedule then comes
 * back at that time.
 */
record RetryPolicy(int attempts, Duration firstPause, Duration maxPause) {
  static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(20));

  <T> T call(Supplier<T> request) {
    return call(request, () -> {});
  }

  /** {@link #call(Supplier)}, running {@code afterPause} after each pause (e.g. renew a lease). */
  <T> T call(Supplier<T> request, Runnable afterPause) {
    Duration pause = firstPause;
    for (int attempt = 1; ; attempt++) {
      try {
        return request.get();
      } catch (TaxiiClientException e) {
        Duration wait = e.retryAfter().orElse(pause);
        if (!e.retryable() || attempt >= attempts || wait.compareTo(maxPause) > 0) {
          throw e;
        }
        sleep(wait);
        afterPause.run();
        pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederationException("interrupted while waiting to retry", e);
    }
  }
}
