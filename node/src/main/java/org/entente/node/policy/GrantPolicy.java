package org.entente.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import org.entente.stix.StixObject;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.Organisation;
import org.entente.store.Store;
import org.entente.taxii.server.AccessPolicy;
import org.entente.taxii.server.CollectionRights;
import org.entente.taxii.server.Requester;

/**
 * Collection rights from grants to the requester's organisation or to the requester itself, and
 * producer binding: a user may only publish in its own organisation's name.
 */
public final class GrantPolicy implements AccessPolicy {
  private final Store store;

  public GrantPolicy(Store store) {
    this.store = store;
  }

  @Override
  public CollectionRights rights(Requester requester, Collection collection) {
    if (requester.nodeAdmin()) {
      return new CollectionRights(true, requester.credentialsMayWrite());
    }
    boolean read = false;
    boolean write = false;
    for (CollectionGrant g : store.grants(collection.id())) {
      boolean applies =
          switch (g.kind()) {
            case ORG -> g.grantee().equals(requester.organisation());
            case USER -> g.grantee().equals(requester.user());
          };
      if (applies) {
        read |= g.canRead();
        write |= g.canWrite();
      }
    }
    // A read-scoped token never writes, whatever its user may do.
    return new CollectionRights(read, write && requester.credentialsMayWrite());
  }

  @Override
  public String refuseWrite(Requester requester, Collection collection, StixObject object) {
    if (requester.nodeAdmin()) {
      return null; // node admins import third-party content (e.g. MITRE ATT&CK) as published
    }
    JsonNode createdBy = object.json().get("created_by_ref");
    if (createdBy == null) {
      return null;
    }
    String own = store.organisation(requester.organisation()).map(Organisation::identityId).orElse(null);
    if (createdBy.asText().equals(own)) {
      return null;
    }
    return "created_by_ref " + createdBy.asText() + " is not the identity of organisation '"
        + requester.organisation() + "' (" + own + "); publish derived content under a new id";
  }
}
