package org.entente.taxii.server;

import java.time.Duration;
import java.util.Objects;

/** The client failed authentication too often; answered with 429 and {@code Retry-After}. */
public class TooManyAttemptsException extends RuntimeException {
  private final Duration retryAfter;

  public TooManyAttemptsException(Duration retryAfter) {
    super("too many authentication attempts");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
