package org.entente.taxii.server;

import org.entente.stix.StixObject;
import org.entente.stix.marking.Tlp;
import org.entente.store.Collection;
import org.entente.store.ObjectWrite;

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

  /**
   * What to store for an accepted object: by default the requester's organisation publishes it
   * under the level its markings give it ({@code marked}, null when unmarked: the collection's
   * default applies). A node may attribute it otherwise, e.g. when a peer node relays it.
   */
  default ObjectWrite writeFor(
      Requester requester, Collection collection, StixObject object, Tlp marked) {
    return ObjectWrite.of(
        collection.id(), object, requester.organisation(), requester.user(), marked);
  }
}
