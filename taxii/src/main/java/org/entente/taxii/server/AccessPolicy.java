package org.entente.taxii.server;

import org.entente.stix.StixObject;
import org.entente.store.Collection;

/** The node's sharing policy as the TAXII layer sees it: it asks, the node decides. */
public interface AccessPolicy {

  /** The requester's rights on a collection; neither right hides the collection (404). */
  CollectionRights rights(Requester requester, Collection collection);

  /**
   * Whether the requester may add this (already validated) object to the collection.
   *
   * @return null when allowed, else the reason, reported as that object's failure message
   */
  String refuseWrite(Requester requester, Collection collection, StixObject object);
}
