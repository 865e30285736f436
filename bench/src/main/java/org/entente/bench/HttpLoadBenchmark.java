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
import org.entente.node.DatabaseUrls;

/**
 * Load driver over real HTTP on 127.0.0.1 (not JMH): cold start of the packaged node, then, for
 * each backend (SQLite, PostgreSQL), ingest, paging and get-object throughput and latency against
 * one fresh node on a fresh database, at 1, 16 and 64 concurrent clients, with the node's resident
 * memory after each phase; optionally a soak of steady mixed load that tells whether memory stays
 * flat. Every loop is bounded in count and in time; each measured phase follows a warm-up. Run with
 * {@code --help} for the options.
 */
public final class HttpLoadBenchmark {
  private static final String ADMIN = "admin";
  private static final String PASSWORD = "entente-bench-password";

  private final Options options;
  private final Path work;

  /** The cold-start rows, then one table per backend, in the order run; keyed by backend. */
  private final Map<String, List<Row>> tables = new LinkedHashMap<>();

  /** What each table measured, for its heading. */
  private final Map<String, String> titles = new LinkedHashMap<>();

  /** The table of the backend under load. */
  private List<Row> rows = new ArrayList<>();

  /** The backend under load, for its server's memory and its targets. */
  private Backend backend = new Backend.Sqlite();

  /** Ids of objects this backend's run ingested: the population the get-object phase samples. */
  private final List<String> ingestedIds = new ArrayList<>();

  private IngestMix mix;

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
    if (!options.keep()) {
      // Interrupted (Ctrl-C), the finally below does not run; the data directories still go.
      // (The embedded PostgreSQL server stops by its own hook; a child node gets the signal too.)
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      deleteTree(work);
                    } catch (IOException | UncheckedIOException e) {
                      System.err.println("could not delete " + work + ": " + e.getMessage());
                    }
                  }));
    }
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
      rows = new ArrayList<>();
      tables.put("cold", rows);
      titles.put("cold", "node start (SQLite data directory)");
      coldStart();
    }
    Set<String> load = new LinkedHashSet<>(options.phases());
    load.remove("cold");
    if (!load.isEmpty()) {
      Corpus corpus = Corpus.load(options.corpus());
      FeedIndicators indicators = FeedIndicators.load();
      for (String db : options.databases()) {
        mix = new IngestMix(corpus, indicators.again(), options.indicatorShare());
        try {
          underLoad(db, load);
        } catch (Exception e) {
          // The other backend's figures still stand; this one's end here, visibly.
          System.out.println("backend " + db + " FAILED: " + e);
          e.printStackTrace(System.out);
          rows.add(Row.skipped("the remaining figures", "failed: " + e.getMessage()));
        }
      }
    }
    System.out.println();
    System.out.println("load average at end: " + Machine.loadAverage());
    System.out.println("RESULTS (" + machine.describe() + ")");
    for (Map.Entry<String, List<Row>> table : tables.entrySet()) {
      System.out.println();
      System.out.println(titles.get(table.getKey()));
      Row.print(table.getValue());
    }
  }

  /** Every load phase against one fresh node on a fresh database of the given backend. */
  private void underLoad(String db, Set<String> load) throws Exception {
    Path dir = work.resolve(db);
    Files.createDirectories(dir);
    rows = new ArrayList<>();
    tables.put(db, rows);
    titles.put(db, db);
    ingestedIds.clear();
    System.out.printf("%n==== backend %s%n", db);
    try {
      backend = "sqlite".equals(db) ? new Backend.Sqlite() : postgres(dir.resolve("postgres"));
    } catch (IOException | RuntimeException e) {
      System.out.println("   SKIPPED: " + e);
      rows.add(Row.skipped("every figure", "cannot set up " + db + ": " + e.getMessage()));
      return;
    }
    HeapAfterGc heap = new HeapAfterGc(dir.resolve("node-gc.log"));
    titles.put(db, db + ": " + backend.describe());
    System.out.println("database: " + backend.describe());
    try (Backend b = backend;
        NodeUnderTest node = startNode(dir.resolve("node"), b, heap)) {
      System.out.println("node: " + node.describe() + " at " + node.baseUrl());
      System.out.println("ingest data: " + mix.describe());
      System.out.println("memory at start: " + Footprint.of(node, b).describe());
      if (load.contains("ingest")) {
        for (int c : options.clients()) {
          ingest(node, c);
        }
        System.out.println("   ingested so far: " + mix.taken());
      }
      if (load.contains("page")) {
        for (int c : options.clients()) {
          paging(node, c);
        }
      }
      if (load.contains("get")) {
        for (int c : options.clients()) {
          getObjects(node, c, 0);
        }
        for (int rate : options.getRates()) {
          getObjects(node, options.clients().get(options.clients().size() - 1), rate);
        }
      }
      if (load.contains("soak")) {
        soak(node, heap);
      }
    }
  }

  private Backend postgres(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (options.dbUrl() != null) {
      return PostgresBackend.external(options.dbUrl());
    }
    System.out.println("starting an embedded PostgreSQL server (cluster in " + dir + ")");
    return PostgresBackend.embedded(dir, options.pgSettings());
  }

  /** Issue 6 asks less of PostgreSQL, whose commits go over a socket to another process. */
  private long ingestTarget() {
    return backend instanceof Backend.Sqlite ? 50_000 : 30_000;
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
      rows.add(Row.skipped("cold start to first 200 on /taxii2/", "no node jar"));
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
        0,
        String.format("%.2f s (min %.2f, max %.2f)", median, s[0] / 1e9, s[s.length - 1] / 1e9),
        "< 1.5 s",
        median < 1.5,
        null,
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

  private NodeUnderTest startNode(Path dir, Backend b, HeapAfterGc heap) throws Exception {
    if ("in-process".equals(options.server())) {
      return new InProcessNode(dir, PASSWORD, b.nodeDatabaseUrl());
    }
    if (!Files.isRegularFile(options.jar())) {
      System.out.println(
          "node jar " + options.jar() + " not found: running the node in-process instead");
      return new InProcessNode(dir, PASSWORD, b.nodeDatabaseUrl());
    }
    List<String> jvm = new ArrayList<>(options.serverJvmOptions());
    jvm.add(heap.jvmOption());
    return ChildNode.start(
        options.jar(), dir, 0, jvm, PASSWORD, b.nodeDatabaseUrl(), Duration.ofSeconds(60));
  }

  /**
   * Resident memory after a phase: the node's process (the driver's too when in-process) and, on
   * PostgreSQL, the server's processes.
   */
  private record Footprint(ResidentMemory node, boolean withDriver, ResidentMemory.Tree server) {
    static Footprint of(NodeUnderTest node, Backend backend) {
      return new Footprint(
          ResidentMemory.of(node.pid()).orElse(null),
          !node.separateCpu(),
          backend.serverMemory().orElse(null));
    }

    String describe() {
      return (withDriver ? "node+driver RSS " : "node RSS ")
          + (node == null ? "n/a" : node.describe())
          + (server == null ? "" : "; postgres " + server.describe());
    }
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

  /** {@code pending}: envelopes whose status was still pending at the time bound (not counted). */
  private record IngestTotals(
      long successes,
      long failures,
      int envelopes,
      int pending,
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
            "%,d objects acknowledged durable in %d envelopes (%,d failures%s%s); mean POST"
                + " round trip %.0f ms; %d status polls, %d back-pressure retries; %s",
            t.successes(),
            t.envelopes(),
            t.failures(),
            t.pending() == 0
                ? ""
                : String.format(
                    "; %d envelopes still pending at the %d s bound, not counted",
                    t.pending(), options.phaseSeconds()),
            t.firstFailure() == null ? "" : ", first: " + t.firstFailure(),
            t.postNanos() / 1e6 / Math.max(1, t.envelopes()),
            t.polls(),
            t.retries(),
            usage.describe(t.successes(), "object"));
    Footprint memory = Footprint.of(node, backend);
    System.out.println("   " + detail);
    System.out.println("   " + memory.describe());
    rows.add(
        new Row(
            "ingest POST (" + options.envelope() + "/envelope), durable",
            clients,
            String.format("%,.0f objects/s", rate),
            String.format(">= %,d objects/s", ingestTarget()),
            rate >= ingestTarget(),
            memory,
            detail));
  }

  /** Envelopes holding about {@code objects} fresh objects; their ids join the sample. */
  private List<byte[]> envelopes(int objects) {
    List<byte[]> out = new ArrayList<>();
    for (int done = 0; done < objects; ) {
      int n = Math.min(options.envelope(), objects - done);
      List<byte[]> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Corpus.Fresh f = mix.next();
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
            int pending = 0;
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
              pending += r.complete() ? 0 : 1;
              if (firstFailure == null) {
                firstFailure = r.firstFailure();
              }
            }
            return new IngestTotals(
                ok,
                failed,
                sent,
                pending,
                postNanos,
                polls,
                retries,
                firstFailure,
                System.nanoTime());
          });
    }
    List<IngestTotals> parts = runAll(clients, tasks);
    return new IngestTotals(
        parts.stream().mapToLong(IngestTotals::successes).sum(),
        parts.stream().mapToLong(IngestTotals::failures).sum(),
        parts.stream().mapToInt(IngestTotals::envelopes).sum(),
        parts.stream().mapToInt(IngestTotals::pending).sum(),
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
    Footprint memory = Footprint.of(node, backend);
    System.out.println("   " + detail);
    System.out.println("   " + memory.describe());
    rows.add(
        new Row(
            "paged GET, walking the collection (limit=" + options.pageLimit() + ")",
            clients,
            String.format("%,.0f objects/s", rate),
            ">= 100,000 objects/s",
            rate >= 100_000,
            memory,
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

  /**
   * @param rate 0: closed loop (each client sends its next request when the answer came: the node's
   *     saturation throughput, latency mostly queueing); else paced: the clients together send
   *     {@code rate} requests/s on a fixed schedule, and a request's latency counts from the moment
   *     it was due, so a client held up by a slow answer still counts the wait of the requests it
   *     sends late (no coordinated omission)
   */
  private void getObjects(NodeUnderTest node, int clients, int rate) throws Exception {
    if (ingestedIds.isEmpty()) {
      // The phase needs objects to fetch; put in one envelope's worth if ingest did not run.
      runIngest(node, 1, envelopes(options.envelope()));
    }
    String[] ids = ingestedIds.toArray(new String[0]);
    String name =
        String.format(
            "GET object by id, %d client%s, random ids%s",
            clients,
            clients == 1 ? "" : "s",
            rate == 0 ? "" : String.format(", paced at %,d requests/s in all", rate));
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
            // Paced clients are spread evenly over one interval, then keep their own schedule.
            long interval = rate == 0 ? 0 : (long) (clients * 1e9 / rate);
            long due = start + (interval == 0 ? 0 : random.nextLong(interval));
            for (long n = 0; n < maxPerClient; n++) {
              long t0;
              if (interval == 0) {
                t0 = System.nanoTime();
              } else {
                sleepUntil(due);
                t0 = due;
                due += interval;
              }
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
      double achieved = all.getTotalCount() / seconds;
      double p99 = all.getValueAtPercentile(99) / 1e6;
      String detail =
          String.format(
              "%,d requests; latency ms p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f"
                  + (rate == 0
                      ? " (closed loop: each client waits for its answer); %s"
                      : " (paced; from when each request was due); %s"),
              all.getTotalCount(),
              all.getValueAtPercentile(50) / 1e6,
              all.getValueAtPercentile(90) / 1e6,
              p99,
              all.getValueAtPercentile(99.9) / 1e6,
              all.getMaxValue() / 1e6,
              usage.describe(all.getTotalCount(), "request"));
      Footprint memory = Footprint.of(node, backend);
      System.out.println("   " + detail);
      System.out.println("   " + memory.describe());
      String label = rate == 0 ? "" : String.format(" at %,d requests/s", rate);
      rows.add(
          new Row(
              "GET object by id" + label + ", throughput",
              clients,
              String.format("%,.0f requests/s", achieved),
              "",
              null,
              memory,
              detail));
      // The target is stated at 64 clients; fewer clients queue less, so meet it more easily.
      boolean targeted = clients == 64;
      rows.add(
          new Row(
              "GET object by id" + label + ", latency p50 / p99 / p99.9",
              clients,
              String.format(
                  "%.2f / %.2f / %.2f ms",
                  all.getValueAtPercentile(50) / 1e6, p99, all.getValueAtPercentile(99.9) / 1e6),
              targeted ? "p99 < 5 ms" : "",
              targeted ? p99 < 5 : null,
              memory,
              ""));
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- soak ----------------------------------------------------------------------------------

  private void soak(NodeUnderTest node, HeapAfterGc heap) throws Exception {
    Soak.Settings settings =
        new Soak.Settings(
            Duration.ofMinutes(options.soakMinutes()),
            Duration.ofSeconds(options.soakSampleSeconds()),
            options.soakClients(),
            options.soakIngestRate(),
            options.soakPool(),
            options.pageLimit(),
            PASSWORD);
    System.out.println();
    Soak.Result r = new Soak(settings, node, backend, heap, mix, ingestedIds).run();
    Footprint memory = Footprint.of(node, backend);
    String detail =
        String.format(
            "%,d objects revised, %,d objects paged, %,d GETs in %.0f s; %,d errors%s",
            r.ingested(),
            r.paged(),
            r.gets(),
            r.seconds(),
            r.errors(),
            r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
    System.out.println("   " + detail);
    System.out.println("   node RSS, second half: " + r.rss().describe());
    System.out.println("   node anonymous RSS, second half: " + r.anon().describe());
    System.out.println("   node heap after GC, second half: " + r.heap().describe());
    if (r.server().samples() > 0) {
      System.out.println("   postgres PSS, second half: " + r.server().describe());
    }
    String load = options.soakMinutes() + " min soak";
    rows.add(
        new Row(
            load + ": ingest (new versions), paged GET, GET by id",
            settings.clients(),
            String.format(
                "ingest %,.0f (of %,d set), paged %,.0f objects/s; GET %,.0f requests/s",
                r.ingested() / r.seconds(),
                settings.ingestRate(),
                r.paged() / r.seconds(),
                r.gets() / r.seconds()),
            "no errors",
            r.errors() == 0,
            memory,
            detail));
    // RSS moves in steps as the JVM and the allocator take memory; 16 MiB is noise, not growth.
    rows.add(trendRow(load + ": node RSS trend, second half", settings, r.rss(), 16, memory));
    rows.add(
        trendRow(load + ": node anonymous RSS trend, second half", settings, r.anon(), 16, memory));
    if (r.heap().samples() > 0) {
      // A G1 region or two.
      rows.add(trendRow(load + ": node heap after GC trend", settings, r.heap(), 8, memory));
    }
    if (r.server().samples() > 0) {
      rows.add(trendRow(load + ": postgres PSS trend", settings, r.server(), 16, memory));
    }
  }

  private static Row trendRow(
      String figure, Soak.Settings settings, Soak.Trend trend, double noiseMib, Footprint memory) {
    return new Row(
        figure,
        settings.clients(),
        trend.describe(),
        "flat",
        trend.judged() ? trend.flat(noiseMib) : null,
        memory,
        String.format(
            "flat: ten more minutes at this slope add less than 5%% of the mean or %.0f MiB",
            noiseMib));
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

  /**
   * One line of a results table. {@code clients} is 0 where it does not apply; {@code met} is null
   * where there is no target; {@code memory} is null where it was not measured.
   */
  private record Row(
      String figure,
      int clients,
      String result,
      String target,
      Boolean met,
      Footprint memory,
      String detail) {
    static Row skipped(String figure, String why) {
      return new Row(figure, 0, "skipped: " + why, "", null, null, "");
    }

    static void print(List<Row> rows) {
      boolean server =
          rows.stream().anyMatch(r -> r.memory() != null && r.memory().server() != null);
      String rss =
          rows.stream().anyMatch(r -> r.memory() != null && r.memory().withDriver())
              ? "node+driver RSS (peak)"
              : "node RSS (peak)";
      List<String[]> cells = new ArrayList<>();
      cells.add(
          server
              ? new String[] {"figure", "clients", "value", rss, "postgres PSS", "target", "met"}
              : new String[] {"figure", "clients", "value", rss, "target", "met"});
      for (Row r : rows) {
        List<String> c = new ArrayList<>();
        c.add(r.figure());
        c.add(r.clients() == 0 ? "-" : Integer.toString(r.clients()));
        c.add(r.result());
        c.add(r.memory() == null || r.memory().node() == null ? "-" : r.memory().node().describe());
        if (server) {
          c.add(
              r.memory() == null || r.memory().server() == null
                  ? "-"
                  : r.memory().server().describe());
        }
        c.add(r.target().isEmpty() ? "-" : r.target());
        c.add(r.met() == null ? "-" : r.met() ? "met" : "NOT MET");
        cells.add(c.toArray(new String[0]));
      }
      int[] widths = new int[cells.get(0).length];
      for (String[] line : cells) {
        for (int i = 0; i < line.length; i++) {
          widths[i] = Math.max(widths[i], line[i].length());
        }
      }
      for (int l = 0; l < cells.size(); l++) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
          String cell = cells.get(l)[i];
          // Numbers line up on the right, words on the left.
          boolean right = i == 1;
          out.append(i == 0 ? "" : " | ")
              .append(right ? " ".repeat(widths[i] - cell.length()) + cell : cell)
              .append(right || i == widths.length - 1 ? "" : " ".repeat(widths[i] - cell.length()));
        }
        System.out.println(out);
        if (l == 0) {
          System.out.println("-".repeat(out.length()));
        }
      }
    }
  }

  /** Command-line options; every phase is bounded by these counts and times. */
  record Options(
      Path jar,
      String server,
      List<String> databases,
      String dbUrl,
      Map<String, String> pgSettings,
      String corpus,
      double indicatorShare,
      Set<String> phases,
      int coldRuns,
      List<Integer> clients,
      int envelope,
      int warmupObjects,
      int ingestObjects,
      int pageLimit,
      int phaseSeconds,
      int warmupSeconds,
      int getSeconds,
      long getMaxRequests,
      List<Integer> getRates,
      int soakMinutes,
      int soakSampleSeconds,
      int soakClients,
      int soakIngestRate,
      int soakPool,
      List<String> serverJvmOptions,
      boolean keep,
      boolean help) {

    static final String USAGE =
        String.join(
            "\n",
            "usage: java -cp bench/target/benchmarks.jar org.entente.bench.HttpLoadBenchmark"
                + " [options]",
            "  --db LIST              backends, each on a fresh node and database: sqlite,"
                + " postgresql (default sqlite)",
            "  --db-url URL           PostgreSQL server on this machine to use instead of an"
                + " embedded one",
            "                         (postgresql://USER:PW@127.0.0.1:PORT/DB; the role must"
                + " CREATE DATABASE:",
            "                         each run makes a database of its own and drops it)",
            "  --pg-settings LIST     settings of the embedded PostgreSQL server, e.g."
                + " shared_buffers=1GB,work_mem=8MB",
            "  --jar PATH             node jar (default <project>/node/target/entente.jar)",
            "  --server child|in-process  node under load: `java -jar` child (default) or"
                + " Node.start here",
            "  --corpus attack|synthetic  ingest data (attack falls back to synthetic if absent)",
            "  --indicator-share F    fraction of ingested objects that are feed indicators"
                + " (default 0.5)",
            "  --phases LIST          cold,ingest,page,get,soak (default cold,ingest,page,get)",
            "  --cold-runs N          cold starts to take the median of (default 5)",
            "  --clients LIST         concurrent clients of every load phase (default 1,16,64)",
            "  --envelope N           objects per POST (default 1000)",
            "  --warmup-objects N     objects POSTed before each measured ingest (default 16000)",
            "  --ingest-objects N     objects POSTed per measured ingest phase (default 64000)",
            "  --page-limit N         limit= for paging (default 1000)",
            "  --phase-seconds N      time bound of each measured ingest/paging phase (default"
                + " 60)",
            "  --warmup-seconds N     warm-up of the paging and get phases (default 5)",
            "  --get-seconds N        measured seconds of each get-object phase (default 20)",
            "  --get-max-requests N   bound on get-object requests per phase (default 2000000)",
            "  --get-rates LIST       after the closed-loop phases, paced ones: the last client"
                + " count sends these",
            "                         requests/s in all, latency counted from when each was"
                + " due (default 1000,2000,4000)",
            "  --soak-minutes N       length of the soak (default 10); giving it adds the soak"
                + " phase",
            "  --soak-sample-seconds N  a sample of memory and throughput every N s (default 30)",
            "  --soak-clients N       soak clients: a quarter POST, a quarter page, the rest GET"
                + " (default 8)",
            "  --soak-ingest-rate N   objects/s POSTed during the soak, in total (default 500)",
            "  --soak-pool N          objects whose new versions the soak POSTs (default 20000)",
            "  --server-jvm-opts STR  options for the node's JVM, space-separated (default -Xmx2g,"
                + " as the launcher)",
            "  --keep                 keep the temporary data directories and node logs",
            "  (shared data: -Dentente.sharedData=DIR, default ../shared/data next to the"
                + " project)");

    /** The options as given, the database password masked. */
    @Override
    public String toString() {
      return "Options[db="
          + databases
          + (dbUrl == null ? "" : ", db-url=" + DatabaseUrls.redacted(dbUrl))
          + (pgSettings.isEmpty() ? "" : ", pg-settings=" + pgSettings)
          + ", server="
          + server
          + ", corpus="
          + corpus
          + ", indicatorShare="
          + indicatorShare
          + ", phases="
          + phases
          + ", clients="
          + clients
          + ", envelope="
          + envelope
          + ", warmupObjects="
          + warmupObjects
          + ", ingestObjects="
          + ingestObjects
          + ", pageLimit="
          + pageLimit
          + ", phaseSeconds="
          + phaseSeconds
          + ", warmupSeconds="
          + warmupSeconds
          + ", getSeconds="
          + getSeconds
          + ", getMaxRequests="
          + getMaxRequests
          + ", getRates="
          + getRates
          + (phases.contains("soak")
              ? ", soak: minutes="
                  + soakMinutes
                  + ", sampleSeconds="
                  + soakSampleSeconds
                  + ", clients="
                  + soakClients
                  + ", ingestRate="
                  + soakIngestRate
                  + ", pool="
                  + soakPool
              : "")
          + (phases.contains("cold") ? ", coldRuns=" + coldRuns : "")
          + ", serverJvmOptions="
          + serverJvmOptions
          + ", jar="
          + jar
          + "]";
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
              "--db",
              "--db-url",
              "--pg-settings",
              "--jar",
              "--server",
              "--corpus",
              "--indicator-share",
              "--phases",
              "--cold-runs",
              "--clients",
              "--envelope",
              "--warmup-objects",
              "--ingest-objects",
              "--page-limit",
              "--phase-seconds",
              "--warmup-seconds",
              "--get-seconds",
              "--get-max-requests",
              "--get-rates",
              "--soak-minutes",
              "--soak-sample-seconds",
              "--soak-clients",
              "--soak-ingest-rate",
              "--soak-pool",
              "--server-jvm-opts",
              "--keep",
              "--help");
      for (String k : a.keySet()) {
        if (!known.contains(k)) {
          throw new IllegalArgumentException("unknown option " + k);
        }
      }
      Path root = SharedData.projectRoot().orElse(Path.of("").toAbsolutePath());
      Set<String> phases =
          new LinkedHashSet<>(
              List.of(a.getOrDefault("--phases", "cold,ingest,page,get").split(",")));
      if (a.containsKey("--soak-minutes")) {
        phases.add("soak");
      }
      double share;
      try {
        share = Double.parseDouble(a.getOrDefault("--indicator-share", "0.5"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--indicator-share needs a number from 0 to 1");
      }
      Options o =
          new Options(
              Path.of(a.getOrDefault("--jar", root.resolve("node/target/entente.jar").toString())),
              a.getOrDefault("--server", "child"),
              List.of(a.getOrDefault("--db", "sqlite").split(",")),
              a.get("--db-url"),
              settings(a.getOrDefault("--pg-settings", "")),
              a.getOrDefault("--corpus", "attack"),
              share,
              phases,
              intOf(a, "--cold-runs", 5),
              Stream.of(a.getOrDefault("--clients", "1,16,64").split(","))
                  .map(s -> Integer.parseInt(s.trim()))
                  .toList(),
              intOf(a, "--envelope", 1_000),
              intOf(a, "--warmup-objects", 16_000),
              intOf(a, "--ingest-objects", 64_000),
              intOf(a, "--page-limit", 1_000),
              intOf(a, "--phase-seconds", 60),
              intOf(a, "--warmup-seconds", 5),
              intOf(a, "--get-seconds", 20),
              Long.parseLong(a.getOrDefault("--get-max-requests", "2000000")),
              a.getOrDefault("--get-rates", "1000,2000,4000").isBlank()
                  ? List.of()
                  : Stream.of(
                          a.get("--get-rates") == null ? "1000,2000,4000" : a.get("--get-rates"))
                      .flatMap(v -> Stream.of(v.split(",")))
                      .map(v -> Integer.parseInt(v.trim()))
                      .toList(),
              intOf(a, "--soak-minutes", 10),
              intOf(a, "--soak-sample-seconds", 30),
              intOf(a, "--soak-clients", 8),
              intOf(a, "--soak-ingest-rate", 500),
              intOf(a, "--soak-pool", 20_000),
              // The launcher's heap bound unless told otherwise: the node as `./entente` runs it.
              List.of(a.getOrDefault("--server-jvm-opts", "-Xmx2g").trim().split("\\s+")),
              a.containsKey("--keep"),
              a.containsKey("--help"));
      if (!Set.of("child", "in-process").contains(o.server())) {
        throw new IllegalArgumentException("--server is child or in-process");
      }
      if (o.databases().isEmpty()
          || !Set.of("sqlite", "postgresql").containsAll(o.databases())
          || new LinkedHashSet<>(o.databases()).size() != o.databases().size()) {
        throw new IllegalArgumentException("--db takes sqlite, postgresql or both, once each");
      }
      if (o.dbUrl() != null) {
        if (!o.databases().contains("postgresql")) {
          throw new IllegalArgumentException("--db-url is for --db postgresql");
        }
        DatabaseUrls.check(o.dbUrl());
      }
      if (!Set.of("cold", "ingest", "page", "get", "soak").containsAll(o.phases())) {
        throw new IllegalArgumentException("--phases takes cold, ingest, page, get, soak");
      }
      if (o.clients().stream().anyMatch(c -> c < 1 || c > 256)
          || o.envelope() < 1
          || o.coldRuns() < 1
          || o.phaseSeconds() < 1
          || o.getSeconds() < 1
          || o.getRates().stream().anyMatch(r -> r < 1)
          || o.soakMinutes() < 1
          || o.soakMinutes() > 24 * 60
          || o.soakSampleSeconds() < 1
          || o.soakClients() < 3
          || o.soakClients() > 256
          || o.soakIngestRate() < 1
          || o.soakPool() < 1) {
        throw new IllegalArgumentException(
            "counts must be positive (clients at most 256, soak clients 3 to 256, soak at most a"
                + " day)");
      }
      if (!(o.indicatorShare() >= 0 && o.indicatorShare() <= 1)) {
        throw new IllegalArgumentException("--indicator-share is from 0 to 1");
      }
      return o;
    }

    /** {@code k=v,k=v} as an ordered map. */
    private static Map<String, String> settings(String list) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String kv : list.split(",")) {
        if (kv.isBlank()) {
          continue;
        }
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--pg-settings takes name=value,...: " + kv);
        }
        m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
      return m;
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
