package org.entente.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The storage contract of a node: versioned STIX objects in collections, their TAXII view
 * (monotonic sequence, date_added), status resources, and the principals that use them.
 *
 * <p>Every implementation passes the same contract test suite. Writes go through {@link
 * #write}, one durable transaction at a time (a single writer); reads may run concurrently.
 */
public interface Store extends AutoCloseable {

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Runs {@code work} in one transaction and commits it durably before returning. Calls are
   * serialised: at most one write transaction runs at a time. If {@code work} throws, nothing it
   * did is kept.
   */
  <T> T write(Function<WriteTransaction, T> work);

  // ---- objects ----------------------------------------------------------------------------

  /** A page of collection entries (with or without JSON bodies) selected by the TAXII filters. */
  EntryPage entries(ObjectQuery query);

  // ---- statuses ---------------------------------------------------------------------------

  Optional<StatusRecord> status(String statusId);

  // ---- API roots and collections ----------------------------------------------------------

  List<ApiRoot> apiRoots();

  Optional<ApiRoot> apiRoot(String path);

  /** Collections of an API root, in a stable order (creation order). */
  List<Collection> collections(String apiRootPath);

  /** A collection of an API root by id or alias. */
  Optional<Collection> collection(String apiRootPath, String idOrAlias);

  List<CollectionGrant> grants(String collectionId);

  // ---- principals -------------------------------------------------------------------------

  Optional<Organisation> organisation(String name);

  List<Organisation> organisations();

  Optional<User> user(String name);

  List<User> users();

  Optional<ApiToken> tokenByHash(String tokenHash);

  List<ApiToken> tokens(String userName);

  @Override
  void close();
}
