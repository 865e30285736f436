package org.entente.stix;

/** Input that is not JSON, or not a STIX object at all (no type, no id). */
public final class StixParseException extends RuntimeException {
  public StixParseException(String message) {
    super(message);
  }

  public StixParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
