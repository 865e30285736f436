package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.entente.node.policy.GrantPolicy;
import org.entente.stix.StixObject;
import org.entente.stix.StixParseException;
import org.entente.stix.StixTimestamp;
import org.entente.stix.marking.EffectiveTlp;
import org.entente.stix.marking.Tlp;
import org.entente.stix.validate.StixValidator;
import org.entente.stix.validate.ValidationReport;
import org.entente.store.Collection;
import org.entente.store.Entry;
import org.entente.store.EntryPage;
import org.entente.store.GroupCommitWriter;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import org.entente.store.PushPending;
import org.entente.store.SpecVersions;
import org.entente.store.Store;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.WriteOutcome;
import org.entente.taxii.client.Envelope;
import org.entente.taxii.client.Query;
import org.entente.taxii.client.Status;
import org.entente.taxii.client.TaxiiClient;

/**
 * One sync with one peer: a pull (pages of the remote collection into the local one, each page
 * committed with the position after it) and a push (new local versions the peer's organisation may
 * see, in envelopes within the remote's size limit, followed to the end of their status).
 *
 * <p>Never lose: the pull position moves only in the transaction that stores the page; the push
 * position only once the status is settled, with what the peer did not acknowledge kept for retry.
 * Never leak: pushes go through the sharing policy for the peer's organisation and its TLP ceiling;
 * RED never leaves, nor anything that came from a peer as AMBER or AMBER+STRICT. Never loop: a
 * version is never pushed to the peer it came from, and versions already held are not new.
 */
final class PeerSync {
  /** Objects asked for per pulled page. */
  static final int PULL_PAGE = 10_000;

  /** Entries read per push round (envelopes are cut from them by size). */
  static final int PUSH_BATCH = 1_000;

  /** How long a push waits for the peer's status to complete before leaving it to a retry. */
  static final Duration STATUS_WAIT = Duration.ofSeconds(60);

  private static final int MAX_PROBLEMS = 100;

  private final Peer peer;
  private final TaxiiClient client;
  private final Store store;
  private final GroupCommitWriter writer;
  private final StixValidator validator;
  private final GrantPolicy grants;
  private final Clock clock;
  private final SyncProgress progress;
  private final String homeOrg;
  private final Runnable stillHolding;
  private final RetryPolicy retry;

  private PeerState state;
  private String apiRoot;
  private long maxContentLength;
  private long pulled;
  private long duplicates;
  private long skipped;
  private long pushed;
  private long pushFailures;
  private final List<String> problems = new ArrayList<>();

  PeerSync(
      Peer peer,
      TaxiiClient client,
      Store store,
      GroupCommitWriter writer,
      StixValidator validator,
      Clock clock,
      SyncProgress progress,
      String homeOrg,
      Runnable stillHolding,
      RetryPolicy retry) {
    this.peer = peer;
    this.client = client;
    this.store = store;
    this.writer = writer;
    this.validator = validator;
    this.grants = new GrantPolicy(store);
    this.clock = clock;
    this.progress = progress;
    this.homeOrg = homeOrg;
    this.stillHolding = stillHolding;
    this.retry = retry;
    this.state = store.peerState(peer.name());
  }

  /** The discovery URL's server root: TAXII puts discovery at {@code /taxii2/}. */
  static URI serverRoot(String discoveryUrl) {
    String s = discoveryUrl.endsWith("/") ? discoveryUrl : discoveryUrl + "/";
    if (s.endsWith("/taxii2/")) {
      s = s.substring(0, s.length() - "taxii2/".length());
    }
    return URI.create(s);
  }

  SyncReport run() {
    Instant started = clock.instant();
    apiRoot = peer.apiRoot() != null ? peer.apiRoot() : discoverApiRoot();
    if (peer.direction().pulls()) {
      pull();
    }
    if (peer.direction().pushes()) {
      maxContentLength = retry.call(() -> client.apiRoot(apiRoot), stillHolding).maxContentLength();
      push();
    }
    return new SyncReport(
        peer.name(),
        pulled,
        duplicates,
        skipped,
        pushed,
        pushFailures,
        problems,
        Duration.between(started, clock.instant()));
  }

  PeerState state() {
    return state;
  }

  private String discoverApiRoot() {
    var d = retry.call(client::discovery, stillHolding);
    if (d.defaultApiRoot() != null) {
      return d.defaultApiRoot();
    }
    if (d.apiRoots().size() == 1) {
      return d.apiRoots().get(0);
    }
    throw new FederationException(
        "peer "
            + peer.name()
            + " lists "
            + d.apiRoots().size()
            + " API roots and no default: set --api-root");
  }

  private void problem(String line) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(line);
    } else if (problems.size() == MAX_PROBLEMS) {
      problems.add("(further problems not listed)");
    }
  }

  // ---- pull ---------------------------------------------------------------------------------

  private void pull() {
    Collection local = collectionById(peer.localCollection());
    pullInto(local);
  }

  private void pullInto(Collection local) {
    Query query = Query.none().withLimit(PULL_PAGE).withVersions("all");
    if (state.pullAddedAfter() != null) {
      query = query.withAddedAfter(justBefore(state.pullAddedAfter()));
    }
    // One page in flight: page k+1 is fetched and checked while page k commits. The writer runs
    // submissions in order, and each saves the position after its own page in its transaction,
    // built from the position the previous one saved.
    AtomicReference<PeerState> committed = new AtomicReference<>(state);
    CompletableFuture<List<WriteOutcome>> inFlight = null;
    try {
      while (true) {
        Query q = query;
        Envelope page =
            retry.call(() -> client.getObjects(apiRoot, peer.remoteCollection(), q), stillHolding);
        long skippedBefore = skipped;
        List<ObjectWrite> writes = writesOf(page.objects(), local.id());
        // Versions the node already holds in any collection come back DUPLICATE ("already
        // held"): a node takes each version once, so nothing circulates in a ring.
        String after =
            page.dateAddedLast() != null ? page.dateAddedLast() : committed.get().pullAddedAfter();
        boolean caughtUp = !page.more();
        Instant now = clock.instant();
        long newSkips = skipped - skippedBefore;
        if (inFlight != null) {
          settlePage(inFlight, true);
          inFlight = null;
        }
        Instant caughtUpAt = caughtUp ? now : committed.get().caughtUpAt();
        inFlight =
            writer.submit(
                writes,
                (tx, outcomes) -> {
                  PeerState next =
                      committed
                          .get()
                          .withPull(
                              after,
                              caughtUpAt,
                              count(outcomes, WriteOutcome.Kind.ADDED),
                              newSkips);
                  tx.savePeerState(next);
                  committed.set(next);
                });
        if (!page.more()) {
          settlePage(inFlight, false);
          inFlight = null;
          return;
        }
        if (page.next() != null) {
          query = query.withNext(page.next());
        } else if (page.dateAddedLast() != null) {
          // Without a cursor, dates are the only way on; step back a little so that objects sharing
          // the page's last date_added are not lost (those already held are skipped), unless the
          // whole page was that one date: then only going strictly after it makes progress.
          String from = justBefore(page.dateAddedLast());
          query =
              query
                  .withNext(null)
                  .withAddedAfter(
                      from.equals(query.addedAfter())
                              || page.dateAddedLast().equals(page.dateAddedFirst())
                          ? page.dateAddedLast()
                          : from);
        } else {
          throw new FederationException(
              "peer " + peer.name() + " said more but gave neither next nor a date to resume from");
        }
      }
    } finally {
      if (inFlight != null) {
        // Stopped by an error: the page already queued still commits; wait for it.
        try {
          settlePage(inFlight, false);
        } catch (RuntimeException ignored) {
          // The error that stopped the pull is the one reported.
        }
      }
      state = committed.get();
    }
  }

  /**
   * One unit of its own precision before a remote timestamp ({@code .123456Z}: a microsecond;
   * {@code .123Z}: a millisecond): {@code added_after} is exclusive, and a page may have ended
   * inside a run of objects with the same date_added (a crash between pages, or a server that pages
   * by date). Re-reading that one instant costs little: versions already held are skipped.
   */
  static String justBefore(String timestamp) {
    try {
      StixTimestamp t = StixTimestamp.parse(timestamp);
      int digits = Math.min(9, t.fractionDigits());
      long unit = (long) Math.pow(10, 9 - digits);
      return StixTimestamp.of(t.instant().minusNanos(unit), digits).text();
    } catch (RuntimeException unparsable) {
      return timestamp;
    }
  }

  private Collection collectionById(String id) {
    for (var root : store.apiRoots()) {
      for (Collection c : store.collections(root.path())) {
        if (c.id().equals(id)) {
          return c;
        }
      }
    }
    throw new FederationException(
        "local collection " + id + " of peer " + peer.name() + " is gone");
  }

  /** Waits for a pulled page's commit and counts what it did. */
  private void settlePage(CompletableFuture<List<WriteOutcome>> commit, boolean more) {
    List<WriteOutcome> outcomes;
    try {
      outcomes = commit.join();
    } catch (CompletionException e) {
      throw new FederationException(
          "storing a page from peer " + peer.name() + " failed: " + e.getCause(), e.getCause());
    }
    for (WriteOutcome o : outcomes) {
      if (o.kind() == WriteOutcome.Kind.CONFLICT) {
        problem("pulled " + o.id() + " " + o.version() + ": " + o.message());
      }
    }
    pulled += count(outcomes, WriteOutcome.Kind.ADDED);
    duplicates += count(outcomes, WriteOutcome.Kind.DUPLICATE);
    progress.pulled(pulled + duplicates, more);
    stillHolding.run();
  }

  private static long count(List<WriteOutcome> outcomes, WriteOutcome.Kind kind) {
    return outcomes.stream().filter(o -> o.kind() == kind).count();
  }

  /** Checks each pulled object; the bad ones are skipped and reported, never fatal. */
  private List<ObjectWrite> writesOf(List<JsonNode> objects, String collectionId) {
    Map<String, Tlp> envelopeMarkings = EffectiveTlp.markingsIn(objects);
    List<ObjectWrite> writes = new ArrayList<>(objects.size());
    for (JsonNode node : objects) {
      String id = node.path("id").asText("(no id)");
      StixObject object;
      try {
        object = StixObject.of(node);
      } catch (StixParseException e) {
        skip(id, e.getMessage());
        continue;
      }
      ValidationReport report = validator.validate(node);
      if (!report.valid()) {
        skip(id, report.firstErrorMessage());
        continue;
      }
      Tlp marked = EffectiveTlp.of(node, envelopeMarkings, null);
      // Unmarked: the sender's collection default is unknown here, so it counts as AMBER.
      Tlp level = GrantPolicy.receivedLevel(marked);
      if (level == Tlp.RED) {
        skip(id, "TLP:RED is never federated");
        continue;
      }
      if (level.isMoreRestrictiveThan(peer.tlpCeiling())) {
        skip(id, level.label() + " is above the peer's ceiling " + peer.tlpCeiling().label());
        continue;
      }
      writes.add(
          ObjectWrite.of(collectionId, object, homeOrg, "peer:" + peer.name(), level)
              .received(peer.organisation(), GrantPolicy.producersOnly(level)));
    }
    return writes;
  }

  private void skip(String id, String why) {
    skipped++;
    problem("skipped " + id + ": " + why);
  }

  // ---- push ---------------------------------------------------------------------------------

  private void push() {
    settleInflight();
    retryPending();
    for (String collectionId : peer.publishCollections()) {
      pushCollection(collectionId);
    }
  }

  /** A restart after an envelope was posted: settle its status rather than send it again. */
  private void settleInflight() {
    if (state.inflightCollection() == null) {
      return;
    }
    if (state.inflightStatus() == null) {
      // Crashed before the peer answered: nothing was acknowledged, the batch is sent again.
      saveState(state.withInflight(null, 0, null));
      return;
    }
    Status status = awaitStatus(state.inflightStatus());
    String collectionId = state.inflightCollection();
    long toSeq = state.inflightToSeq();
    settle(collectionId, status, Map.of(), toSeq, List.of());
  }

  private void pushCollection(String collectionId) {
    Visibility visibility = grants.visibilityOf(peer.organisation(), collectionId);
    long remaining =
        progress == SyncProgress.NONE
            ? 0
            : store
                .backlog(collectionId, state.pushMarks().getOrDefault(collectionId, 0L))
                .entries();
    while (true) {
      long mark = state.pushMarks().getOrDefault(collectionId, 0L);
      EntryPage page =
          store.entries(
              new ObjectQuery(
                  collectionId,
                  Set.of(),
                  Set.of(),
                  VersionSelector.ALL,
                  new SpecVersions(Set.of("2.0", "2.1")),
                  null,
                  mark,
                  PUSH_BATCH,
                  true,
                  visibility));
      if (page.entries().isEmpty()) {
        return;
      }
      List<Entry> sendable = sendable(page.entries());
      long toSeq = page.lastSeq();
      if (sendable.isEmpty()) {
        saveState(state.withPushMark(collectionId, toSeq));
      } else {
        send(collectionId, sendable, toSeq);
      }
      // Counted once, then counted down: a COUNT per envelope over a large backlog cost more
      // than the push itself.
      remaining = Math.max(0, remaining - page.entries().size());
      progress.pushed(pushed, remaining);
      if (!page.more()) {
        return;
      }
    }
  }

  /** What may go to this peer: never RED, never above its ceiling, never back where it came. */
  private List<Entry> sendable(List<Entry> entries) {
    List<String> keys = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      keys.add(e.id() + '\u0000' + e.version());
    }
    // By organisation: two peers may stand for one (one pulled from, one pushed to).
    Set<String> fromPeer = store.receivedFrom(peer.organisation(), keys);
    List<Entry> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      if (e.tlp() == Tlp.RED || e.tlp().isMoreRestrictiveThan(peer.tlpCeiling())) {
        continue;
      }
      if (fromPeer.contains(e.id() + '\u0000' + e.version())) {
        continue;
      }
      out.add(e);
    }
    return out;
  }

  /** Posts the entries in envelopes within the peer's limit; settles each one's status. */
  private void send(String collectionId, List<Entry> entries, long toSeq) {
    List<List<Entry>> envelopes = cut(collectionId, entries);
    for (int i = 0; i < envelopes.size(); i++) {
      List<Entry> envelope = envelopes.get(i);
      long envelopeTo = i == envelopes.size() - 1 ? toSeq : envelope.get(envelope.size() - 1).seq();
      postAndSettle(collectionId, envelope, envelopeTo, List.of());
    }
  }

  /** Splits into envelopes whose JSON stays within max_content_length. */
  private List<List<Entry>> cut(String collectionId, List<Entry> entries) {
    long limit = maxContentLength > 0 ? maxContentLength : Long.MAX_VALUE;
    List<List<Entry>> out = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    long size = ENVELOPE_OVERHEAD;
    for (Entry e : entries) {
      long add = e.jsonUtf8().length + 1;
      if (ENVELOPE_OVERHEAD + add > limit) {
        pushFailures++;
        problem(
            "cannot push "
                + e.id()
                + " "
                + e.version()
                + ": "
                + e.jsonUtf8().length
                + " bytes exceed the peer's max_content_length "
                + limit);
        continue;
      }
      if (size + add > limit && !current.isEmpty()) {
        out.add(current);
        current = new ArrayList<>();
        size = ENVELOPE_OVERHEAD;
      }
      current.add(e);
      size += add;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static final int ENVELOPE_OVERHEAD = "{\"objects\":[]}".length();

  private static byte[] envelope(List<Entry> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"objects\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(entries.get(i).jsonUtf8());
    }
    out.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /**
   * Records the envelope in flight, posts it, records its status id, follows the status and settles
   * it: the mark moves to {@code toSeq} with what was not acknowledged kept for retry.
   */
  private void postAndSettle(
      String collectionId, List<Entry> entries, long toSeq, List<PushPending> retried) {
    boolean fresh = retried.isEmpty();
    if (fresh) {
      saveState(state.withInflight(collectionId, toSeq, null));
    }
    byte[] body = envelope(entries);
    Status posted =
        retry.call(() -> client.addEnvelope(apiRoot, peer.remoteCollection(), body), stillHolding);
    if (fresh) {
      saveState(state.withInflight(collectionId, toSeq, posted.id()));
    }
    Status status = posted.complete() ? posted : awaitStatus(posted.id());
    Map<String, Entry> byKey = new LinkedHashMap<>();
    for (Entry e : entries) {
      byKey.put(e.id() + '\u0000' + e.version(), e);
    }
    settle(collectionId, status, byKey, fresh ? toSeq : -1, retried);
  }

  /**
   * Polls a status until it is complete or {@link #STATUS_WAIT} passes (then the last one seen),
   * backing off from 25 ms to 1 s, and renewing the lease on the peer as it waits.
   */
  private Status awaitStatus(String statusId) {
    Instant deadline = clock.instant().plus(STATUS_WAIT);
    long pauseMs = 25;
    while (true) {
      Status s = retry.call(() -> client.status(apiRoot, statusId), stillHolding);
      if (s.complete() || !clock.instant().isBefore(deadline)) {
        return s;
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FederationException("interrupted while following a status", e);
      }
      pauseMs = Math.min(pauseMs * 2, 1000);
      stillHolding.run();
    }
  }

  /**
   * Applies a status: successes are acknowledged; failures and pendings become (or stay) pending
   * with backoff. With {@code toSeq >= 0} the collection's mark moves there and the in-flight
   * record is cleared, in the same transaction.
   */
  private void settle(
      String collectionId,
      Status status,
      Map<String, Entry> sent,
      long toSeq,
      List<PushPending> retried) {
    Instant now = clock.instant();
    Map<String, PushPending> previous = new HashMap<>();
    for (PushPending p : retried) {
      previous.put(p.id() + '\u0000' + p.version(), p);
    }
    List<PushPending> keep = new ArrayList<>();
    Set<String> acknowledged = new LinkedHashSet<>();
    for (Status.Detail d : status.successes()) {
      acknowledged.add(d.id() + '\u0000' + d.version());
    }
    List<Status.Detail> unacknowledged = new ArrayList<>(status.failures());
    unacknowledged.addAll(status.pendings());
    if (!status.complete() && status.pendings().isEmpty()) {
      // A status still pending that does not list its pendings: all but the successes wait.
      for (String key : sent.keySet()) {
        if (!acknowledged.contains(key)) {
          int cut = key.indexOf('\u0000');
          unacknowledged.add(
              new Status.Detail(key.substring(0, cut), key.substring(cut + 1), "pending"));
        }
      }
    }
    for (Status.Detail d : unacknowledged) {
      String key = d.id() + '\u0000' + d.version();
      PushPending before = previous.get(key);
      int attempts = before == null ? 1 : before.attempts() + 1;
      keep.add(
          new PushPending(
              peer.name(),
              collectionId,
              d.id(),
              d.version(),
              attempts,
              now.plus(backoff(attempts)),
              d.message()));
      problem("peer did not take " + d.id() + " " + d.version() + ": " + d.message());
    }
    pushed += acknowledged.size();
    pushFailures += keep.size();
    PeerState next = toSeq >= 0 ? state.withPushMark(collectionId, toSeq) : state;
    next = next.withPushed(acknowledged.size());
    if (toSeq >= 0) {
      next = next.withInflight(null, 0, null);
    }
    PeerState saved = next;
    store.write(
        tx -> {
          for (String key : acknowledged) {
            int cut = key.indexOf('\u0000');
            if (previous.containsKey(key)) {
              tx.removePushPending(
                  peer.name(), collectionId, key.substring(0, cut), key.substring(cut + 1));
            }
          }
          tx.savePushPending(keep);
          tx.savePeerState(saved);
          return null;
        });
    state = saved;
    stillHolding.run();
  }

  /** Capped exponential backoff: 30 s, 1 min, 2 min, ... 6 h. */
  static Duration backoff(int attempts) {
    long seconds = 30L << Math.min(attempts - 1, 10);
    return Duration.ofSeconds(Math.min(seconds, 6 * 3600));
  }

  /** Sends again what the peer did not acknowledge, when due. */
  private void retryPending() {
    List<PushPending> due = store.pushPending(peer.name(), clock.instant(), PUSH_BATCH);
    Map<String, List<PushPending>> byCollection = new LinkedHashMap<>();
    for (PushPending p : due) {
      byCollection.computeIfAbsent(p.collectionId(), c -> new ArrayList<>()).add(p);
    }
    for (var e : byCollection.entrySet()) {
      String collectionId = e.getKey();
      Visibility visibility = grants.visibilityOf(peer.organisation(), collectionId);
      Set<String> ids = new LinkedHashSet<>();
      e.getValue().forEach(p -> ids.add(p.id()));
      Map<String, Entry> current = new HashMap<>();
      for (Entry en :
          store
              .entries(
                  new ObjectQuery(
                      collectionId,
                      ids,
                      Set.of(),
                      VersionSelector.ALL,
                      new SpecVersions(Set.of("2.0", "2.1")),
                      null,
                      0,
                      Math.max(1, ids.size() * 16),
                      true,
                      visibility))
              .entries()) {
        current.put(en.id() + '\u0000' + en.version(), en);
      }
      List<Entry> resend = new ArrayList<>();
      List<PushPending> retried = new ArrayList<>();
      for (PushPending p : e.getValue()) {
        Entry en = current.get(p.id() + '\u0000' + p.version());
        if (en == null || sendable(List.of(en)).isEmpty()) {
          // Deleted, or no longer visible to the peer (a grant was revoked): never sent.
          store.write(
              tx -> {
                tx.removePushPending(peer.name(), collectionId, p.id(), p.version());
                return null;
              });
        } else {
          resend.add(en);
          retried.add(p);
        }
      }
      for (List<Entry> envelope : cut(collectionId, resend)) {
        List<PushPending> of = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        envelope.forEach(en -> keys.add(en.id() + '\u0000' + en.version()));
        for (PushPending p : retried) {
          if (keys.contains(p.id() + '\u0000' + p.version())) {
            of.add(p);
          }
        }
        postAndSettle(collectionId, envelope, -1, of);
      }
    }
  }

  // ---- state ----------------------------------------------------------------------------------

  private void saveState(PeerState s) {
    store.write(
        tx -> {
          tx.savePeerState(s);
          return null;
        });
    state = s;
  }
}
