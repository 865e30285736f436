package org.entente.store;

/** A storage failure the caller cannot fix by changing its request (I/O, corruption, bugs). */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
