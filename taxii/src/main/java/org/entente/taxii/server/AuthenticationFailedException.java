package org.entente.taxii.server;

/**
 * Credentials missing or not acceptable; answered with 401. The message is logged, never sent:
 * telling a client which part was wrong would help guessing.
 */
public class AuthenticationFailedException extends RuntimeException {
  public AuthenticationFailedException(String message) {
    super(message);
  }
}
