package org.entente.taxii.server;

/**
 * Where the TAXII layer reports what requesters did, for the node's audit log: writes, deletes and
 * reads of objects shared under AMBER or above. Implementations must not block for long and must
 * not throw: a request never fails because of its audit record.
 */
public interface AuditTrail {
  /** Records nothing (tests, embedded use). */
  AuditTrail NONE = (requester, address, action, target, detail) -> {};

  /**
   * @param action e.g. {@code objects.read}, {@code objects.delete}
   * @param target the collection id
   * @param detail a JSON document with the specifics
   */
  void record(Requester requester, String address, String action, String target, String detail);
}
