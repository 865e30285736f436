package org.entente.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.NodeSetup;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.federation.Federation;
import org.entente.node.federation.SecretSeal;
import org.entente.node.federation.SyncProgress;
import org.entente.node.federation.SyncReport;
import org.entente.stix.StixObject;
import org.entente.stix.marking.Tlp;
import org.entente.stix.marking.TlpMarkings;
import org.entente.stix.validate.StixValidator;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.Entry;
import org.entente.store.EntryPage;
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

/**
 * Federation throughput (not JMH: one long run): two nodes started in this JVM on 127.0.0.1, N
 * TLP:GREEN objects loaded into a collection of node A, then one sync moves them all to a
 * collection of node B, pulled by B (default) or pushed by A ({@code --direction push}), through
 * the real TAXII client, server, validator, sharing policy and store. Prints objects/s and the time
 * of the sync alone (loading is not counted), then checks that B holds exactly the N objects. Run
 * with {@code --help} for the options.
 */
public final class FederationSyncBenchmark {
  private static final String PASSWORD = "entente-bench-password";
  private static final String PEER_PASSWORD = "entente-bench-peer-password";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Instant EPOCH = Instant.parse("2026-10-01T00:00:00Z");
  private static final double TARGET = 20_000;

  private final Options options;
  private final Path work;

  private FederationSyncBenchmark(Options options, Path work) {
    this.options = options;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("FederationSyncBenchmark: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(Options.USAGE);
      return;
    }
    // slf4j-simple reads its level once, when the first logger is made: quiet it before that.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path work = Files.createTempDirectory("entente-federation-bench-");
    boolean ok = false;
    try {
      ok = new FederationSyncBenchmark(options, work).run();
    } finally {
      if (!options.keep()) {
        deleteTree(work);
      } else {
        System.out.println("kept the data directories in " + work);
      }
    }
    System.exit(ok ? 0 : 1);
  }

  private boolean run() throws Exception {
    Machine machine = Machine.here();
    System.out.println("Entente federation sync benchmark");
    System.out.println("machine: " + machine.describe());
    System.out.println("load average at start: " + Machine.loadAverage());
    System.out.println("options: " + options);
    Path dirA = work.resolve("node-a");
    Path dirB = work.resolve("node-b");
    try (Node a = start(dirA);
        Node b = start(dirB)) {
      System.out.println("node A at " + a.baseUrl() + ", node B at " + b.baseUrl());
      Setup setup = setUp(a, dirA, b, dirB);

      System.out.printf("%nloading %,d objects into node A ...%n", options.objects());
      long t0 = System.nanoTime();
      Loaded loaded = load(a.store(), setup.source(), homeIdentity(a.store()));
      System.out.printf(
          "loaded %,d objects (%s) in %.1f s: %,.0f MB of JSON, %,.0f bytes/object on average%n",
          loaded.count(),
          loaded.mix(),
          (System.nanoTime() - t0) / 1e9,
          loaded.bytes() / 1e6,
          loaded.bytes() / (double) loaded.count());

      Node syncing = options.push() ? a : b;
      Path syncingDir = options.push() ? dirA : dirB;
      Result r = sync(syncing.store(), syncingDir, setup.peer());

      System.out.println();
      System.out.println("checking node B's collection ...");
      Loaded held = census(b.store(), setup.target());
      boolean same = held.count() == loaded.count() && held.idHash() == loaded.idHash();
      System.out.printf(
          "node B holds %,d entries in the receiving collection (%,d expected); ids %s%n",
          held.count(), loaded.count(), same ? "identical" : "DIFFER");

      double rate = loaded.count() / r.seconds();
      System.out.println();
      System.out.println("load average at end: " + Machine.loadAverage());
      System.out.printf("RESULTS (%s)%n", machine.describe());
      System.out.printf(
          "federation %s of %,d objects A -> B on 127.0.0.1: %,.0f objects/s end to end, %.1f s"
              + " (target >= %,.0f objects/s: %s)%n",
          options.direction(),
          loaded.count(),
          rate,
          r.seconds(),
          TARGET,
          rate >= TARGET ? "met" : "NOT met");
      System.out.printf(
          "  %s; %,d %s; %,.0f MB of JSON moved (%,.1f MB/s)%n",
          r.describe(),
          r.steps(),
          options.push() ? "envelopes" : "pages",
          loaded.bytes() / 1e6,
          loaded.bytes() / 1e6 / r.seconds());
      System.out.printf(
          "  CPU of the process (both nodes): %.1f s, %.2f cores on average, %.0f us/object%n",
          r.cpuSeconds(), r.cpuSeconds() / r.seconds(), r.cpuSeconds() * 1e6 / loaded.count());
      System.out.printf(
          "  GC: %d collections, %.1f s; peak heap %,.0f MB (max %,.0f MB)%n",
          r.gcCount(),
          r.gcSeconds(),
          r.peakHeapBytes() / 1e6,
          Runtime.getRuntime().maxMemory() / 1e6);
      System.out.println("  CPU by thread group during the sync (s):");
      r.threadCpu().forEach((k, v) -> System.out.printf("    %-40s %7.1f%n", k, v));
      System.out.printf("  JFR window --from %s --to %s%n", r.from(), r.to());
      System.out.printf(
          "  verified: node B holds %s%n",
          same ? "exactly the objects loaded into A" : "NOT the objects loaded into A");
      return same && r.report().skipped() == 0;
    }
  }

  private Node start(Path dir) {
    return Node.start(
        NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0),
        Map.of("ENTENTE_ADMIN_PASSWORD", PASSWORD));
  }

  // ---- setup ---------------------------------------------------------------------------------

  /** The collection loaded on A, the one filled on B, and the name of the peer that syncs. */
  private record Setup(String source, String target, String peer) {}

  /**
   * Each node knows the other's nation as an organisation (with the other's home identity) and
   * gives it an account. Pull: B's peer "a" reads A's source collection as nation-b's peer account.
   * Push: A's peer "b" writes into B's collection as nation-a's peer account. The peer's state says
   * it was attempted just now and its interval is a day, so the node's own scheduler leaves it to
   * the benchmark.
   */
  private Setup setUp(Node a, Path dirA, Node b, Path dirB) {
    PasswordHasher hasher = new PasswordHasher();
    String peerHash = hasher.hash(PEER_PASSWORD);
    Instant now = Instant.now();
    String source = UUID.randomUUID().toString();
    String target = UUID.randomUUID().toString();
    String identityA = homeIdentity(a.store());
    String identityB = homeIdentity(b.store());
    a.store()
        .write(
            tx -> {
              tx.createCollection(
                  new Collection(
                      source,
                      NodeSetup.API_ROOT,
                      "Shared indicators",
                      "What nation A shares with its allies",
                      "shared",
                      "amber",
                      now));
              tx.grant(
                  new CollectionGrant(source, CollectionGrant.GranteeKind.ORG, "home", true, true));
              tx.createOrganisation(new Organisation("nation-b", identityB, "BE", false));
              tx.grant(
                  new CollectionGrant(
                      source, CollectionGrant.GranteeKind.ORG, "nation-b", true, false));
              tx.createUser(new User("node-b", "nation-b", User.Role.PEER, peerHash, false, now));
              return null;
            });
    b.store()
        .write(
            tx -> {
              tx.createCollection(
                  new Collection(
                      target,
                      NodeSetup.API_ROOT,
                      "From nation A",
                      "What nation A shares with us",
                      "from-a",
                      "amber",
                      now));
              tx.grant(
                  new CollectionGrant(target, CollectionGrant.GranteeKind.ORG, "home", true, true));
              tx.createOrganisation(new Organisation("nation-a", identityA, "AT", false));
              tx.grant(
                  new CollectionGrant(
                      target, CollectionGrant.GranteeKind.ORG, "nation-a", true, true));
              tx.createUser(new User("node-a", "nation-a", User.Role.PEER, peerHash, false, now));
              return null;
            });
    Node syncing = options.push() ? a : b;
    Node remote = options.push() ? b : a;
    String name = options.push() ? "b" : "a";
    Peer peer =
        new Peer(
            name,
            options.push() ? "nation-b" : "nation-a",
            remote.baseUrl() + "/taxii2/",
            null,
            options.push() ? target : source,
            options.push() ? Peer.Direction.PUSH : Peer.Direction.PULL,
            86_400,
            options.push() ? null : target,
            options.push() ? List.of(source) : List.of(),
            Tlp.AMBER,
            new Peer.PeerCredentials(
                "basic",
                options.push() ? "node-a" : "node-b",
                SecretSeal.of(options.push() ? dirA : dirB).seal(PEER_PASSWORD),
                null),
            null,
            now);
    PeerState notDue =
        new PeerState(
            name, null, Map.of(), null, 0, null, now, null, null, null, 0, null, null, 0, 0, 0);
    syncing
        .store()
        .write(
            tx -> {
              tx.createPeer(peer);
              tx.savePeerState(notDue);
              return null;
            });
    System.out.printf(
        "peer '%s' on node %s: %s, %s as %s%n",
        name,
        options.push() ? "A" : "B",
        peer.direction(),
        peer.discoveryUrl(),
        peer.credentials().user());
    return new Setup(source, target, name);
  }

  private static String homeIdentity(Store store) {
    return store.organisations().stream()
        .filter(Organisation::home)
        .map(Organisation::identityId)
        .findFirst()
        .orElseThrow();
  }

  // ---- loading -------------------------------------------------------------------------------

  /**
   * What a collection holds: entries, JSON bytes, and an order-independent 64-bit hash of the ids
   * (sum of mixed id hashes), so that the count and the ids can be compared between the nodes.
   */
  private record Loaded(long count, long bytes, long idHash, String mix) {}

  /**
   * Fills A's source collection straight through its store, in transactions of {@code --load-batch}
   * objects: ATT&CK (when the shared data is there), then indicators of the real feed values (IPs,
   * CIDRs, domains, URLs, hashes, interleaved), then generated indicators. Every object is marked
   * TLP:GREEN (2.0) and checked by the validator as a TAXII POST would be.
   */
  private Loaded load(Store store, String collection, String identity) throws IOException {
    StixValidator validator = new StixValidator();
    ObjectSource objects = new ObjectSource(identity);
    long count = 0;
    long bytes = 0;
    long idHash = 0;
    long invalid = 0;
    String firstInvalid = null;
    List<ObjectWrite> batch = new ArrayList<>(options.loadBatch());
    long lastReport = System.nanoTime();
    while (count < options.objects()) {
      ObjectNode o = objects.next();
      var report = validator.validate(o);
      if (!report.valid()) {
        invalid++;
        if (firstInvalid == null) {
          firstInvalid = o.path("id").asText() + ": " + report.firstErrorMessage();
        }
        continue;
      }
      ObjectWrite w = ObjectWrite.of(collection, StixObject.of(o), "home", "admin", Tlp.GREEN);
      batch.add(w);
      bytes += w.json().length();
      idHash += mix(w.object().id());
      count++;
      if (batch.size() == options.loadBatch() || count == options.objects()) {
        List<ObjectWrite> writes = List.copyOf(batch);
        store.write(tx -> tx.putAll(writes));
        batch.clear();
        if (System.nanoTime() - lastReport > 10_000_000_000L) {
          System.out.printf("  %,d loaded%n", count);
          lastReport = System.nanoTime();
        }
      }
    }
    if (invalid > 0) {
      System.out.printf(
          "  left out %,d objects the validator refused (first: %s)%n", invalid, firstInvalid);
    }
    return new Loaded(count, bytes, idHash, objects.mix());
  }

  /** A 64-bit mix of a string's hash (SplitMix64's finaliser over a 64-bit polynomial hash). */
  private static long mix(String s) {
    long h = 1_125_899_906_842_597L;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  /** The objects to share, in order: ATT&CK, feed indicators, generated indicators. */
  private static final class ObjectSource {
    private final String identity;
    private final List<ObjectNode> attack;
    private final IndicatorFeeds feeds;
    private final List<List<String>> feedLists;
    private final String[] feedKinds = {"ipv4", "cidr", "domain", "url", "hash"};
    private final int[] feedNext = new int[5];
    private final Random random = new Random(20_261_128L);
    private int attackNext;
    private int kindNext;
    private long serial;
    private long fromAttack;
    private long fromFeeds;
    private long generated;

    ObjectSource(String identity) throws IOException {
      this.identity = identity;
      var bundle = SharedData.attackBundle();
      if (bundle.isEmpty()) {
        System.err.printf(
            "[bench] ATT&CK bundle not found at %s (set -D%s=DIR): indicators only%n",
            SharedData.dir().resolve(SharedData.ATTACK_BUNDLE), SharedData.PROPERTY);
        attack = List.of();
      } else {
        // Marking definitions keep their fixed ids and are left out (they are not shared data).
        attack =
            Corpus.attack(bundle.get()).objects().stream()
                .filter(o -> !"marking-definition".equals(o.path("type").asText()))
                .toList();
      }
      feeds = IndicatorFeeds.load();
      if (feeds.total() == 0) {
        System.err.printf(
            "[bench] indicator feeds not found under %s: generated indicator values only%n",
            SharedData.dir().resolve("indicator-feeds"));
      }
      feedLists =
          List.of(feeds.ips(), feeds.cidrs(), feeds.domains(), feeds.urls(), feeds.hashes());
    }

    String mix() {
      return String.format(
          "%,d ATT&CK, %,d indicators of real feed values, %,d generated indicators",
          fromAttack, fromFeeds, generated);
    }

    ObjectNode next() {
      if (attackNext < attack.size()) {
        fromAttack++;
        ObjectNode o = attack.get(attackNext++).deepCopy();
        // Shared by nation A under TLP:GREEN; still MITRE's (a peer account relays it as it is).
        ArrayNode marks = o.withArray("object_marking_refs");
        marks.add(TlpMarkings.TLP2_GREEN);
        return o;
      }
      for (int tries = 0; tries < feedLists.size(); tries++) {
        int k = kindNext;
        kindNext = (kindNext + 1) % feedLists.size();
        List<String> list = feedLists.get(k);
        if (feedNext[k] < list.size()) {
          fromFeeds++;
          return indicator(feedKinds[k], list.get(feedNext[k]++));
        }
      }
      generated++;
      return indicator(feedKinds[(int) (serial % 5)], generatedValue((int) (serial % 5)));
    }

    private String generatedValue(int kind) {
      long n = serial;
      return switch (kind) {
        case 0 ->
            (1 + random.nextInt(223))
                + "."
                + random.nextInt(256)
                + "."
                + random.nextInt(256)
                + "."
                + random.nextInt(256);
        case 1 -> (1 + random.nextInt(223)) + "." + random.nextInt(256) + ".0.0/16";
        case 2 -> "host" + n + ".bench-" + (n % 997) + ".example.net";
        case 3 -> "http://files" + n + ".example.org/payload/" + (n % 9_973) + ".bin";
        default ->
            "SHA-256:"
                + String.format(
                    "%016x%016x%016x%016x",
                    random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
      };
    }

    private ObjectNode indicator(String kind, String value) {
      long n = serial++;
      String created =
          EPOCH
              .plus(n, ChronoUnit.SECONDS)
              .plusMillis(n % 1000)
              .truncatedTo(ChronoUnit.MILLIS)
              .toString();
      if (!created.contains(".")) {
        created = created.replace("Z", ".000Z");
      }
      String pattern;
      String type;
      switch (kind) {
        case "ipv4" -> {
          pattern = "[ipv4-addr:value = '" + value + "']";
          type = "malicious-activity";
        }
        case "cidr" -> {
          pattern = "[ipv4-addr:value ISSUBSET '" + value + "']";
          type = "malicious-activity";
        }
        case "domain" -> {
          pattern = "[domain-name:value = '" + quote(value) + "']";
          type = "malicious-activity";
        }
        case "url" -> {
          pattern = "[url:value = '" + quote(value) + "']";
          type = "malicious-activity";
        }
        default -> {
          String[] h = value.split(":", 2);
          pattern = "[file:hashes.'" + h[0] + "' = '" + h[1] + "']";
          type = "malicious-activity";
        }
      }
      ObjectNode o = NODES.objectNode();
      o.put("type", "indicator");
      o.put("spec_version", "2.1");
      o.put("id", "indicator--" + Corpus.uuid4(random));
      o.put("created", created);
      o.put("modified", created);
      o.put("created_by_ref", identity);
      o.put("name", value);
      o.set("indicator_types", NODES.arrayNode().add(type));
      o.put("pattern", pattern);
      o.put("pattern_type", "stix");
      o.put("valid_from", created);
      o.set("object_marking_refs", NODES.arrayNode().add(TlpMarkings.TLP2_GREEN));
      return o;
    }

    /** A STIX pattern string literal: backslash and quote escaped. */
    private static String quote(String s) {
      return s.replace("\\", "\\\\").replace("'", "\\'");
    }
  }

  // ---- the sync ------------------------------------------------------------------------------

  private record Result(
      SyncReport report,
      double seconds,
      long steps,
      double cpuSeconds,
      long gcCount,
      double gcSeconds,
      long peakHeapBytes,
      Map<String, Double> threadCpu,
      Instant from,
      Instant to) {

    String describe() {
      SyncReport r = report;
      return String.format(
          "pulled %,d (+%,d already held), skipped %,d, pushed %,d (%,d unacknowledged),"
              + " problems %d%s",
          r.pulled(),
          r.pulledDuplicates(),
          r.skipped(),
          r.pushed(),
          r.pushFailures(),
          r.problems().size(),
          r.problems().isEmpty() ? "" : " (first: " + r.problems().get(0) + ")");
    }
  }

  /**
   * Runs one sync of {@code peer} on the syncing node, through a federation and group-commit writer
   * of its own over that node's store (the node keeps its own writer for TAXII requests).
   */
  private Result sync(Store store, Path dataDir, String peer) {
    GroupCommitWriter writer =
        new GroupCommitWriter(store, options.writerQueue(), options.writerBatch());
    try (Federation federation =
        new Federation(
            store, writer, new StixValidator(), SecretSeal.of(dataDir), Clock.systemUTC())) {
      long[] steps = {0};
      long[] lastPrint = {System.nanoTime()};
      long start = System.nanoTime();
      SyncProgress progress =
          new SyncProgress() {
            @Override
            public void pulled(long total, boolean more) {
              step(total, more ? -1 : 0);
            }

            @Override
            public void pushed(long total, long remaining) {
              step(total, remaining);
            }

            private void step(long total, long remaining) {
              steps[0]++;
              long now = System.nanoTime();
              if (now - lastPrint[0] > 10_000_000_000L) {
                lastPrint[0] = now;
                System.out.printf(
                    "  %,d objects after %.0f s (%,.0f/s)%s%n",
                    total,
                    (now - start) / 1e9,
                    total / ((now - start) / 1e9),
                    remaining > 0 ? String.format(", about %,d to go", remaining) : "");
              }
            }
          };
      System.out.printf("%nsync (%s) ...%n", options.direction());
      Map<Long, Long> threadsBefore = threadCpuNanos();
      Map<Long, String> names = threadNames();
      long gcCountBefore = gcCount();
      long gcMillisBefore = gcMillis();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long cpuBefore = InProcessNode.processCpuNanos();
      Instant from = Instant.now();
      long t0 = System.nanoTime();
      SyncReport report = federation.sync(peer, progress);
      long t1 = System.nanoTime();
      long cpu = InProcessNode.processCpuNanos() - cpuBefore;
      Instant to = Instant.now();
      long peak =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .mapToLong(p -> p.getPeakUsage().getUsed())
              .sum();
      Map<Long, Long> threadsAfter = threadCpuNanos();
      names.putAll(threadNames());
      return new Result(
          report,
          (t1 - t0) / 1e9,
          steps[0],
          cpu / 1e9,
          gcCount() - gcCountBefore,
          (gcMillis() - gcMillisBefore) / 1e3,
          peak,
          byGroup(threadsBefore, threadsAfter, names),
          from,
          to);
    } finally {
      writer.close();
    }
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .sum();
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  private static Map<Long, Long> threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new HashMap<>();
    if (!threads.isThreadCpuTimeSupported()) {
      return out;
    }
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        out.put(id, t);
      }
    }
    return out;
  }

  private static Map<Long, String> threadNames() {
    Map<Long, String> out = new HashMap<>();
    for (ThreadInfo info :
        ManagementFactory.getThreadMXBean()
            .getThreadInfo(ManagementFactory.getThreadMXBean().getAllThreadIds())) {
      if (info != null) {
        out.put(info.getThreadId(), info.getThreadName());
      }
    }
    return out;
  }

  /**
   * CPU seconds per thread group (name with numbers folded: both nodes' Jetty pools are one group),
   * largest first; threads that ended during the sync are not counted.
   */
  private static Map<String, Double> byGroup(
      Map<Long, Long> before, Map<Long, Long> after, Map<Long, String> names) {
    Map<String, Double> groups = new HashMap<>();
    for (var e : after.entrySet()) {
      long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      String name = names.getOrDefault(e.getKey(), "?").replaceAll("[0-9]+", "N");
      groups.merge(name, used / 1e9, Double::sum);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    groups.entrySet().stream()
        .filter(e -> e.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  // ---- verification --------------------------------------------------------------------------

  /** Every entry of a collection (all versions, any visibility), counted and hashed by id. */
  private static Loaded census(Store store, String collection) {
    long count = 0;
    long idHash = 0;
    long seq = 0;
    while (true) {
      EntryPage page =
          store.entries(
              new ObjectQuery(
                  collection,
                  Set.of(),
                  Set.of(),
                  VersionSelector.ALL,
                  new SpecVersions(Set.of("2.0", "2.1")),
                  null,
                  seq,
                  10_000,
                  false,
                  Visibility.EVERYTHING));
      for (Entry e : page.entries()) {
        count++;
        idHash += mix(e.id());
      }
      if (page.entries().isEmpty() || !page.more()) {
        return new Loaded(count, 0, idHash, "");
      }
      seq = page.lastSeq();
    }
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /** Command-line options. */
  record Options(
      long objects,
      String direction,
      int loadBatch,
      int writerQueue,
      int writerBatch,
      boolean keep,
      boolean help) {

    static final String USAGE =
        String.join(
            "\n",
            "usage: java -cp bench/target/benchmarks.jar org.entente.bench.FederationSyncBenchmark"
                + " [options]",
            "  --objects N        objects to load into node A and sync to node B (default"
                + " 1000000)",
            "  --direction D      pull (B pulls from A, default) or push (A pushes to B)",
            "  --load-batch N     objects per store transaction when loading A (default 10000)",
            "  --writer-queue N   the syncing node's group-commit queue bound (default 200000)",
            "  --writer-batch N   objects per group commit on the syncing node (default 5000)",
            "  --keep             keep the temporary data directories",
            "  (shared data: -Dentente.sharedData=DIR, default ../shared/data next to the"
                + " project; profile with -XX:StartFlightRecording=filename=F.jfr,settings=profile"
                + " and JfrHotSpots over the printed window)");

    boolean push() {
      return "push".equals(direction);
    }

    static Options parse(String[] args) {
      Map<String, String> a = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String k = args[i];
        if (k.equals("--keep") || k.equals("--help") || k.equals("-h")) {
          a.put(k.equals("-h") ? "--help" : k, "true");
        } else if (k.startsWith("--") && i + 1 < args.length) {
          a.put(k, args[++i]);
        } else {
          throw new IllegalArgumentException("bad argument '" + k + "'");
        }
      }
      Set<String> known =
          Set.of(
              "--objects",
              "--direction",
              "--load-batch",
              "--writer-queue",
              "--writer-batch",
              "--keep",
              "--help");
      for (String k : a.keySet()) {
        if (!known.contains(k)) {
          throw new IllegalArgumentException("unknown option " + k);
        }
      }
      Options o =
          new Options(
              number(a, "--objects", 1_000_000),
              a.getOrDefault("--direction", "pull"),
              (int) number(a, "--load-batch", 10_000),
              (int) number(a, "--writer-queue", 200_000),
              (int) number(a, "--writer-batch", 5_000),
              a.containsKey("--keep"),
              a.containsKey("--help"));
      if (!Set.of("pull", "push").contains(o.direction())) {
        throw new IllegalArgumentException("--direction is pull or push");
      }
      if (o.objects() < 1 || o.loadBatch() < 1 || o.writerQueue() < 1 || o.writerBatch() < 1) {
        throw new IllegalArgumentException("counts must be positive");
      }
      return o;
    }

    private static long number(Map<String, String> a, String key, long fallback) {
      try {
        return a.containsKey(key)
            ? Long.parseLong(a.get(key).replace("_", "").replace(",", ""))
            : fallback;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " needs a number");
      }
    }
  }
}
