package org.entente.store;

import java.time.Instant;

/** What may be changed inside one {@link Store#write} transaction. */
public interface WriteTransaction {

  /**
   * Adds one object version to a collection. Assigns the entry's sequence number and date_added
   * (strictly increasing at microsecond resolution across all entries of the store, so that
   * {@code added_after} pagination never skips an entry).
   *
   * <p>Versions are keyed by (id, version): {@code modified}, else {@code created}. For objects
   * with neither (SCOs) an identical body already stored is the same version, and a different
   * body is a new version whose version is its date_added.
   *
   * @return ADDED (new entry in this collection), DUPLICATE (the same version is already in this
   *     collection: not an error), or CONFLICT (same id and version with a different body)
   */
  WriteOutcome put(ObjectWrite write);

  /**
   * Removes the selected versions of an object from a collection (TAXII DELETE). Object versions
   * no collection refers to any more are removed too.
   *
   * @return how many collection entries were removed
   */
  int delete(String collectionId, String objectId, VersionSelector versions, SpecVersions specVersions);

  /** Creates or replaces a status resource. */
  void saveStatus(StatusRecord status);

  /** Removes status resources whose request is older than the cutoff; returns how many. */
  int expireStatuses(Instant olderThan);

  ApiRoot createApiRoot(ApiRoot root);

  Collection createCollection(Collection collection);

  /** Sets (replacing) a grant; a grant with neither read nor write removes it. */
  void grant(CollectionGrant grant);

  Organisation createOrganisation(Organisation organisation);

  User createUser(User user);

  void updateUser(User user);

  ApiToken createToken(ApiToken token);

  /** Marks a token revoked; returns false when no such token exists. */
  boolean revokeToken(String tokenId);
}
