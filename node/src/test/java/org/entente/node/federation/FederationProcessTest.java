package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.entente.node.federation.FederationWorld.Coll;
import org.entente.node.federation.FederationWorld.Direction;
import org.entente.node.federation.FederationWorld.Held;
import org.entente.node.federation.FederationWorld.PeerSpec;
import org.entente.node.federation.FederationWorld.ReaderCheck;
import org.entente.node.federation.FederationWorld.Version;
import org.entente.stix.marking.Tlp;
import org.entente.store.Entry;
import org.entente.store.EntryPage;
import org.entente.store.ObjectQuery;
import org.entente.store.PeerState;
import org.entente.store.SpecVersions;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation as operators run it: three nodes, each {@code entente serve} in its own JVM on
 * 127.0.0.1 with its own SQLite data directory and home organisation, set up with the command line
 * ({@code org add}, {@code user add}, {@code collection add|grant}, {@code peer add}), fed 10,000
 * object versions at every TLP over TAXII, and synced with {@code entente sync --peer} until
 * nothing changes. Each node must then hold exactly what the sharing policy allows ({@link
 * FederationWorld#expected()}): read over TAXII as its home admin, and as users of other
 * organisations, who must not see AMBER that came from a peer; no version twice in a collection;
 * RED on no other node. Chain, ring and star, and a chain whose nodes are SIGKILLed mid-pull and
 * mid-push and restarted on their data.
 */
class FederationProcessTest {
  private static final long SEED = Long.getLong("federation.seed", System.nanoTime());
  private static final int ENVELOPE = 2_500;
  private static final Pattern SUMMARY =
      Pattern.compile(
          "pulled (\\d+) new \\((\\d+) already held\\), skipped (\\d+), pushed (\\d+), push"
              + " failures (\\d+)");

  @TempDir Path dir;

  private final Map<String, FederationNode> nodes = new LinkedHashMap<>();
  private final List<Process> children = new ArrayList<>();
  private long started;

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
    }
    for (FederationNode n : nodes.values()) {
      n.close();
    }
  }

  // ---- topologies -----------------------------------------------------------------------------

  /**
   * A -> B -> C. B pulls A's outbound; B pushes its outbound, what it pulled from A and a
   * collection C's organisation has no grant on, to C under an AMBER ceiling.
   */
  private static FederationWorld chain(String name, Random random, int fromA) {
    Set<String> none = Set.of();
    return new FederationWorld(name, "a", "b", "c")
        .collection("a", "outbound", Tlp.GREEN, Set.of("b"), none)
        .collection("b", "outbound", Tlp.AMBER, Set.of("c"), none)
        .collection("b", "inbound-from-a", Tlp.AMBER, Set.of("c"), none)
        .collection("b", "national", Tlp.AMBER, none, none)
        .collection("c", "outbound", Tlp.CLEAR, none, none)
        .collection("c", "inbound-from-b", Tlp.AMBER, Set.of("a"), Set.of("b"))
        .peer("b", "a", "a", "outbound", Direction.PULL, "inbound-from-a", List.of(), null)
        .peer(
            "b",
            "c",
            "c",
            "inbound-from-b",
            Direction.PUSH,
            null,
            List.of("outbound", "inbound-from-a", "national"),
            Tlp.AMBER)
        .inject("a", "outbound", fromA, random)
        .inject("b", "outbound", (10_000 - fromA) / 2 - 500, random)
        .inject("b", "national", 500, random)
        .inject("c", "outbound", 10_000 - fromA - ((10_000 - fromA) / 2), random)
        .readerCheck("b", "outbound", "c")
        .readerCheck("b", "inbound-from-a", "c")
        .readerCheck("c", "inbound-from-b", "a");
  }

  /**
   * A -> B -> C -> A, each forwarding what it received: A pushes to B, C pulls B's outbound and
   * what B received from A (two peers for B's organisation), C pushes to A.
   */
  private static FederationWorld ring(Random random) {
    Set<String> none = Set.of();
    return new FederationWorld("ring", "a", "b", "c")
        .collection("a", "outbound", Tlp.GREEN, Set.of("b"), none)
        .collection("a", "inbound-from-c", Tlp.AMBER, Set.of("b"), Set.of("c"))
        .collection("b", "outbound", Tlp.AMBER, Set.of("c"), none)
        .collection("b", "inbound-from-a", Tlp.AMBER, Set.of("c"), Set.of("a"))
        .collection("c", "outbound", Tlp.CLEAR, Set.of("a"), none)
        .collection("c", "inbound-from-b", Tlp.AMBER, Set.of("a"), none)
        .peer(
            "a",
            "b",
            "b",
            "inbound-from-a",
            Direction.PUSH,
            null,
            List.of("outbound", "inbound-from-c"),
            null)
        .peer("c", "b", "b", "outbound", Direction.PULL, "inbound-from-b", List.of(), null)
        .peer(
            "c",
            "b-relay",
            "b",
            "inbound-from-a",
            Direction.PULL,
            "inbound-from-b",
            List.of(),
            null)
        .peer(
            "c",
            "a",
            "a",
            "inbound-from-c",
            Direction.PUSH,
            null,
            List.of("outbound", "inbound-from-b"),
            null)
        .inject("a", "outbound", 3_334, random)
        .inject("b", "outbound", 3_333, random)
        .inject("c", "outbound", 3_333, random)
        .readerCheck("a", "inbound-from-c", "b")
        .readerCheck("b", "inbound-from-a", "c")
        .readerCheck("c", "inbound-from-b", "a");
  }

  /**
   * B is the hub of A and C, collecting their objects with its own in its hub collection and
   * sending the hub back out. With A it shares a bilateral exchange collection on A's side
   * (direction both: one peer pulls it and pushes into it). With C it has two peers standing for
   * C's organisation: one pulls C's outbound, the other pushes the hub into C's inbound collection
   * under a GREEN ceiling. A and C have no peers of their own.
   */
  private static FederationWorld star(Random random) {
    Set<String> none = Set.of();
    return new FederationWorld("star", "a", "b", "c")
        .collection("a", "exchange", Tlp.GREEN, Set.of("b", "c"), Set.of("b"))
        .collection("b", "hub", Tlp.AMBER, Set.of("a", "c"), none)
        .collection("c", "outbound", Tlp.CLEAR, Set.of("b"), none)
        .collection("c", "inbound-from-b", Tlp.AMBER, Set.of("a"), Set.of("b"))
        .peer("b", "a", "a", "exchange", Direction.BOTH, "hub", List.of("hub"), null)
        .peer("b", "c-in", "c", "outbound", Direction.PULL, "hub", List.of(), null)
        .peer("b", "c-out", "c", "inbound-from-b", Direction.PUSH, null, List.of("hub"), Tlp.GREEN)
        .inject("a", "exchange", 3_500, random)
        .inject("b", "hub", 3_000, random)
        .inject("c", "outbound", 3_500, random)
        .readerCheck("b", "hub", "a")
        .readerCheck("a", "exchange", "c")
        .readerCheck("c", "inbound-from-b", "a");
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void chainConvergesToWhatThePolicyAllows() throws Exception {
    converges(chain("chain", random(1), 4_000));
  }

  @Test
  void ringConvergesAndNothingCirculates() throws Exception {
    converges(ring(random(2)));
  }

  @Test
  void starConvergesAndTheHubSendsNothingBack() throws Exception {
    converges(star(random(3)));
  }

  private void converges(FederationWorld world) throws Exception {
    started = System.nanoTime();
    log(world, "seed %d", SEED);
    setUp(world);
    inject(world);
    int rounds = syncUntilQuiet(world);
    log(world, "converged after %d sync rounds", rounds);
    List<String> problems = verify(world, true);
    log(world, "verified");
    assertThat(problems)
        .as("%s (seed %d): what the nodes hold against the policy", world.name, SEED)
        .isEmpty();
  }

  /**
   * The chain, with nodes killed by SIGKILL mid-sync, each restarted on its data and port: B (its
   * `entente sync` process and its `serve`) while it pulls from A; C (the receiver) while B pushes
   * to it; B again while it pushes to C. Then the syncs go on until nothing changes (a sync killed
   * with its node holds the peer until its lease runs out). Nothing may be lost or held twice: each
   * node must hold exactly what the model expects of the 12,000 versions (10,000 at first, 2,000
   * more before the last kill).
   */
  @Test
  void sigkillMidPullAndMidPushLosesNothingAndDuplicatesNothing() throws Exception {
    FederationWorld world = chain("chain-kill", random(4), 5_000);
    started = System.nanoTime();
    log(world, "seed %d", SEED);
    setUp(world);
    inject(world);
    FederationNode b = nodes.get("b");
    FederationNode c = nodes.get("c");
    Random delays = random(5);
    Map<String, Map<String, Map<String, Held>>> expected = world.expected();

    // 1. B pulls ~4,500 versions from A in pages of 1,000: kill B during the pull.
    Process pull = syncProcess(b, "a");
    String seen = awaitLine(pull, "pull: ", Duration.ofSeconds(90));
    Thread.sleep(delays.nextInt(100));
    pull.destroyForcibly();
    b.kill();
    pull.waitFor(30, TimeUnit.SECONDS);
    long pulledBeforeKill = count(b, "inbound-from-a");
    int toPull = expected.get("b").get("inbound-from-a").size();
    log(
        world,
        "SIGKILLed B mid-pull (its sync had said '%s'): B holds %d of the %d versions to pull",
        seen,
        pulledBeforeKill,
        toPull);
    assertThat(pulledBeforeKill).as("the kill came after the pull had ended").isLessThan(toPull);
    b.start();
    log(world, "B restarted");

    // 2. B pushes to C what it holds (its pull from A waits for the dead sync's lease): kill C.
    Process push = syncProcess(b, "c");
    seen = awaitLine(push, "push: ", Duration.ofSeconds(90));
    Thread.sleep(delays.nextInt(100));
    c.kill();
    log(
        world,
        "SIGKILLed C mid-push (B's sync had said '%s'): C holds %d of %d",
        seen,
        count(c, "inbound-from-b"),
        expected.get("c").get("inbound-from-b").size());
    c.start();
    log(world, "C restarted");
    if (!push.waitFor(180, TimeUnit.SECONDS)) {
      throw new AssertionError("the sync whose receiver was killed never ended");
    }
    log(world, "the sync whose receiver was killed exited %d", push.exitValue());

    // 3. B publishes 2,000 more versions; kill B itself while it pushes them to C.
    List<Version> outbound = world.injected.get("b").get("outbound");
    int before = outbound.size();
    world.inject("b", "outbound", 2_000, random(6));
    post("b", "outbound", new ArrayList<>(outbound.subList(before, outbound.size())));
    expected = world.expected();
    push = syncProcess(b, "c");
    seen = awaitLine(push, "push: ", Duration.ofSeconds(90));
    Thread.sleep(delays.nextInt(100));
    push.destroyForcibly();
    b.kill();
    push.waitFor(30, TimeUnit.SECONDS);
    long pushedBeforeKill = count(c, "inbound-from-b");
    int toPush = expected.get("c").get("inbound-from-b").size();
    log(
        world,
        "SIGKILLed B mid-push (its sync had said '%s'): C holds %d of %d",
        seen,
        pushedBeforeKill,
        toPush);
    assertThat(pushedBeforeKill).as("the kill came after the push had ended").isLessThan(toPush);
    b.start();
    log(world, "B restarted");

    int rounds = syncUntilQuiet(world);
    log(world, "quiet after %d sync rounds (a busy peer is tried again every second)", rounds);
    // Loss and duplicates; what other organisations see is the business of the tests above.
    List<String> problems = verify(world, false);
    log(world, "verified");
    assertThat(problems)
        .as(
            "%s (seed %d): after SIGKILLs, what the nodes hold against the policy",
            world.name, SEED)
        .isEmpty();
  }

  // ---- set-up ---------------------------------------------------------------------------------

  private static Random random(int salt) {
    return new Random(SEED * 31 + salt);
  }

  private void setUp(FederationWorld world) throws Exception {
    for (String key : world.nodes) {
      nodes.put(key, new FederationNode(key, dir.resolve(world.name + "-" + key)));
    }
    inParallel(world, key -> nodes.get(key).start());
    log(world, "3 nodes serve");
    inParallel(world, key -> setUpNode(world, key));
    log(world, "organisations, users, collections and grants made");
    for (PeerSpec p : world.peers) {
      FederationNode n = nodes.get(p.node());
      FederationNode remote = nodes.get(p.remoteNode());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "peer",
                  "add",
                  p.name(),
                  "--org",
                  remote.org,
                  "--url",
                  remote.discoveryUrl(),
                  "--collection",
                  world.coll(p.remoteNode(), p.remoteAlias()).id(),
                  "--direction",
                  p.direction().name().toLowerCase(java.util.Locale.ROOT),
                  "--interval",
                  "3600",
                  "--user",
                  FederationWorld.peerUser(p.node()),
                  "--password-stdin"));
      if (p.localAlias() != null) {
        args.addAll(List.of("--local-collection", p.localAlias()));
      }
      for (String c : p.publish()) {
        args.addAll(List.of("--publish", c));
      }
      if (p.ceiling() != null) {
        args.addAll(List.of("--tlp-ceiling", tlpName(p.ceiling())));
      }
      cli(
          n,
          FederationWorld.peerPassword(p.node(), p.remoteNode()) + "\n",
          args.toArray(String[]::new));
    }
    awaitScheduledSyncs(world);
    log(world, "%d peers added; serve's first scheduled syncs done", world.peers.size());
  }

  /** Something to do on one node. */
  private interface NodeTask {
    void run(String key) throws Exception;
  }

  /** Runs {@code task} for every node at once, and waits for all. */
  private static void inParallel(FederationWorld world, NodeTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(world.nodes.size());
    try {
      List<Future<?>> all = new ArrayList<>();
      for (String key : world.nodes) {
        all.add(
            pool.submit(
                () -> {
                  task.run(key);
                  return null;
                }));
      }
      for (Future<?> f : all) {
        f.get(300, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Organisations, peer users, collections and grants of one node, with the command line. */
  private void setUpNode(FederationWorld world, String key) {
    FederationNode n = nodes.get(key);
    for (String other : world.nodes) {
      if (other.equals(key)) {
        continue;
      }
      cli(n, null, "org", "add", FederationWorld.org(other), "--country", country(other));
      cli(
          n,
          FederationWorld.peerPassword(other, key) + "\n",
          "user",
          "add",
          FederationWorld.peerUser(other),
          "--org",
          FederationWorld.org(other),
          "--role",
          "peer",
          "--password-stdin");
    }
    for (Coll c : world.collections.get(key).values()) {
      cli(
          n,
          null,
          "collection",
          "add",
          c.alias(),
          "--id",
          c.id(),
          "--alias",
          c.alias(),
          "--default-tlp",
          tlpName(c.defaultTlp()));
      Set<String> orgs = new java.util.TreeSet<>(c.readers());
      orgs.addAll(c.writers());
      for (String org : orgs) {
        List<String> args = new ArrayList<>(List.of("collection", "grant", c.alias()));
        if (c.readers().contains(org)) {
          args.add("--read");
        }
        if (c.writers().contains(org)) {
          args.add("--write");
        }
        args.add("org:" + org);
        cli(n, null, args.toArray(String[]::new));
      }
    }
  }

  private static String country(String node) {
    return switch (node) {
      case "a" -> "AT";
      case "b" -> "BE";
      default -> "CZ";
    };
  }

  private static String tlpName(Tlp tlp) {
    return tlp.name().toLowerCase(java.util.Locale.ROOT).replace('_', '+');
  }

  private static FederationCli.Run cli(FederationNode n, String stdin, String... args) {
    return FederationCli.run(n.data, stdin, args).check();
  }

  /**
   * `serve` syncs a peer as soon as it sees it (then every hour, as added here): the peers are
   * added before any object is, and the test syncs only once those first syncs are over.
   */
  private void awaitScheduledSyncs(FederationWorld world) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (PeerSpec p : world.peers) {
      FederationNode n = nodes.get(p.node());
      while (true) {
        PeerState st;
        try (SqliteStore store = SqliteStore.open(n.data)) {
          st = store.peerState(p.name());
        }
        Instant attempt = st.lastAttempt();
        boolean ended =
            attempt != null
                && ((st.lastSuccess() != null && !st.lastSuccess().isBefore(attempt))
                    || (st.lastErrorAt() != null && !st.lastErrorAt().isBefore(attempt)));
        if (ended) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "serve did not sync peer "
                  + p.name()
                  + " of node "
                  + p.node()
                  + " within 60 s of its addition: "
                  + st
                  + "\n"
                  + n.recentOutput());
        }
        Thread.sleep(100);
      }
    }
  }

  private void inject(FederationWorld world) throws Exception {
    inParallel(
        world,
        key -> {
          for (var e : world.injected.get(key).entrySet()) {
            post(key, e.getKey(), e.getValue());
          }
        });
    log(world, "%d object versions posted over TAXII", world.injectedCount());
  }

  /** POSTs versions to a node's collection as its home admin, in big envelopes. */
  private void post(String key, String alias, List<Version> list) throws Exception {
    FederationNode n = nodes.get(key);
    FederationTaxii taxii = new FederationTaxii(n.baseUrl(), "admin", n.adminPassword);
    for (int from = 0; from < list.size(); from += ENVELOPE) {
      List<String> objects = new ArrayList<>();
      for (Version v : list.subList(from, Math.min(list.size(), from + ENVELOPE))) {
        objects.add(FederationWorld.json(v));
      }
      var status = taxii.post(alias, objects, Duration.ofSeconds(120));
      if (status.path("success_count").asInt() != objects.size()) {
        throw new IllegalStateException("node " + key + " did not take every object: " + status);
      }
    }
  }

  // ---- syncing ---------------------------------------------------------------------------------

  /** Per sync: what it did, as `entente sync` printed it. */
  private record Outcome(long pulled, long held, long skipped, long pushed, long pushFailures) {
    boolean changed() {
      return pulled > 0 || pushed > 0 || pushFailures > 0;
    }
  }

  /**
   * Rounds of `entente sync --peer` over every peer until a round changes nothing. A peer that
   * another process holds (one that was SIGKILLed holds it until its lease runs out) is skipped in
   * that round and the rounds go on until it is free.
   */
  private int syncUntilQuiet(FederationWorld world) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
    int rounds = 0;
    int changing = 0;
    String lastBusy = "[]";
    while (true) {
      rounds++;
      boolean changed = false;
      List<String> busy = new ArrayList<>();
      long pulled = 0;
      long pushed = 0;
      long skipped = 0;
      for (PeerSpec p : world.peers) {
        Outcome o = sync(nodes.get(p.node()), p.name());
        if (o == null) {
          busy.add(p.node() + "/" + p.name());
          continue;
        }
        changed |= o.changed();
        pulled += o.pulled();
        pushed += o.pushed();
        skipped += o.skipped();
      }
      if (changed || !busy.toString().equals(lastBusy)) {
        log(
            world,
            "sync round %d: pulled %d new, pushed %d, skipped %d%s",
            rounds,
            pulled,
            pushed,
            skipped,
            busy.isEmpty() ? "" : "; busy (held by another process): " + busy);
      }
      lastBusy = busy.toString();
      if (!changed && busy.isEmpty()) {
        return rounds;
      }
      if (changed && ++changing > 12) {
        throw new AssertionError(world.name + ": the syncs still change things after 12 rounds");
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(world.name + ": peers still busy after 200 s: " + busy);
      }
      if (!changed) {
        Thread.sleep(1_000);
      }
    }
  }

  /**
   * `entente sync --peer NAME` in this JVM; null when another process holds the peer (its lease).
   */
  private static Outcome sync(FederationNode n, String peer) {
    FederationCli.Run r = FederationCli.run(n.data, null, "sync", "--peer", peer);
    Matcher m = SUMMARY.matcher(r.out());
    if (m.find()) {
      return new Outcome(
          Long.parseLong(m.group(1)),
          Long.parseLong(m.group(2)),
          Long.parseLong(m.group(3)),
          Long.parseLong(m.group(4)),
          Long.parseLong(m.group(5)));
    }
    if (r.err().contains("being synced by another process")) {
      return null;
    }
    throw new AssertionError("sync failed: " + r + "\nnode log:\n" + n.recentOutput());
  }

  /** `entente sync --peer NAME` as a child JVM, to be killed. */
  private Process syncProcess(FederationNode n, String peer) throws IOException {
    Process p =
        new ProcessBuilder(
                FederationNode.javaCommand("sync", "--peer", peer, "--data", n.data.toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    children.add(p);
    return p;
  }

  /** Waits for the child's first stderr line starting with {@code prefix}; keeps draining it. */
  private static String awaitLine(Process p, String prefix, Duration timeout) throws Exception {
    CompletableFuture<String> found = new CompletableFuture<>();
    List<String> lines = new ArrayList<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  if (line.startsWith(prefix)) {
                    found.complete(line);
                  }
                }
              } catch (IOException ignored) {
                // killed
              }
              found.complete(null);
            },
            "federation-sync-stderr");
    t.setDaemon(true);
    t.start();
    String line = found.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      synchronized (lines) {
        throw new AssertionError(
            "the sync ended before any '" + prefix + "' progress: " + String.join("\n", lines));
      }
    }
    return line;
  }

  // ---- verification ----------------------------------------------------------------------------

  /** Versions held in a collection, read from the store directly (the node may be down). */
  private static long count(FederationNode n, String alias) {
    try (SqliteStore store = SqliteStore.open(n.data)) {
      return storeEntries(store, store.collection("api", alias).orElseThrow().id()).size();
    }
  }

  private static List<Entry> storeEntries(SqliteStore store, String collectionId) {
    List<Entry> out = new ArrayList<>();
    long after = 0;
    while (true) {
      EntryPage page =
          store.entries(
              new ObjectQuery(
                  collectionId,
                  Set.of(),
                  Set.of(),
                  VersionSelector.ALL,
                  new SpecVersions(Set.of("2.0", "2.1")),
                  null,
                  after,
                  10_000,
                  false,
                  Visibility.EVERYTHING));
      out.addAll(page.entries());
      if (!page.more()) {
        return out;
      }
      after = page.lastSeq();
    }
  }

  /**
   * Every node against the model: each collection over TAXII as the home admin (exactly the
   * expected versions, each once), the store itself (nothing hidden from the home admin, each
   * version once, RED only on its own node) and, with {@code readers}, the collections as users of
   * other organisations see them (no AMBER that came from a peer).
   */
  private List<String> verify(FederationWorld world, boolean readers) throws Exception {
    Map<String, Map<String, Map<String, Held>>> expected = world.expected();
    world.loweredByDefault.forEach(
        (flow, n) ->
            log(
                world,
                "note: %d unmarked versions arrive less restricted than their sender held them: %s"
                    + " (each collection's default applies, as the policy says)",
                n,
                flow));
    List<String> problems = new ArrayList<>();
    for (String key : world.nodes) {
      FederationNode n = nodes.get(key);
      FederationTaxii admin = new FederationTaxii(n.baseUrl(), "admin", n.adminPassword);
      int total = 0;
      try (SqliteStore store = SqliteStore.open(n.data)) {
        for (Coll c : world.collections.get(key).values()) {
          Map<String, Held> want = expected.get(key).get(c.alias());
          total += want.size();
          String where = where(world, key, c.alias());
          List<String> read = new ArrayList<>();
          admin.all(c.id()).forEach(i -> read.add(i.key()));
          compare(world, where + " read over TAXII by the home admin", want, read, problems);
          List<String> stored = new ArrayList<>();
          for (Entry e : storeEntries(store, c.id())) {
            stored.add(e.id() + " " + e.version());
          }
          List<String> hidden = new ArrayList<>(stored);
          hidden.removeAll(new HashSet<>(read));
          if (!hidden.isEmpty()) {
            problems.add(
                where
                    + ": "
                    + hidden.size()
                    + " versions in the store that the home admin does not see over TAXII: "
                    + breakdown(world, hidden, want));
          }
          if (new HashSet<>(stored).size() != stored.size()) {
            problems.add(where + ": the store holds a version twice in the collection");
          }
          for (String k : stored) {
            Version v = world.versions.get(k);
            if (v != null && v.marked() == Tlp.RED && !v.origin().equals(key)) {
              problems.add(where + ": holds TLP:RED " + k + " of node " + v.origin());
            }
          }
        }
      }
      log(world, "node %s checked (%d versions expected)", key, total);
    }
    if (!readers) {
      return problems;
    }
    for (ReaderCheck rc : world.readerChecks) {
      FederationNode n = nodes.get(rc.node());
      FederationTaxii reader =
          new FederationTaxii(
              n.baseUrl(),
              FederationWorld.peerUser(rc.readerNode()),
              FederationWorld.peerPassword(rc.readerNode(), rc.node()));
      Map<String, Held> visible = new LinkedHashMap<>();
      expected
          .get(rc.node())
          .get(rc.alias())
          .forEach(
              (k, h) -> {
                if (FederationWorld.visibleToOtherOrganisation(h)) {
                  visible.put(k, h);
                }
              });
      List<String> read = new ArrayList<>();
      reader.all(world.coll(rc.node(), rc.alias()).id()).forEach(i -> read.add(i.key()));
      compare(
          world,
          where(world, rc.node(), rc.alias())
              + " read over TAXII by "
              + FederationWorld.peerUser(rc.readerNode())
              + " of "
              + FederationWorld.org(rc.readerNode())
              + " (an organisation grant, not the home organisation)",
          visible,
          read,
          problems);
    }
    return problems;
  }

  /** node/collection, and which peers push into it: where a finding comes from. */
  private static String where(FederationWorld world, String node, String alias) {
    List<String> pushers = new ArrayList<>();
    for (PeerSpec p : world.peers) {
      if (p.direction().pushes() && p.remoteNode().equals(node) && p.remoteAlias().equals(alias)) {
        pushers.add(p.node());
      }
    }
    return node
        + "/"
        + alias
        + (pushers.isEmpty() ? "" : " (node " + String.join(", ", pushers) + " pushes into it)");
  }

  /** Adds to {@code problems} what differs between the expected and the actual versions. */
  private static void compare(
      FederationWorld world,
      String where,
      Map<String, Held> want,
      List<String> got,
      List<String> problems) {
    Map<String, Integer> seen = new HashMap<>();
    for (String k : got) {
      seen.merge(k, 1, Integer::sum);
    }
    List<String> twice = new ArrayList<>();
    seen.forEach(
        (k, times) -> {
          if (times > 1) {
            twice.add(k + " x" + times);
          }
        });
    if (!twice.isEmpty()) {
      problems.add(
          where + ": " + twice.size() + " versions held more than once, e.g. " + first(twice));
    }
    List<String> missing = new ArrayList<>();
    for (String k : want.keySet()) {
      if (!seen.containsKey(k)) {
        missing.add(k);
      }
    }
    List<String> extra = new ArrayList<>();
    for (String k : seen.keySet()) {
      if (!want.containsKey(k)) {
        extra.add(k);
      }
    }
    if (!missing.isEmpty()) {
      problems.add(
          where
              + ": "
              + missing.size()
              + " of "
              + want.size()
              + " expected versions missing: "
              + breakdown(world, missing, want));
    }
    if (!extra.isEmpty()) {
      problems.add(
          where
              + ": "
              + extra.size()
              + " versions the policy does not allow here: "
              + breakdown(world, extra, want));
    }
  }

  /** Counts by origin node and marking, with one example each. */
  private static String breakdown(
      FederationWorld world, List<String> keys, Map<String, Held> want) {
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, String> example = new HashMap<>();
    for (String k : keys) {
      Version v = world.versions.get(k);
      Held h = want.get(k);
      String label =
          v == null
              ? "unknown version"
              : "from "
                  + v.origin()
                  + " "
                  + (v.marked() == null ? "unmarked" : v.marked().label())
                  + (h == null ? "" : h.federated() ? " (federated)" : " (local)");
      counts.merge(label, 1, Integer::sum);
      example.putIfAbsent(label, k);
    }
    StringBuilder sb = new StringBuilder();
    counts.forEach(
        (label, count) ->
            sb.append("\n    ")
                .append(count)
                .append(" ")
                .append(label)
                .append(", e.g. ")
                .append(example.get(label)));
    return sb.toString();
  }

  private static String first(List<String> list) {
    return String.join(", ", list.subList(0, Math.min(3, list.size())));
  }

  private void log(FederationWorld world, String format, Object... args) {
    System.out.printf(
        "[federation %s +%.1fs] %s%n",
        world.name, (System.nanoTime() - started) / 1e9, String.format(format, args));
  }
}
