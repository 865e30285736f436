package org.entente.taxii.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * A TAXII exchange failed. As this class: the server answered with an error status, carried here
 * with its error resource and, when the server sent one, its {@code Retry-After} delay. The
 * subclasses mark the other ways an exchange fails, so that callers catch one type:
 *
 * <ul>
 *   <li>{@link TaxiiTransportException}: no answer at all (connection refused or reset, TLS
 *       handshake failure, timeout); {@link #httpStatus()} is 0 and the exchange is retryable.
 *   <li>{@link TaxiiProtocolException}: an answer that is not TAXII 2.1 (wrong media type, no or
 *       invalid JSON, body above the client's size cap).
 * </ul>
 */
public class TaxiiClientException extends RuntimeException {
  private final int httpStatus;
  private final transient JsonNode error;
  private final Duration retryAfter;

  public TaxiiClientException(int httpStatus, JsonNode error, String message) {
    this(httpStatus, error, message, null, null);
  }

  /**
   * @param retryAfter the server's {@code Retry-After} delay, or null when it sent none
   */
  public TaxiiClientException(int httpStatus, JsonNode error, String message, Duration retryAfter) {
    this(httpStatus, error, message, retryAfter, null);
  }

  TaxiiClientException(
      int httpStatus, JsonNode error, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.error = error;
    this.retryAfter = retryAfter;
  }

  /** The HTTP status of the answer; 0 when there was none ({@link TaxiiTransportException}). */
  public int httpStatus() {
    return httpStatus;
  }

  /** The TAXII error resource, or null when the body was not one. */
  public JsonNode error() {
    return error;
  }

  /**
   * How long the server asked the client to wait before trying again (its {@code Retry-After}
   * header, typically on 429 and 503), or empty when it gave no readable value. An HTTP-date is
   * turned into a delay from the server's {@code Date} header (else from this machine's clock); a
   * date already past gives {@link Duration#ZERO}.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Whether the same request may succeed later unchanged: true for 429 (Too Many Requests), 502,
   * 503 and 504, and for transport failures; false for every other answer (a 4xx means the request
   * itself must change; a protocol violation will not go away by asking again).
   */
  public boolean retryable() {
    return switch (httpStatus) {
      case 429, 502, 503, 504 -> true;
      default -> false;
    };
  }
}
