package org.entente.node.federation;

/** A sync with a peer could not go on (misconfiguration, or an answer it cannot use). */
public class FederationException extends RuntimeException {
  public FederationException(String message) {
    super(message);
  }

  public FederationException(String message, Throwable cause) {
    super(message, cause);
  }
}
