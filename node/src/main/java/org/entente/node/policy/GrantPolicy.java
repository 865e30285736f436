package org.entente.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.entente.stix.StixObject;
import org.entente.stix.marking.EffectiveTlp;
import org.entente.stix.marking.Tlp;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.Store;
import org.entente.store.Visibility;
import org.entente.taxii.server.AccessPolicy;
import org.entente.taxii.server.CollectionRights;
import org.entente.taxii.server.Requester;

/**
 * Collection rights and visibility from grants to the requester's organisation, its communities or
 * the requester itself (through {@link SharingPolicy}), and producer binding: a user may only
 * publish in its own organisation's name.
 */
public final class GrantPolicy implements AccessPolicy {
  private final Store store;

  public GrantPolicy(Store store) {
    this.store = store;
  }

  /**
   * What a peer node posts is received as from a peer, like what a pull brings in: the node takes
   * it as its home organisation; AMBER and AMBER+STRICT (and unmarked objects, which count as
   * AMBER: the sender's collection default is unknown here) are visible to the home organisation
   * alone and never forwarded; the peer's organisation is recorded as where the version came from.
   */
  @Override
  public ObjectWrite writeFor(
      Requester requester, Collection collection, StixObject object, Tlp marked) {
    if (!requester.peerNode()) {
      return AccessPolicy.super.writeFor(requester, collection, object, marked);
    }
    Tlp level = receivedLevel(marked);
    return ObjectWrite.of(collection.id(), object, homeOrganisation(), requester.user(), level)
        .received(requester.organisation(), producersOnly(level));
  }

  /** The level a version received from a peer is held under: unmarked counts as AMBER. */
  public static Tlp receivedLevel(Tlp marked) {
    return marked == null ? Tlp.AMBER : marked;
  }

  /** Whether a version received at {@code level} is for the home organisation alone. */
  public static boolean producersOnly(Tlp level) {
    return level == Tlp.AMBER || level == Tlp.AMBER_STRICT;
  }

  private String homeOrganisation() {
    return store.organisations().stream()
        .filter(Organisation::home)
        .map(Organisation::name)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the node has no home organisation"));
  }

  /**
   * What an organisation as a whole may see in a collection through its organisation and community
   * grants (never RED: that takes a grant by name): the visibility a peer node standing for it is
   * pushed under.
   */
  public Visibility visibilityOf(String organisation, String collectionId) {
    SharingPolicy.Reader reader =
        new SharingPolicy.Reader(
            // No user has this name: only the organisation's and its communities' grants apply.
            "\u0000organisation:" + organisation, organisation, store.communitiesOf(organisation));
    return Visibility.of(
        organisation, SharingPolicy.ceiling(reader, grants(collectionId)).orElse(null));
  }

  private List<SharingPolicy.Grant> grants(String collectionId) {
    List<CollectionGrant> stored = store.grants(collectionId);
    List<SharingPolicy.Grant> grants = new ArrayList<>(stored.size());
    for (CollectionGrant g : stored) {
      grants.add(
          new SharingPolicy.Grant(
              SharingPolicy.GranteeKind.valueOf(g.kind().name()),
              g.grantee(),
              g.canRead(),
              g.canWrite()));
    }
    return grants;
  }

  @Override
  public CollectionRights rights(Requester requester, Collection collection) {
    List<SharingPolicy.Grant> grants = grants(collection.id());
    SharingPolicy.Reader reader =
        new SharingPolicy.Reader(
            requester.user(),
            requester.organisation(),
            store.communitiesOf(requester.organisation()));
    Visibility visibility =
        Visibility.of(requester.organisation(), SharingPolicy.ceiling(reader, grants).orElse(null));
    // A read-scoped token or a reader's role never writes, whatever the grants say.
    boolean mayWrite = requester.credentialsMayWrite();
    if (requester.nodeAdmin()) {
      // Node admins see every collection and may import into any; what they read inside one
      // still follows the sharing policy through their own grants.
      return new CollectionRights(true, mayWrite, visibility);
    }
    return new CollectionRights(
        SharingPolicy.mayRead(reader, grants),
        mayWrite && SharingPolicy.mayWrite(reader, grants),
        visibility);
  }

  @Override
  public String refuseWrite(Requester requester, Collection collection, StixObject object) {
    if (requester.peerNode()) {
      // A peer node relays what others published: no producer binding; RED never travels.
      Tlp marked = EffectiveTlp.of(object.json(), java.util.Map.of(), null);
      return marked == Tlp.RED ? "TLP:RED is never federated" : null;
    }
    if (requester.nodeAdmin()) {
      return null; // node admins import third-party content (e.g. MITRE ATT&CK) as published
    }
    JsonNode createdBy = object.json().get("created_by_ref");
    if (createdBy == null) {
      return null;
    }
    String own =
        store.organisation(requester.organisation()).map(Organisation::identityId).orElse(null);
    if (createdBy.asText().equals(own)) {
      return null;
    }
    return "created_by_ref "
        + createdBy.asText()
        + " is not the identity of organisation '"
        + requester.organisation()
        + "' ("
        + own
        + "); publish derived content under a new id";
  }
}
