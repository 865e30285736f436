package org.entente.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The storage contract of a node: versioned STIX objects in collections, their TAXII view
 * (monotonic sequence, date_added), status resources, and the principals that use them.
 *
 * <p>Every implementation passes the same contract test suite ({@code StoreContractTest}). Writes
 * go through {@link #write}, one durable transaction at a time (a single writer); reads may run
 * concurrently and see only committed data.
 *
 * <p>Failures are unchecked: {@link AlreadyExistsException} when a create would duplicate a unique
 * name, {@link NotFoundException} when a write refers to something missing, {@link StoreException}
 * for everything else. No driver exception (SQLException) leaks out.
 */
public interface Store extends AutoCloseable {

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Runs {@code work} in one transaction and commits it durably before returning. Calls are
   * serialised: at most one write transaction runs at a time. If {@code work} throws, nothing it
   * did is kept and the exception propagates unchanged.
   *
   * <p>If an operation of the transaction throws, the transaction is rolled back even when {@code
   * work} catches the exception (then a {@link StoreException} is thrown at the end): check before
   * you write instead of catching. Transactions do not nest (calling {@code write} from inside
   * {@code work} throws IllegalStateException), and the transaction must not be used after {@code
   * work} returns.
   */
  <T> T write(Function<WriteTransaction, T> work);

  // ---- objects ----------------------------------------------------------------------------

  /**
   * A page of collection entries (with or without JSON bodies) selected by the TAXII filters, in
   * seq (= date_added) order. An unknown collection has no entries.
   */
  EntryPage entries(ObjectQuery query);

  // ---- statuses ---------------------------------------------------------------------------

  /** A status resource, unless unknown or expired. */
  Optional<StatusRecord> status(String statusId);

  /**
   * Statuses still pending that will never complete, oldest first: those whose holder's process
   * lease ({@link #processLease}) has lapsed at {@code now}, and any requested before {@code
   * requestedBefore}.
   */
  List<StatusRecord> abandonedStatuses(Instant now, Instant requestedBefore, int limit);

  /** The lease a live process of the node renews; pending statuses it saved name it as holder. */
  static String processLease(String process) {
    return "process:" + process;
  }

  // ---- the change feed and what the processes of a node share ------------------------------

  /**
   * Entries of the given types with a seq above {@code afterSeq}, in every collection, in seq
   * order, at most {@code limit}: the committed writes of every process sharing this store.
   */
  CommittedEntries committedEntries(long afterSeq, Set<String> types, int limit);

  /** The highest seq committed so far (0 for an empty store): where a new feed reader starts. */
  long lastSeq();

  /** When the failed logins of {@code key} since {@code since} happened, oldest first. */
  List<Instant> loginFailures(String key, Instant since);

  /**
   * A node setting shared by every process of the node (see {@link WriteTransaction#initSetting}).
   */
  Optional<String> setting(String name);

  // ---- API roots and collections ----------------------------------------------------------

  List<ApiRoot> apiRoots();

  Optional<ApiRoot> apiRoot(String path);

  /** Collections of an API root, in a stable order (creation order). */
  List<Collection> collections(String apiRootPath);

  /** A collection of an API root by id or alias (an id match wins). */
  Optional<Collection> collection(String apiRootPath, String idOrAlias);

  /** Grants on a collection, organisations first, then users, each by name. */
  List<CollectionGrant> grants(String collectionId);

  // ---- principals -------------------------------------------------------------------------

  Optional<Organisation> organisation(String name);

  /** All organisations by name. */
  List<Organisation> organisations();

  Optional<User> user(String name);

  /** All users by name. */
  List<User> users();

  Optional<ApiToken> tokenByHash(String tokenHash);

  /** The tokens of a user, oldest first (revoked and expired ones included). */
  List<ApiToken> tokens(String userName);

  /** Ids of the collections whose observed-data the node matches against its indicators. */
  Set<String> observationInputs();

  /** All communities by name, with their members by name. */
  List<Community> communities();

  Optional<Community> community(String name);

  /** The names of the communities an organisation belongs to (asked on every request). */
  Set<String> communitiesOf(String organisation);

  // ---- audit ------------------------------------------------------------------------------

  /** A page of the audit log, in the order events were appended. */
  List<AuditEvent> audit(AuditQuery query);

  /**
   * The object versions that the entries with these seqs hold, or held before a DELETE removed
   * them, ascending by seq; seqs no entry ever had are left out. For naming what an audited read
   * served: read events record seqs.
   */
  List<EntryRef> entryRefs(long[] seqs);

  /** The peers, by name. */
  List<Peer> peers();

  Optional<Peer> peer(String name);

  /** Where the sync with {@code peer} stands ({@link PeerState#initial} when never synced). */
  PeerState peerState(String peer);

  /** The unacknowledged pushes to {@code peer} due at {@code now}, oldest first. */
  List<PushPending> pushPending(String peer, Instant now, int limit);

  /** How many pushes to {@code peer} are unacknowledged. */
  long pushPendingCount(String peer);

  /**
   * Of the versions {@code idAndVersions} (each "id" + '\u0000' + "version"), those that {@code
   * peer} brought in.
   */
  Set<String> receivedFrom(String peer, java.util.Collection<String> idAndVersions);

  /**
   * Of the versions {@code idAndVersionKeys} (each "id" + '\u0000' + {@link
   * ObjectWrite#versionKey()}), those the node holds in any collection.
   */
  Set<String> heldVersions(java.util.Collection<String> idAndVersionKeys);

  /** How many entries of {@code collectionId} have a seq above {@code afterSeq}, and the oldest. */
  Backlog backlog(String collectionId, long afterSeq);

  /** Entries waiting to be pushed: how many, and when the oldest was added (null when none). */
  record Backlog(long entries, Instant oldestAdded) {}

  /** Waits for a running write transaction, then releases the store; idempotent. */
  @Override
  void close();
}
