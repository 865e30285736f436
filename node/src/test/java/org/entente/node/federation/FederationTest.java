package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.auth.PasswordHasher;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.marking.EffectiveTlp;
import org.entente.stix.marking.Tlp;
import org.entente.stix.marking.TlpMarkings;
import org.entente.stix.validate.StixValidator;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.Entry;
import org.entente.store.GroupCommitWriter;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import org.entente.store.SpecVersions;
import org.entente.store.Store;
import org.entente.store.User;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation between two real nodes over loopback HTTP, and with a minimal non-Entente TAXII
 * server: what a pull brings and refuses, who sees it on the receiving node, that nothing is pulled
 * or pushed twice, that nothing goes back where it came from, and that a 429 is honoured.
 */
class FederationTest {
  private static final String PW = "federation-test-password";
  private static final String OUT_A = UUID.randomUUID().toString();
  private static final String FROM_A = UUID.randomUUID().toString();
  private static final String TO_A = UUID.randomUUID().toString();
  private static final String FROM_F = UUID.randomUUID().toString();
  private static final String TO_F = UUID.randomUUID().toString();
  private static final PasswordHasher HASHER = new PasswordHasher();

  @TempDir Path dirA;
  @TempDir Path dirB;

  private Node a;
  private Node b;
  private GroupCommitWriter writerB;
  private Federation federation;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void start() {
    a = node(dirA, "nation-a");
    b = node(dirB, "nation-b");
    writerB = new GroupCommitWriter(b.store(), 100_000, 10_000);
    federation =
        new Federation(
            b.store(), writerB, new StixValidator(), SecretSeal.of(dirB), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    federation.close();
    writerB.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
    b.close();
    a.close();
  }

  private static Node node(Path dir, String home) {
    return Node.start(
        NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0).withHomeOrg(home),
        Map.of("ENTENTE_ADMIN_PASSWORD", PW));
  }

  private static void org(Store s, String name) {
    s.write(tx -> tx.createOrganisation(new Organisation(name, null, "BE", false)));
  }

  private static void collection(Store s, String id, String title) {
    s.write(
        tx ->
            tx.createCollection(
                new Collection(id, "api", title, null, null, "amber", Instant.now())));
  }

  private static void grant(Store s, String collection, String org, boolean read, boolean write) {
    s.write(
        tx -> {
          tx.grant(
              new CollectionGrant(collection, CollectionGrant.GranteeKind.ORG, org, read, write));
          return null;
        });
  }

  private static void user(Store s, String name, String org) {
    s.write(
        tx ->
            tx.createUser(
                new User(name, org, User.Role.ANALYST, HASHER.hash(PW), false, Instant.now())));
  }

  private void peer(
      String name,
      String org,
      String url,
      String remote,
      Peer.Direction d,
      String local,
      List<String> publish) {
    peer(name, org, url, remote, d, local, publish, 300);
  }

  private void peer(
      String name,
      String org,
      String url,
      String remote,
      Peer.Direction d,
      String local,
      List<String> publish,
      int interval) {
    SecretSeal seal = SecretSeal.of(dirB);
    Peer p =
        new Peer(
            name,
            org,
            url,
            null,
            remote,
            d,
            interval,
            local,
            publish,
            Tlp.AMBER_STRICT,
            new Peer.PeerCredentials(
                "basic", name.equals("f") ? "feeder" : "peer-b", seal.seal(PW), null),
            null,
            Instant.now());
    b.store().write(tx -> tx.createPeer(p));
  }

  private static final Map<Tlp, String> MARKING =
      Map.of(
          Tlp.CLEAR, TlpMarkings.TLP2_CLEAR,
          Tlp.GREEN, TlpMarkings.TLP2_GREEN,
          Tlp.AMBER, TlpMarkings.TLP2_AMBER,
          Tlp.AMBER_STRICT, TlpMarkings.TLP2_AMBER_STRICT,
          Tlp.RED, TlpMarkings.TLP2_RED);

  private static int serial;

  /** A note (or, with {@code bad}, an indicator without its pattern) marked {@code tlp}. */
  private static ObjectNode object(Tlp tlp, String modified) {
    String id = "note--" + UUID.randomUUID();
    return object(id, tlp, modified);
  }

  private static ObjectNode object(String id, Tlp tlp, String modified) {
    ObjectNode o =
        (ObjectNode)
            StixJson.parse(
                "{\"type\":\"note\",\"spec_version\":\"2.1\",\"id\":\""
                    + id
                    + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\""
                    + modified
                    + "\",\"content\":\"assessment "
                    + (serial++)
                    + "\",\"object_refs\":[\"identity--"
                    + UUID.randomUUID()
                    + "\"]}");
    if (tlp != null) {
      o.putArray("object_marking_refs").add(MARKING.get(tlp));
    }
    return o;
  }

  private static void put(Store s, String collection, String org, ObjectNode... objects) {
    s.write(
        tx -> {
          for (ObjectNode o : objects) {
            tx.put(
                ObjectWrite.of(
                    collection,
                    StixObject.of(o),
                    org,
                    "admin",
                    EffectiveTlp.of(o, Map.of(), null)));
          }
          return null;
        });
  }

  private static List<Entry> entries(Store s, String collection, Visibility v) {
    return s.entries(
            new ObjectQuery(
                collection,
                Set.of(),
                Set.of(),
                VersionSelector.ALL,
                new SpecVersions(Set.of("2.1")),
                null,
                0,
                10_000,
                false,
                v))
        .entries();
  }

  private static Set<String> keys(List<Entry> entries) {
    return entries.stream().map(e -> e.id() + "@" + e.version()).collect(Collectors.toSet());
  }

  /** The ids GET objects returns to {@code user} (password {@link #PW}). */
  private static List<String> taxiiIds(Node n, String collection, String user) {
    try {
      String auth =
          java.util.Base64.getEncoder()
              .encodeToString((user + ":" + PW).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              n.baseUrl() + "/api/collections/" + collection + "/objects/"))
                      .header("Accept", "application/taxii+json;version=2.1")
                      .header("Authorization", "Basic " + auth)
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      List<String> ids = new ArrayList<>();
      StixJson.parse(r.body()).path("objects").forEach(o -> ids.add(o.get("id").asText()));
      return ids;
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private String discovery(Node n) {
    return n.baseUrl() + "/taxii2/";
  }

  @Test
  void pullBringsWhatThePolicyAllowsOnceAndReceivedAmberStaysWithTheHomeOrganisation() {
    Store sa = a.store();
    org(sa, "nation-b");
    user(sa, "peer-b", "nation-b");
    collection(sa, OUT_A, "Outbound");
    grant(sa, OUT_A, "nation-b", true, false);
    ObjectNode clear = object(Tlp.CLEAR, "2026-01-01T00:00:00.000Z");
    ObjectNode green = object(Tlp.GREEN, "2026-01-01T00:00:00.000Z");
    ObjectNode amber = object(Tlp.AMBER, "2026-01-01T00:00:00.000Z");
    ObjectNode strict = object(Tlp.AMBER_STRICT, "2026-01-01T00:00:00.000Z");
    ObjectNode red = object(Tlp.RED, "2026-01-01T00:00:00.000Z");
    put(sa, OUT_A, "nation-a", clear, green, amber, strict, red);

    Store sb = b.store();
    org(sb, "nation-a");
    org(sb, "ally-c");
    collection(sb, FROM_A, "From A");
    grant(sb, FROM_A, "ally-c", true, false);
    peer("a", "nation-a", discovery(a), OUT_A, Peer.Direction.PULL, FROM_A, List.of());

    SyncReport first = federation.sync("a", SyncProgress.NONE);
    // RED never leaves A (no organisation grant reaches it); the rest arrives once.
    assertThat(first.pulled()).isEqualTo(4);
    assertThat(first.skipped()).isZero();
    List<Entry> all = entries(sb, FROM_A, Visibility.EVERYTHING);
    assertThat(all).hasSize(4);
    assertThat(all).extracting(Entry::id).doesNotContain(red.get("id").asText());
    // The home organisation sees all four; another organisation granted the collection sees only
    // CLEAR and GREEN: received AMBER stays with the node's home organisation.
    assertThat(entries(sb, FROM_A, Visibility.of("nation-b", Tlp.AMBER_STRICT))).hasSize(4);
    assertThat(entries(sb, FROM_A, Visibility.of("ally-c", Tlp.RED)))
        .extracting(Entry::id)
        .containsExactlyInAnyOrder(clear.get("id").asText(), green.get("id").asText());

    // Over TAXII too: a user of the other organisation reads CLEAR and GREEN only, an analyst
    // of the home organisation all four.
    user(sb, "carol", "ally-c");
    user(sb, "bert", "nation-b");
    grant(sb, FROM_A, "nation-b", true, false);
    assertThat(taxiiIds(b, FROM_A, "carol"))
        .containsExactlyInAnyOrder(clear.get("id").asText(), green.get("id").asText());
    assertThat(taxiiIds(b, FROM_A, "bert")).hasSize(4);

    // Again: nothing new, nothing twice (the last instant is read again, and found held).
    SyncReport second = federation.sync("a", SyncProgress.NONE);
    assertThat(second.pulled()).isZero();
    assertThat(second.pulledDuplicates()).isLessThanOrEqualTo(1);

    // A new version and a new object: exactly those two.
    ObjectNode v2 = object(green.get("id").asText(), Tlp.GREEN, "2026-02-01T00:00:00.000Z");
    put(sa, OUT_A, "nation-a", v2, object(Tlp.CLEAR, "2026-01-01T00:00:00.000Z"));
    SyncReport third = federation.sync("a", SyncProgress.NONE);
    assertThat(third.pulled()).isEqualTo(2);
    assertThat(entries(sb, FROM_A, Visibility.EVERYTHING)).hasSize(6);

    PeerState st = sb.peerState("a");
    assertThat(st.pullAddedAfter()).isNotNull();
    assertThat(st.pulled()).isEqualTo(6);
    assertThat(st.lastSuccess()).isNotNull();
    assertThat(st.consecutiveFailures()).isZero();
    assertThat(federation.statuses())
        .singleElement()
        .satisfies(s -> assertThat(s.pullLagSeconds()).isNotNull());
  }

  @Test
  void pushSendsWhatThePeerMaySeeOnceAndNeverWhatCameFromIt() {
    Store sa = a.store();
    org(sa, "nation-b");
    user(sa, "peer-b", "nation-b");
    collection(sa, OUT_A, "Exchange");
    grant(sa, OUT_A, "nation-b", true, true);
    ObjectNode fromA = object(Tlp.GREEN, "2026-01-01T00:00:00.000Z");
    ObjectNode amberFromA = object(Tlp.AMBER, "2026-01-01T00:00:00.000Z");
    put(sa, OUT_A, "nation-a", fromA, amberFromA);

    Store sb = b.store();
    org(sb, "nation-a");
    collection(sb, FROM_A, "From A");
    collection(sb, TO_A, "To A");
    grant(sb, FROM_A, "nation-a", true, false);
    grant(sb, TO_A, "nation-a", true, false);
    ObjectNode green = object(Tlp.GREEN, "2026-01-01T00:00:00.000Z");
    ObjectNode amber = object(Tlp.AMBER, "2026-01-01T00:00:00.000Z");
    ObjectNode red = object(Tlp.RED, "2026-01-01T00:00:00.000Z");
    put(sb, TO_A, "nation-b", green, amber, red);
    peer("a", "nation-a", discovery(a), OUT_A, Peer.Direction.BOTH, FROM_A, List.of(TO_A, FROM_A));

    SyncReport first = federation.sync("a", SyncProgress.NONE);
    assertThat(first.pulled()).isEqualTo(2);
    // B's GREEN and AMBER go to A; RED never; what came from A (in FROM_A) never goes back.
    assertThat(first.pushed()).isEqualTo(2);
    assertThat(first.pushFailures()).isZero();
    assertThat(entries(sa, OUT_A, Visibility.EVERYTHING))
        .extracting(Entry::id)
        .containsExactlyInAnyOrder(
            fromA.get("id").asText(),
            amberFromA.get("id").asText(),
            green.get("id").asText(),
            amber.get("id").asText());

    // The next sync sends nothing, and what it pulls back of B's own objects (now in A's
    // collection) it already holds: no version is taken twice by a node.
    SyncReport second = federation.sync("a", SyncProgress.NONE);
    assertThat(second.pushed()).isZero();
    assertThat(second.pulled()).isZero();
    assertThat(second.pulledDuplicates()).isBetween(2L, 3L);
    SyncReport third = federation.sync("a", SyncProgress.NONE);
    assertThat(third.pushed() + third.pulled()).isZero();
    assertThat(sb.peerState("a").inflightCollection()).isNull();
  }

  @Test
  void aForeignServerIsPulledAndPushedWithoutEntenteAssumptions() {
    ForeignTaxiiServer foreign = new ForeignTaxiiServer("feeder", PW, 1 << 20, 100);
    closing.add(foreign);
    String remote = foreign.addCollection("Partner feed", true, true);
    Instant shared = Instant.parse("2026-03-01T10:00:00.000Z");
    List<ObjectNode> good = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      good.add(object(i % 2 == 0 ? Tlp.CLEAR : Tlp.GREEN, "2026-01-01T00:00:00.000Z"));
    }
    // Pages end inside runs of equal date_added: the client must follow next, not dates.
    for (int i = 0; i < good.size(); i += 50) {
      foreign.add(
          remote, shared.plusMillis(i / 50), good.subList(i, i + 50).toArray(new ObjectNode[0]));
    }
    ObjectNode red = object(Tlp.RED, "2026-01-01T00:00:00.000Z");
    ObjectNode invalid = object(Tlp.GREEN, "2026-01-01T00:00:00.000Z");
    invalid.remove("object_refs");
    ObjectNode amber = object(Tlp.AMBER, "2026-01-01T00:00:00.000Z");
    foreign.add(remote, shared.plusSeconds(10), red, invalid, amber);

    Store sb = b.store();
    org(sb, "partner");
    collection(sb, FROM_F, "From partner");
    collection(sb, TO_F, "To partner");
    grant(sb, FROM_F, "partner", true, false);
    grant(sb, TO_F, "partner", true, false);
    ObjectNode ours = object(Tlp.GREEN, "2026-01-01T00:00:00.000Z");
    put(sb, TO_F, "nation-b", ours);
    peer(
        "f",
        "partner",
        foreign.discoveryUrl().toString(),
        remote,
        Peer.Direction.BOTH,
        FROM_F,
        List.of(TO_F, FROM_F));

    // A Retry-After beyond what a sync waits for ends the sync; it decides the next attempt.
    federation.retryPolicy(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(5)));
    foreign.failNextRequests(1, 429, "7");
    Instant before = Instant.now();
    assertThatThrownBy(() -> federation.sync("f", SyncProgress.NONE))
        .isInstanceOf(FederationException.class);
    PeerState failed = sb.peerState("f");
    assertThat(failed.consecutiveFailures()).isEqualTo(1);
    assertThat(failed.lastError()).contains("429");
    assertThat(failed.nextAttempt()).isBetween(before.plusSeconds(6), Instant.now().plusSeconds(8));
    // Persistent 503s: retried within the sync, then the sync fails and backs off.
    foreign.failNextRequests(3, 503, null);
    assertThatThrownBy(() -> federation.sync("f", SyncProgress.NONE))
        .isInstanceOf(FederationException.class);
    assertThat(sb.peerState("f").consecutiveFailures()).isEqualTo(2);
    // A short Retry-After is waited out inside the sync, which then goes on.
    foreign.clearRequests();
    foreign.failNextRequests(1, 429, "1");

    foreign.setPendingPolls(2);
    SyncReport r = federation.sync("f", SyncProgress.NONE);
    List<ForeignTaxiiServer.Request> log = foreign.requests();
    assertThat(log.get(0).status()).isEqualTo(429);
    assertThat(Duration.between(log.get(0).when(), log.get(1).when()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(r.pulled()).isEqualTo(251); // 250 CLEAR/GREEN + the AMBER one
    assertThat(r.skipped()).isEqualTo(2);
    assertThat(r.problems()).anyMatch(p -> p.contains(red.get("id").asText()) && p.contains("RED"));
    assertThat(r.problems()).anyMatch(p -> p.contains(invalid.get("id").asText()));
    // Only our own object goes out: nothing pulled from the partner goes back to it.
    assertThat(r.pushed()).isEqualTo(1);
    assertThat(foreign.count(remote)).isEqualTo(254);
    assertThat(foreign.objects(remote))
        .extracting(o -> o.get("id").asText())
        .contains(ours.get("id").asText());
    long posts = foreign.requests().stream().filter(q -> q.method().equals("POST")).count();
    assertThat(posts).isEqualTo(1);

    SyncReport again = federation.sync("f", SyncProgress.NONE);
    assertThat(again.pulled() + again.pushed()).isZero();
    assertThat(foreign.requests().stream().filter(q -> q.method().equals("POST")).count())
        .isEqualTo(posts);
    assertThat(sb.peerState("f").consecutiveFailures()).isZero();
    assertThat(sb.peerState("f").nextAttempt()).isNull();
    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void aServerWithoutCursorsIsFollowedByDateWithoutLosingObjectsThatShareOne() {
    ForeignTaxiiServer foreign = new ForeignTaxiiServer("feeder", PW, 1 << 20, 100);
    closing.add(foreign);
    foreign.setNextTokens(false);
    String remote = foreign.addCollection("Dated feed", true, false);
    Instant t = Instant.parse("2026-03-01T10:00:00.000Z");
    Set<String> sent = new java.util.HashSet<>();
    for (int run = 0; run < 7; run++) {
      // Runs of 40 objects sharing a date_added: pages of 100 cannot end on a run boundary.
      ObjectNode[] objects = new ObjectNode[40];
      for (int i = 0; i < objects.length; i++) {
        objects[i] = object(Tlp.GREEN, "2026-01-01T00:00:00.000Z");
        sent.add(objects[i].get("id").asText());
      }
      foreign.add(remote, t.plusMillis(run), objects);
    }
    Store sb = b.store();
    org(sb, "partner");
    collection(sb, FROM_F, "From partner");
    peer(
        "f",
        "partner",
        foreign.discoveryUrl().toString(),
        remote,
        Peer.Direction.PULL,
        FROM_F,
        List.of());

    SyncReport r = federation.sync("f", SyncProgress.NONE);
    assertThat(entries(sb, FROM_F, Visibility.EVERYTHING))
        .extracting(Entry::id)
        .containsExactlyInAnyOrderElementsOf(sent);
    assertThat(r.pulled()).isEqualTo(280);

    // A later sync re-reads the last millisecond only, and takes nothing twice.
    SyncReport again = federation.sync("f", SyncProgress.NONE);
    assertThat(again.pulled()).isZero();
    assertThat(again.pulledDuplicates()).isLessThanOrEqualTo(40);
    assertThat(PeerSync.justBefore("2026-03-01T10:00:00.006Z"))
        .isEqualTo("2026-03-01T10:00:00.005Z");
  }

  @Test
  void aPeerHeldByAnotherProcessIsNotSyncedTwiceAtOnce() {
    Store sa = a.store();
    org(sa, "nation-b");
    user(sa, "peer-b", "nation-b");
    collection(sa, OUT_A, "Outbound");
    grant(sa, OUT_A, "nation-b", true, false);
    put(sa, OUT_A, "nation-a", object(Tlp.GREEN, "2026-01-01T00:00:00.000Z"));
    Store sb = b.store();
    org(sb, "nation-a");
    collection(sb, FROM_A, "From A");
    peer("a", "nation-a", discovery(a), OUT_A, Peer.Direction.PULL, FROM_A, List.of());
    Instant now = Instant.now();
    boolean held =
        sb.write(tx -> tx.lease(Peer.leaseName("a"), "other-process", now, now.plusSeconds(60)));
    assertThat(held).isTrue();

    assertThatThrownBy(() -> federation.sync("a", SyncProgress.NONE))
        .isInstanceOf(Federation.PeerBusyException.class);
    assertThat(sb.peerState("a").lastAttempt()).isNull(); // not an attempt, not a failure

    // An expired lease is taken over; after the sync the lease is free again.
    sb.write(tx -> tx.lease(Peer.leaseName("a"), "other-process", now, now.minusSeconds(1)));
    assertThat(federation.sync("a", SyncProgress.NONE).pulled()).isEqualTo(1);
    boolean free =
        sb.write(tx -> tx.lease(Peer.leaseName("a"), "third", Instant.now(), Instant.now()));
    assertThat(free).isTrue();
  }

  @Test
  void aRunningNodeSyncsItsPeersOnTheirInterval() throws Exception {
    Store sa = a.store();
    org(sa, "nation-b");
    user(sa, "peer-b", "nation-b");
    collection(sa, OUT_A, "Outbound");
    grant(sa, OUT_A, "nation-b", true, false);
    Store sb = b.store();
    org(sb, "nation-a");
    collection(sb, FROM_A, "From A");
    // Node b's own schedule (started by serve), not this test's Federation, does the work.
    peer("a", "nation-a", discovery(a), OUT_A, Peer.Direction.PULL, FROM_A, List.of(), 1);
    for (int round = 1; round <= 2; round++) {
      put(sa, OUT_A, "nation-a", object(Tlp.GREEN, "2026-01-01T00:00:00.000Z"));
      Instant deadline = Instant.now().plusSeconds(15);
      while (entries(sb, FROM_A, Visibility.EVERYTHING).size() < round
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(entries(sb, FROM_A, Visibility.EVERYTHING)).hasSize(round);
    }
    assertThat(sb.peerState("a").lastSuccess()).isNotNull();
  }
}
