package org.entente.taxii.server;

/** What one requester may do with one collection (the TAXII can_read / can_write). */
public record CollectionRights(boolean canRead, boolean canWrite) {
  public static final CollectionRights NONE = new CollectionRights(false, false);

  /** Neither right: the collection is hidden and answers exactly like a missing one. */
  public boolean hidden() {
    return !canRead && !canWrite;
  }
}
