package org.entente.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Load driver over real HTTP on 127.0.0.1 (not JMH): cold start of the packaged node, then ingest,
 * paging and get-object throughput and latency against one fresh node, with 1 and 16 concurrent
 * clients. Every loop is bounded in count and in time; each measured phase follows a warm-up. Run
 * with {@code --help} for the options.
 */
public final class HttpLoadBenchmark {
  private static final String ADMIN = "admin";
  private static final String PASSWORD = "entente-bench-password";

  private final Options options;
  private final Path work;
  private final List<Row> rows = new ArrayList<>();

  /** Ids of objects this run ingested: the population the get-object phase samples. */
  private final List<String> ingestedIds = new ArrayList<>();

  private Corpus corpus;
  private Iterator<Corpus.Fresh> fresh;

  private HttpLoadBenchmark(Options options, Path work) {
    this.options = options;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("HttpLoadBenchmark: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(Options.USAGE);
      return;
    }
    Path work = Files.createTempDirectory("entente-bench-");
    try {
      new HttpLoadBenchmark(options, work).run();
    } finally {
      if (!options.keep()) {
        deleteTree(work);
      } else {
        System.out.println("kept data directories and node logs in " + work);
      }
    }
  }

  private void run() throws Exception {
    Machine machine = Machine.here();
    System.out.println("Entente HTTP load benchmark");
    System.out.println("machine: " + machine.describe());
    System.out.println("load average at start: " + Machine.loadAverage());
    System.out.println("options: " + options);
    if (options.phases().contains("cold")) {
      coldStart();
    }
    Set<String> load = new LinkedHashSet<>(options.phases());
    load.remove("cold");
    if (!load.isEmpty()) {
      corpus = Corpus.load(options.corpus());
      fresh = corpus.freshCopies();
      System.out.printf(
          "ingest data: fresh copies of %s (%,d objects, re-identified per copy)%n",
          corpus.description(), corpus.size());
      try (NodeUnderTest node = startNode()) {
        System.out.println("node: " + node.describe() + " at " + node.baseUrl());
        if (load.contains("ingest")) {
          for (int c : options.clients()) {
            ingest(node, c);
          }
        }
        if (load.contains("page")) {
          for (int c : options.clients()) {
            paging(node, c);
          }
        }
        if (load.contains("get")) {
          getObjects(node, options.getClients());
        }
      }
    }
    System.out.println();
    System.out.println("load average at end: " + Machine.loadAverage());
    System.out.println("RESULTS (" + machine.describe() + ")");
    Row.print(rows);
  }

  // ---- cold start ----------------------------------------------------------------------------

  /**
   * Spawns the packaged node on a fresh data directory and polls GET /taxii2/ until it answers 200;
   * then again on the same directory (a restart). Medians over the runs.
   */
  private void coldStart() throws Exception {
    Path jar = options.jar();
    if (!Files.isRegularFile(jar)) {
      System.out.println(
          "cold start: SKIPPED, "
              + jar
              + " not found (build it: mvn -q -B -DskipTests -pl node"
              + " -am package)");
      rows.add(Row.skipped("cold start to first 200 on /taxii2/", "< 1.5 s", "no node jar"));
      return;
    }
    Start[] first = new Start[options.coldRuns()];
    Start[] again = new Start[options.coldRuns()];
    for (int i = 0; i < options.coldRuns(); i++) {
      Path dir = work.resolve("cold-" + i);
      first[i] = timeToFirst200(jar, dir);
      again[i] = timeToFirst200(jar, dir);
      System.out.printf(
          "cold start run %d (spawned %s): fresh data dir %.0f ms (node CPU %.0f ms), restart %.0f"
              + " ms (node CPU %.0f ms); load average %s%n",
          i + 1,
          first[i].spawned(),
          first[i].wallNanos() / 1e6,
          first[i].cpuNanos() / 1e6,
          again[i].wallNanos() / 1e6,
          again[i].cpuNanos() / 1e6,
          Machine.loadAverage());
    }
    rows.add(coldRow("cold start to first 200 on /taxii2/, fresh data dir", first));
    rows.add(coldRow("cold start to first 200 on /taxii2/, restart (existing dir)", again));
  }

  /**
   * One start: wall time from spawn to the first 200, the CPU the node used until then, and the
   * wall-clock spawn time (to line up with the timestamps in the node's log).
   */
  private record Start(long wallNanos, long cpuNanos, Instant spawned) {}

  private Row coldRow(String name, Start[] starts) {
    long[] s = Stream.of(starts).mapToLong(Start::wallNanos).sorted().toArray();
    long[] cpu = Stream.of(starts).mapToLong(Start::cpuNanos).sorted().toArray();
    double median = s[s.length / 2] / 1e9;
    String detail =
        String.format(
            "median node CPU to first 200: %.2f s (%.2f cores busy on average); child JVM"
                + " options: %s",
            cpu[cpu.length / 2] / 1e9,
            cpu[cpu.length / 2] / (double) s[s.length / 2],
            options.serverJvmOptions().isEmpty()
                ? "none"
                : String.join(" ", options.serverJvmOptions()));
    System.out.println("   " + name + ": " + detail);
    return new Row(
        name + ", median of " + s.length,
        String.format("%.2f s (min %.2f, max %.2f)", median, s[0] / 1e9, s[s.length - 1] / 1e9),
        "< 1.5 s",
        median < 1.5,
        detail);
  }

  private Start timeToFirst200(Path jar, Path dir) throws Exception {
    int port = freePort();
    // Made before the spawn, so the client's own start-up is not counted.
    LoadClient client = new LoadClient("http://127.0.0.1:" + port, ADMIN, PASSWORD);
    client.discovery();
    Instant spawned = Instant.now();
    long t0 = System.nanoTime();
    Process p = ChildNode.spawn(jar, dir, port, options.serverJvmOptions(), PASSWORD);
    try {
      long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && p.isAlive()) {
        int code = client.discovery();
        if (code == 200) {
          long wall = System.nanoTime() - t0;
          return new Start(wall, ChildNode.cpuNanos(p.pid()), spawned);
        }
        if (code > 0) {
          throw new IOException("GET /taxii2/ answered " + code + " during start-up");
        }
        Thread.sleep(5);
      }
      throw new IOException("the node did not serve within 60 s; log " + ChildNode.logOf(dir));
    } finally {
      ChildNode.stop(p);
    }
  }

  // ---- the node under load -------------------------------------------------------------------

  private NodeUnderTest startNode() throws Exception {
    Path dir = work.resolve("load");
    if ("in-process".equals(options.server())) {
      return new InProcessNode(dir, PASSWORD);
    }
    if (!Files.isRegularFile(options.jar())) {
      System.out.println(
          "node jar " + options.jar() + " not found: running the node in-process instead");
      return new InProcessNode(dir, PASSWORD);
    }
    return ChildNode.start(
        options.jar(), dir, 0, options.serverJvmOptions(), PASSWORD, Duration.ofSeconds(60));
  }

  /** CPU use of the node and of this driver over one measured interval. */
  private record Cpu(long serverStart, long clientStart, long wallStart, Instant clockStart) {
    static Cpu start(NodeUnderTest node) {
      return new Cpu(
          node.serverCpuNanos(), InProcessNode.processCpuNanos(), System.nanoTime(), Instant.now());
    }

    Usage until(NodeUnderTest node, long wallEnd) {
      return new Usage(
          node,
          (wallEnd - wallStart) / 1e9,
          (node.serverCpuNanos() - serverStart) / 1e9,
          (InProcessNode.processCpuNanos() - clientStart) / 1e9,
          clockStart,
          clockStart.plusNanos(wallEnd - wallStart));
    }
  }

  /**
   * Wall and CPU seconds of one measured phase. The node's CPU seconds per unit of work do not
   * depend on what else the machine runs, so they stay comparable when the box is shared.
   */
  private record Usage(
      NodeUnderTest node, double wall, double server, double client, Instant from, Instant to) {

    /** Node CPU microseconds per unit (object or request); NaN when not separable. */
    double serverMicrosPer(long units) {
      return node.separateCpu() && units > 0 ? server * 1e6 / units : Double.NaN;
    }

    String describe(long units, String unit) {
      String perUnit =
          node.separateCpu()
              ? String.format(
                  "; node CPU %.0f us/%s (%,.0f %ss per node-CPU-second)",
                  serverMicrosPer(units), unit, units / server, unit)
              : "";
      String split =
          node.separateCpu()
              ? String.format(
                  "node CPU %.1f s (%.2f cores), driver CPU %.1f s (%.2f cores)",
                  server, server / wall, client, client / wall)
              : String.format("node+driver CPU %.1f s (%.2f cores)", server, server / wall);
      return String.format(
          "wall %.1f s; %s%s; JFR window --from %s --to %s", wall, split, perUnit, from, to);
    }
  }

  // ---- ingest --------------------------------------------------------------------------------

  private record IngestTotals(
      long successes,
      long failures,
      int envelopes,
      long postNanos,
      int polls,
      int retries,
      String firstFailure,
      long endNanos) {}

  private void ingest(NodeUnderTest node, int clients) throws Exception {
    String name = String.format("ingest POST, %d client%s", clients, clients == 1 ? "" : "s");
    System.out.printf("%n== %s: warm-up%n", name);
    runIngest(node, clients, envelopes(options.warmupObjects()));
    List<byte[]> measured = envelopes(options.ingestObjects());
    System.out.printf(
        "== %s: %,d envelopes of %,d objects%n", name, measured.size(), options.envelope());
    Cpu cpu = Cpu.start(node);
    IngestTotals t = runIngest(node, clients, measured);
    Usage usage = cpu.until(node, t.endNanos());
    double rate = t.successes() / usage.wall();
    String detail =
        String.format(
            "%,d objects acknowledged durable in %d envelopes (%,d failures%s); mean POST"
                + " round trip %.0f ms; %d status polls, %d back-pressure retries; %s",
            t.successes(),
            t.envelopes(),
            t.failures(),
            t.firstFailure() == null ? "" : ", first: " + t.firstFailure(),
            t.postNanos() / 1e6 / Math.max(1, t.envelopes()),
            t.polls(),
            t.retries(),
            usage.describe(t.successes(), "object"));
    System.out.println("   " + detail);
    rows.add(
        new Row(
            name + " (" + options.envelope() + "/envelope), durable",
            String.format("%,.0f objects/s", rate),
            ">= 50,000 objects/s",
            rate >= 50_000,
            detail));
  }

  /** Envelopes holding about {@code objects} fresh objects; their ids join the sample. */
  private List<byte[]> envelopes(int objects) {
    List<byte[]> out = new ArrayList<>();
    for (int done = 0; done < objects; ) {
      int n = Math.min(options.envelope(), objects - done);
      List<byte[]> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Corpus.Fresh f = fresh.next();
        ingestedIds.add(f.id());
        batch.add(f.json());
      }
      out.add(Corpus.envelope(batch));
      done += n;
    }
    return out;
  }

  private IngestTotals runIngest(NodeUnderTest node, int clients, List<byte[]> envelopes)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.phaseSeconds());
    AtomicInteger next = new AtomicInteger();
    List<Callable<IngestTotals>> tasks = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      tasks.add(
          () -> {
            LoadClient client = new LoadClient(node.baseUrl(), ADMIN, PASSWORD);
            long ok = 0;
            long failed = 0;
            long postNanos = 0;
            int sent = 0;
            int polls = 0;
            int retries = 0;
            String firstFailure = null;
            for (int i = next.getAndIncrement();
                i < envelopes.size() && System.nanoTime() < deadline;
                i = next.getAndIncrement()) {
              long t0 = System.nanoTime();
              LoadClient.Ingested r = client.post(envelopes.get(i), deadline);
              postNanos += System.nanoTime() - t0;
              ok += r.successes();
              failed += r.failures();
              polls += r.polls();
              retries += r.retries();
              sent++;
              if (firstFailure == null) {
                firstFailure = r.firstFailure();
              }
            }
            return new IngestTotals(
                ok, failed, sent, postNanos, polls, retries, firstFailure, System.nanoTime());
          });
    }
    List<IngestTotals> parts = runAll(clients, tasks);
    return new IngestTotals(
        parts.stream().mapToLong(IngestTotals::successes).sum(),
        parts.stream().mapToLong(IngestTotals::failures).sum(),
        parts.stream().mapToInt(IngestTotals::envelopes).sum(),
        parts.stream().mapToLong(IngestTotals::postNanos).sum(),
        parts.stream().mapToInt(IngestTotals::polls).sum(),
        parts.stream().mapToInt(IngestTotals::retries).sum(),
        parts.stream()
            .map(IngestTotals::firstFailure)
            .filter(f -> f != null)
            .findFirst()
            .orElse(null),
        parts.stream().mapToLong(IngestTotals::endNanos).max().orElse(System.nanoTime()));
  }

  // ---- paging --------------------------------------------------------------------------------

  private record Walk(long objects, long bytes, int pages, boolean complete, long endNanos) {}

  private void paging(NodeUnderTest node, int clients) throws Exception {
    String name =
        String.format(
            "paged GET, %d client%s walking the collection", clients, clients == 1 ? "" : "s");
    System.out.printf("%n== %s: warm-up (%d s)%n", name, options.warmupSeconds());
    walkAll(node, clients, options.warmupSeconds(), options.warmupSeconds() * 1_000L / 20 + 5);
    System.out.printf("== %s, limit=%d%n", name, options.pageLimit());
    Cpu cpu = Cpu.start(node);
    List<Walk> walks = walkAll(node, clients, options.phaseSeconds(), Integer.MAX_VALUE);
    long end = walks.stream().mapToLong(Walk::endNanos).max().orElse(System.nanoTime());
    Usage usage = cpu.until(node, end);
    double seconds = usage.wall();
    long objects = walks.stream().mapToLong(Walk::objects).sum();
    long bytes = walks.stream().mapToLong(Walk::bytes).sum();
    long complete = walks.stream().filter(Walk::complete).count();
    double rate = objects / seconds;
    String detail =
        String.format(
            "%,d objects in %,d pages, %.0f MB/s; %d of %d walks reached the end (%,d objects"
                + " each); %s",
            objects,
            walks.stream().mapToInt(Walk::pages).sum(),
            bytes / 1e6 / seconds,
            complete,
            clients,
            walks.get(0).objects(),
            usage.describe(objects, "object"));
    System.out.println("   " + detail);
    rows.add(
        new Row(
            name + " (limit=" + options.pageLimit() + ")",
            String.format("%,.0f objects/s", rate),
            ">= 100,000 objects/s",
            rate >= 100_000,
            detail));
  }

  /** Each client walks from the first page until the end, the time bound, or maxPages. */
  private List<Walk> walkAll(NodeUnderTest node, int clients, int seconds, long maxPages)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Callable<Walk>> tasks = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      tasks.add(
          () -> {
            LoadClient client = new LoadClient(node.baseUrl(), ADMIN, PASSWORD);
            long objects = 0;
            long bytes = 0;
            int pages = 0;
            String next = null;
            boolean more = true;
            while (more && pages < maxPages && System.nanoTime() < deadline) {
              LoadClient.Page p = client.page(options.pageLimit(), next);
              objects += p.objects();
              bytes += p.bytes();
              pages++;
              more = p.more() && p.next() != null;
              next = p.next();
            }
            return new Walk(objects, bytes, pages, !more, System.nanoTime());
          });
    }
    return runAll(clients, tasks);
  }

  // ---- get one object ------------------------------------------------------------------------

  private void getObjects(NodeUnderTest node, int clients) throws Exception {
    if (ingestedIds.isEmpty()) {
      // The phase needs objects to fetch; put in one envelope's worth if ingest did not run.
      runIngest(node, 1, envelopes(options.envelope()));
    }
    String[] ids = ingestedIds.toArray(new String[0]);
    String name = String.format("GET object by id, %d clients, random ids", clients);
    System.out.printf(
        "%n== %s: %d s warm-up, then %d s measured (over %,d ids)%n",
        name, options.warmupSeconds(), options.getSeconds(), ids.length);
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
    long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(options.getSeconds());
    long maxPerClient = options.getMaxRequests() / clients;
    List<Callable<Histogram>> tasks = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      tasks.add(
          () -> {
            LoadClient client = new LoadClient(node.baseUrl(), ADMIN, PASSWORD);
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (long n = 0; n < maxPerClient; n++) {
              long t0 = System.nanoTime();
              if (t0 >= measureTo) {
                break;
              }
              int code = client.getObject(ids[random.nextInt(ids.length)]);
              long t1 = System.nanoTime();
              if (code != 200) {
                throw new IOException("GET object answered " + code);
              }
              if (t0 >= measureFrom && t1 <= measureTo) {
                h.recordValue(Math.min(t1 - t0, h.getHighestTrackableValue()));
              }
            }
            return h;
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Histogram>> futures = new ArrayList<>();
      for (Callable<Histogram> t : tasks) {
        futures.add(pool.submit(t));
      }
      sleepUntil(measureFrom);
      Cpu cpu = Cpu.start(node);
      sleepUntil(measureTo);
      Usage usage = cpu.until(node, System.nanoTime());
      Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      for (Future<Histogram> f : futures) {
        all.add(f.get(options.getSeconds() + 120L, TimeUnit.SECONDS));
      }
      double seconds = (measureTo - measureFrom) / 1e9;
      double rate = all.getTotalCount() / seconds;
      double p99 = all.getValueAtPercentile(99) / 1e6;
      String detail =
          String.format(
              "%,d requests; latency ms p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f"
                  + " (closed loop: each client waits for its answer); %s",
              all.getTotalCount(),
              all.getValueAtPercentile(50) / 1e6,
              all.getValueAtPercentile(90) / 1e6,
              p99,
              all.getValueAtPercentile(99.9) / 1e6,
              all.getMaxValue() / 1e6,
              usage.describe(all.getTotalCount(), "request"));
      System.out.println("   " + detail);
      rows.add(
          new Row(
              name + ", throughput",
              String.format("%,.0f requests/s", rate),
              "(none)",
              null,
              detail));
      rows.add(
          new Row(
              name + ", latency p50 / p99 / p99.9",
              String.format(
                  "%.2f / %.2f / %.2f ms",
                  all.getValueAtPercentile(50) / 1e6, p99, all.getValueAtPercentile(99.9) / 1e6),
              "p99 < 5 ms",
              p99 < 5,
              ""));
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** Runs one task per client thread and waits (bounded) for them all; a failure fails all. */
  private <T> List<T> runAll(int clients, List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> t : tasks) {
        futures.add(pool.submit(t));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(options.phaseSeconds() + 180L, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(HttpLoadBenchmark::delete);
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line of the results table. {@code met} is null when there is no target. */
  private record Row(String figure, String result, String target, Boolean met, String detail) {
    static Row skipped(String figure, String target, String why) {
      return new Row(figure, "skipped: " + why, target, null, "");
    }

    static void print(List<Row> rows) {
      int w0 = Math.max(6, rows.stream().mapToInt(r -> r.figure().length()).max().orElse(0));
      int w1 = Math.max(6, rows.stream().mapToInt(r -> r.result().length()).max().orElse(0));
      int w2 = Math.max(6, rows.stream().mapToInt(r -> r.target().length()).max().orElse(0));
      String format = "%-" + w0 + "s | %-" + w1 + "s | %-" + w2 + "s | %s%n";
      System.out.printf(format, "figure", "result", "target", "met");
      System.out.println("-".repeat(w0 + w1 + w2 + 14));
      for (Row r : rows) {
        System.out.printf(
            format,
            r.figure(),
            r.result(),
            r.target(),
            r.met() == null ? "-" : r.met() ? "yes" : "NO");
      }
    }
  }

  /** Command-line options; every phase is bounded by these counts and times. */
  record Options(
      Path jar,
      String server,
      String corpus,
      Set<String> phases,
      int coldRuns,
      List<Integer> clients,
      int envelope,
      int warmupObjects,
      int ingestObjects,
      int pageLimit,
      int phaseSeconds,
      int warmupSeconds,
      int getClients,
      int getSeconds,
      long getMaxRequests,
      List<String> serverJvmOptions,
      boolean keep,
      boolean help) {

    static final String USAGE =
        String.join(
            "\n",
            "usage: java -cp bench/target/benchmarks.jar org.entente.bench.HttpLoadBenchmark"
                + " [options]",
            "  --jar PATH             node jar (default <project>/node/target/entente.jar)",
            "  --server child|in-process  node under load: `java -jar` child (default) or"
                + " Node.start here",
            "  --corpus attack|synthetic  ingest data (attack falls back to synthetic if absent)",
            "  --phases LIST          cold,ingest,page,get (default all)",
            "  --cold-runs N          cold starts to take the median of (default 5)",
            "  --clients LIST         concurrent clients for ingest and paging (default 1,16)",
            "  --envelope N           objects per POST (default 1000)",
            "  --warmup-objects N     objects POSTed before each measured ingest (default 16000)",
            "  --ingest-objects N     objects POSTed per measured ingest phase (default 64000)",
            "  --page-limit N         limit= for paging (default 1000)",
            "  --phase-seconds N      time bound of each measured ingest/paging phase (default"
                + " 60)",
            "  --warmup-seconds N     warm-up of the paging and get phases (default 5)",
            "  --get-clients N        clients of the get-object phase (default 16)",
            "  --get-seconds N        measured seconds of the get-object phase (default 20)",
            "  --get-max-requests N   bound on get-object requests (default 2000000)",
            "  --server-jvm-opts STR  options for the node's JVM, space-separated (e.g. JFR)",
            "  --keep                 keep the temporary data directories and node logs",
            "  (shared data: -Dentente.sharedData=DIR, default ../shared/data next to the"
                + " project)");

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
      Path root = SharedData.projectRoot().orElse(Path.of("").toAbsolutePath());
      Options o =
          new Options(
              Path.of(a.getOrDefault("--jar", root.resolve("node/target/entente.jar").toString())),
              a.getOrDefault("--server", "child"),
              a.getOrDefault("--corpus", "attack"),
              new LinkedHashSet<>(
                  List.of(a.getOrDefault("--phases", "cold,ingest,page,get").split(","))),
              intOf(a, "--cold-runs", 5),
              Stream.of(a.getOrDefault("--clients", "1,16").split(","))
                  .map(s -> Integer.parseInt(s.trim()))
                  .toList(),
              intOf(a, "--envelope", 1_000),
              intOf(a, "--warmup-objects", 16_000),
              intOf(a, "--ingest-objects", 64_000),
              intOf(a, "--page-limit", 1_000),
              intOf(a, "--phase-seconds", 60),
              intOf(a, "--warmup-seconds", 5),
              intOf(a, "--get-clients", 16),
              intOf(a, "--get-seconds", 20),
              Long.parseLong(a.getOrDefault("--get-max-requests", "2000000")),
              a.containsKey("--server-jvm-opts")
                  ? List.of(a.get("--server-jvm-opts").trim().split("\\s+"))
                  : List.of(),
              a.containsKey("--keep"),
              a.containsKey("--help"));
      Set<String> known =
          Set.of(
              "--jar",
              "--server",
              "--corpus",
              "--phases",
              "--cold-runs",
              "--clients",
              "--envelope",
              "--warmup-objects",
              "--ingest-objects",
              "--page-limit",
              "--phase-seconds",
              "--warmup-seconds",
              "--get-clients",
              "--get-seconds",
              "--get-max-requests",
              "--server-jvm-opts",
              "--keep",
              "--help");
      for (String k : a.keySet()) {
        if (!known.contains(k)) {
          throw new IllegalArgumentException("unknown option " + k);
        }
      }
      if (!Set.of("child", "in-process").contains(o.server())) {
        throw new IllegalArgumentException("--server is child or in-process");
      }
      if (!Set.of("cold", "ingest", "page", "get").containsAll(o.phases())) {
        throw new IllegalArgumentException("--phases takes cold, ingest, page, get");
      }
      if (o.clients().stream().anyMatch(c -> c < 1 || c > 256)
          || o.getClients() < 1
          || o.envelope() < 1
          || o.coldRuns() < 1
          || o.phaseSeconds() < 1) {
        throw new IllegalArgumentException("counts must be positive (clients at most 256)");
      }
      return o;
    }

    private static int intOf(Map<String, String> a, String key, int fallback) {
      try {
        return a.containsKey(key) ? Integer.parseInt(a.get(key).replace("_", "")) : fallback;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " needs a number");
      }
    }
  }
}
