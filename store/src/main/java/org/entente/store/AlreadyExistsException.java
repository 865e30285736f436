package org.entente.store;

/** A create would duplicate a unique name (API root path, collection id or alias, user, ...). */
public class AlreadyExistsException extends StoreException {
  public AlreadyExistsException(String message) {
    super(message);
  }

  public AlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
