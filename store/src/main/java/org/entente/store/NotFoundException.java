package org.entente.store;

/** A write refers to something that does not exist (a collection, API root, organisation, user). */
public class NotFoundException extends StoreException {
  public NotFoundException(String message) {
    super(message);
  }
}
