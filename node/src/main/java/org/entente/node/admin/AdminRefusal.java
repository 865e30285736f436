package org.entente.node.admin;

/**
 * A request the admin API refuses with a status other than those of the store's and the argument
 * checks' exceptions: 403 (not allowed), 413, 409 (busy), 415, 502 (a peer failed), 503 (no
 * federation here). Expected, so no stack trace.
 */
final class AdminRefusal extends RuntimeException {
  private final int status;
  private final String title;
  private final String errorCode;

  AdminRefusal(int status, String title, String errorCode, String description) {
    super(description, null, false, false);
    this.status = status;
    this.title = title;
    this.errorCode = errorCode;
  }

  static AdminRefusal forbidden(String description) {
    return new AdminRefusal(403, "Forbidden", "forbidden", description);
  }

  static AdminRefusal unsupportedMediaType() {
    return new AdminRefusal(
        415,
        "Unsupported Media Type",
        "unsupported-media-type",
        "the admin API takes request bodies as Content-Type: application/json");
  }

  static AdminRefusal tooLarge(int max) {
    return new AdminRefusal(
        413,
        "Payload Too Large",
        "too-large",
        "an admin request body is at most " + max + " bytes");
  }

  static AdminRefusal unavailable(String description) {
    return new AdminRefusal(503, "Service Unavailable", "unavailable", description);
  }

  static AdminRefusal busy(String description) {
    return new AdminRefusal(409, "Conflict", "busy", description);
  }

  static AdminRefusal badGateway(String description) {
    return new AdminRefusal(502, "Bad Gateway", "peer-failed", description);
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
}
