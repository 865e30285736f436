package org.entente.taxii.server;

import java.time.Duration;
import java.util.Map;

/**
 * A request that ends in a TAXII error resource. Thrown anywhere in a handler and turned into a
 * response once, by {@link ErrorResponses}. Descriptions are written for the client: they name what
 * was wrong with the request and never anything about the server's insides.
 */
final class TaxiiError extends RuntimeException {
  private final int status;
  private final String title;
  private final String errorCode;
  private final Map<String, String> headers;

  private TaxiiError(
      int status, String title, String errorCode, String description, Map<String, String> headers) {
    super(description, null, false, false); // an expected outcome: no stack trace needed
    this.status = status;
    this.title = title;
    this.errorCode = errorCode;
    this.headers = Map.copyOf(headers);
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }

  String errorCode() {
    return errorCode;
  }

  String description() {
    return getMessage();
  }

  Map<String, String> headers() {
    return headers;
  }

  static TaxiiError badRequest(String description) {
    return new TaxiiError(400, "Bad Request", "bad-request", description, Map.of());
  }

  static TaxiiError badFilter(String parameter, String description) {
    return new TaxiiError(
        400, "Bad Request", "bad-parameter", parameter + ": " + description, Map.of());
  }

  static TaxiiError forbidden(String description) {
    return new TaxiiError(403, "Forbidden", "forbidden", description, Map.of());
  }

  /**
   * Not found. Hidden resources use the very same call so that nothing in the response (status,
   * headers, body) tells them apart from missing ones.
   */
  static TaxiiError notFound(String what) {
    return new TaxiiError(
        404,
        "Not Found",
        "not-found",
        what + " does not exist or is not available to you",
        Map.of());
  }

  static TaxiiError notAcceptable() {
    return new TaxiiError(
        406,
        "Not Acceptable",
        "not-acceptable",
        "the Accept header allows no media type this server produces; send Accept: "
            + org.entente.taxii.Taxii.MEDIA_TYPE,
        Map.of());
  }

  static TaxiiError tooLarge(long maxContentLength) {
    return new TaxiiError(
        413,
        "Content Too Large",
        "too-large",
        "the request body is larger than this API root's max_content_length of "
            + maxContentLength
            + " bytes",
        Map.of());
  }

  static TaxiiError unsupportedMediaType() {
    return new TaxiiError(
        415,
        "Unsupported Media Type",
        "unsupported-media-type",
        "POST a TAXII envelope with Content-Type: " + org.entente.taxii.Taxii.MEDIA_TYPE,
        Map.of());
  }

  static TaxiiError unprocessable(String description) {
    return new TaxiiError(422, "Unprocessable Content", "unprocessable", description, Map.of());
  }

  static TaxiiError unavailable(String description, Duration retryAfter) {
    return new TaxiiError(
        503,
        "Service Unavailable",
        "unavailable",
        description,
        Map.of("Retry-After", retryAfterSeconds(retryAfter)));
  }

  static String retryAfterSeconds(Duration d) {
    // Retry-After takes whole seconds; round up so a client never comes back too early.
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Long.toString(Math.max(1, s));
  }
}
