package org.entente.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What may be changed inside one {@link Store#write} transaction. Any method that throws dooms the
 * whole transaction (see {@link Store#write}).
 */
public interface WriteTransaction {

  /**
   * Adds one object version to a collection. Assigns the entry's sequence number and date_added
   * (strictly increasing at microsecond resolution across all entries of the store, so that {@code
   * added_after} pagination never skips an entry).
   *
   * <p>Versions are keyed by (id, version): {@code modified}, else {@code created}, compared as
   * instants (so {@code ...00Z} and {@code ...00.000Z} are the same version). For objects with
   * neither (SCOs) an identical body already stored under the id (in any collection) is the same
   * version, and a different body is a new version whose version is its date_added, written as a
   * TAXII microsecond timestamp. Bodies are compared as JSON trees: key order and whitespace do not
   * matter.
   *
   * <p>A version held by another collection is shared, not copied: adding it here is ADDED with a
   * new entry and date_added. A version no collection holds any more is forgotten, so it may later
   * come back with another body.
   *
   * @return ADDED (new entry in this collection; message null), DUPLICATE (the same version is
   *     already in this collection: a success, with the existing entry's date_added and a message
   *     saying it was already present), or CONFLICT (same id and version with a different body,
   *     stored anywhere; nothing written, date_added null, a message saying why). The version is
   *     the one stored (its original text) when the version existed.
   * @throws NotFoundException if the collection does not exist
   */
  WriteOutcome put(ObjectWrite write);

  /**
   * Adds object versions in order, exactly as calling {@link #put} for each would (same outcomes,
   * sequence numbers and date_added values), but lets the store do it in fewer statements.
   *
   * @return one outcome per write, in the order of {@code writes}
   * @throws NotFoundException if a collection does not exist
   */
  default List<WriteOutcome> putAll(List<ObjectWrite> writes) {
    List<WriteOutcome> outcomes = new ArrayList<>(writes.size());
    for (ObjectWrite w : writes) {
      outcomes.add(put(w));
    }
    return outcomes;
  }

  /**
   * Removes the selected versions of an object from a collection (TAXII DELETE). The selection
   * follows the same rules as {@link ObjectQuery}: with {@link SpecVersions#NEWEST} only entries of
   * the newest spec version the collection holds for the object are candidates, and first/last are
   * taken among the candidates. Object versions no collection refers to any more are removed too;
   * other collections keep theirs.
   *
   * <p>Only entries {@code visibility} sees are candidates, and first/last and the newest spec
   * version are decided among those: a reader can never delete (or learn of) a version it may not
   * see.
   *
   * @return how many collection entries were removed (0 when nothing matched)
   * @throws NotFoundException if the collection does not exist
   */
  int delete(
      String collectionId,
      String objectId,
      VersionSelector versions,
      SpecVersions specVersions,
      Visibility visibility);

  /**
   * Creates or replaces a status resource.
   *
   * @throws IllegalArgumentException if it has no request timestamp (expiry is based on it)
   */
  void saveStatus(StatusRecord status);

  /**
   * Creates a status resource unless one with its id exists, which is kept: a pending status saved
   * while its commit is still queued never replaces the final one. True if created.
   *
   * @param holder the process that will commit it (see {@link Store#processLease}), or null
   */
  boolean saveStatusIfAbsent(StatusRecord status, String holder);

  /** Replaces a status only if the stored one is still pending; true if it was replaced. */
  boolean replacePendingStatus(StatusRecord status);

  /** Removes status resources whose request is older than the cutoff; returns how many. */
  int expireStatuses(Instant olderThan);

  /**
   * @throws AlreadyExistsException if the path is taken
   */
  ApiRoot createApiRoot(ApiRoot root);

  /**
   * Creates a collection; a null {@code created} is set to now.
   *
   * @return the collection as stored
   * @throws AlreadyExistsException if the id, or the alias within the API root, is taken
   * @throws NotFoundException if the API root does not exist
   */
  Collection createCollection(Collection collection);

  /**
   * Sets (replacing) a grant; a grant with neither read nor write removes it. The grantee is not
   * checked: a grant may name an organisation or user that comes later.
   *
   * @throws NotFoundException if the collection does not exist
   */
  void grant(CollectionGrant grant);

  /**
   * The grant as this transaction sees it (for read-modify-write of rights, which must not lose a
   * change committed by another process in between).
   */
  Optional<CollectionGrant> grantOf(
      String collectionId, CollectionGrant.GranteeKind kind, String grantee);

  /**
   * @throws AlreadyExistsException if the name is taken, or if {@code home} is set and there is
   *     already a home organisation
   */
  Organisation createOrganisation(Organisation organisation);

  /**
   * Creates a user; a null {@code created} is set to now.
   *
   * @return the user as stored
   * @throws AlreadyExistsException if the name is taken
   * @throws NotFoundException if the organisation does not exist
   */
  User createUser(User user);

  /**
   * Replaces a user's organisation, role, password hash and disabled flag ({@code created} is
   * kept).
   *
   * @throws NotFoundException if there is no such user or organisation
   */
  void updateUser(User user);

  /**
   * Creates a token; a null {@code created} is set to now.
   *
   * @return the token as stored
   * @throws AlreadyExistsException if the id or the secret hash is taken
   * @throws NotFoundException if the user does not exist
   */
  ApiToken createToken(ApiToken token);

  /** Marks a token revoked; returns false when no such token exists. */
  boolean revokeToken(String tokenId);

  /**
   * Creates a community with its members; a null {@code created} is set to now.
   *
   * @throws AlreadyExistsException if the name is taken
   * @throws NotFoundException if a member organisation does not exist
   */
  Community createCommunity(Community community);

  /**
   * Adds an organisation to a community; adding a member again changes nothing.
   *
   * @throws NotFoundException if the community or the organisation does not exist
   */
  void addCommunityMember(String community, String organisation);

  /** Removes an organisation from a community; returns false when it was not a member. */
  boolean removeCommunityMember(String community, String organisation);

  /**
   * Replaces an organisation's identity, country, sectors and identity object (name and home are
   * kept).
   *
   * @throws NotFoundException if there is no such organisation
   */
  void updateOrganisation(Organisation organisation);

  /**
   * Makes a collection an observation input (its observed-data is matched against the node's
   * indicators) or stops it being one.
   *
   * @return whether anything changed
   * @throws NotFoundException if the collection does not exist
   */
  boolean setObservationInput(String collectionId, boolean input);

  /** Appends events to the audit log, in order; returns them with their assigned seq. */
  List<AuditEvent> appendAudit(List<AuditEvent> events);

  /** Adds a peer; its state starts empty. */
  Peer createPeer(Peer peer);

  /** Removes a peer, its state, and its unacknowledged pushes; false when there was none. */
  boolean removePeer(String name);

  /** Replaces the peer's sync state. */
  void savePeerState(PeerState state);

  /** Adds or replaces unacknowledged pushes. */
  void savePushPending(List<PushPending> pending);

  /** Forgets an unacknowledged push (acknowledged now, or given up). */
  void removePushPending(String peer, String collectionId, String id, String version);

  /**
   * Takes or renews the lease {@code name} (work one process of the node does at a time, e.g.
   * syncing a peer) for {@code owner} until {@code until}; true when {@code owner} holds it now (it
   * was free, expired at {@code now}, or already its own). A lease taken in a transaction that also
   * does the leased work fences it: a holder that lost the lease cannot commit that work.
   */
  boolean lease(String name, String owner, Instant now, Instant until);

  /** Gives the lease up if {@code owner} holds it. */
  void releaseLease(String name, String owner);

  /** Records a failed login of {@code key} (an address or a user), for every process to count. */
  void recordLoginFailure(String key, Instant at);

  /** Forgets the failed logins of {@code key} (it logged in). */
  void clearLoginFailures(String key);

  /** Forgets failed logins before {@code before}; returns how many. */
  int expireLoginFailures(Instant before);

  /** Sets a node setting shared by every process of the node. */
  void saveSetting(String name, String value);

  /**
   * The setting's stored value, after storing {@code value} if it had none: processes starting
   * together agree on the first one written.
   */
  String initSetting(String name, String value);
}
