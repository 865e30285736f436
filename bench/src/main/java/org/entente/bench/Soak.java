package org.entente.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.entente.stix.StixJson;

/**
 * A long, steady mixed load on one node, to see whether its memory stays flat: a few clients POST
 * new versions of a fixed pool of objects at a set rate, a few walk the collection, the rest GET
 * objects by id. The pool is ingested first; after that every POST revises objects the node already
 * holds, so the set of live objects (and of indexed indicators) stays the same size while the
 * store's history grows: a node that does not leak should level off.
 *
 * <p>Every {@code sampleEvery} it prints the interval's throughput and GET p99, the node's RSS, its
 * heap after GC (the smallest after-collection heap its GC log shows in the interval: the floor the
 * live objects set) and, on PostgreSQL, the server's PSS. The verdict is the least-squares slope of
 * each over the second half, when the JVM has sized its heap.
 */
final class Soak {
  /** Small envelopes, as a feed client sends its updates; the rate, not their size, is the load. */
  private static final int ENVELOPE = 100;

  private static final String ADMIN = "admin";

  /**
   * @param clients all clients: a quarter POST (at least one), a quarter page (at least one), the
   *     rest GET
   * @param ingestRate objects per second POSTed, in total
   * @param pool objects whose new versions are POSTed
   */
  record Settings(
      Duration length,
      Duration sampleEvery,
      int clients,
      int ingestRate,
      int pool,
      int pageLimit,
      String password) {

    int ingestClients() {
      return Math.max(1, clients / 4);
    }

    int pagingClients() {
      return Math.max(1, clients / 4);
    }

    int getClients() {
      return Math.max(1, clients - ingestClients() - pagingClients());
    }
  }

  /** One sampling interval. {@code heapFloorMib} is NaN when no collection was logged in it. */
  record Sample(
      double minutes,
      double ingestRate,
      double pageRate,
      double getRate,
      double getP99Ms,
      long errors,
      ResidentMemory node,
      double heapFloorMib,
      ResidentMemory.Tree server) {}

  /**
   * A straight line through the second half's samples.
   *
   * @param slope MiB per minute
   * @param mean MiB, the second half's mean
   */
  record Trend(double slope, double mean, int samples) {
    /** Fewer samples than this give no verdict. */
    static final int ENOUGH = 3;

    static Trend of(List<double[]> points) {
      List<double[]> ps = points.stream().filter(p -> !Double.isNaN(p[1])).toList();
      int n = ps.size();
      if (n == 0) {
        return new Trend(Double.NaN, Double.NaN, 0);
      }
      double mx = ps.stream().mapToDouble(p -> p[0]).average().orElse(0);
      double my = ps.stream().mapToDouble(p -> p[1]).average().orElse(0);
      double sxy = 0;
      double sxx = 0;
      for (double[] p : ps) {
        sxy += (p[0] - mx) * (p[1] - my);
        sxx += (p[0] - mx) * (p[0] - mx);
      }
      return new Trend(sxx == 0 ? Double.NaN : sxy / sxx, my, n);
    }

    boolean judged() {
      return samples >= ENOUGH && !Double.isNaN(slope);
    }

    /**
     * Flat: at this slope, ten minutes add less than 5 % of the mean, or less than {@code noiseMib}
     * (a heap region or two, a few arenas: steps that are not growth).
     */
    boolean flat(double noiseMib) {
      return judged() && slope * 10 < Math.max(0.05 * mean, noiseMib);
    }

    String describe() {
      return judged()
          ? String.format(
              "%+,.1f MiB per 10 min (mean %,.0f MiB, %d samples)", slope * 10, mean, samples)
          : "too few samples for a trend (" + samples + ")";
    }
  }

  /** What the soak came to. */
  record Result(
      List<Sample> samples,
      Trend rss,
      Trend anon,
      Trend heap,
      Trend server,
      long ingested,
      long paged,
      long gets,
      double seconds,
      long errors,
      String firstError) {}

  private final Settings settings;
  private final NodeUnderTest node;
  private final Backend backend;
  private final HeapAfterGc heap;
  private final List<ObjectNode> pool = new ArrayList<>();
  private final List<String> ids;

  private final AtomicLong ingested = new AtomicLong();
  private final AtomicLong paged = new AtomicLong();
  private final AtomicLong gets = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);

  private int nextVersion;
  private long lastModifiedMillis;

  /**
   * @param ids objects the node already holds, to GET (the pool's ids are added)
   */
  Soak(
      Settings settings,
      NodeUnderTest node,
      Backend backend,
      HeapAfterGc heap,
      IngestMix mix,
      List<String> ids) {
    this.settings = settings;
    this.node = node;
    this.backend = backend;
    this.heap = heap;
    this.ids = new ArrayList<>(ids);
    while (pool.size() < settings.pool()) {
      ObjectNode o = (ObjectNode) StixJson.parse(mix.next().json());
      // Revoked objects may not be revised, and every version needs a modified to advance.
      if (!o.path("revoked").asBoolean(false) && o.hasNonNull("modified")) {
        pool.add(o);
      }
    }
  }

  Result run() throws Exception {
    System.out.printf(
        "== soak: %,d pool objects first, then %s of mixed load: %d client%s POSTing new"
            + " versions at %,d objects/s in total (%d per envelope), %d paging (limit=%d), %d"
            + " GETting by id; a sample every %d s%n",
        pool.size(),
        settings.length(),
        settings.ingestClients(),
        settings.ingestClients() == 1 ? "" : "s",
        settings.ingestRate(),
        ENVELOPE,
        settings.pagingClients(),
        settings.pageLimit(),
        settings.getClients(),
        settings.sampleEvery().toSeconds());
    ingestPool();
    String[] sample = ids.toArray(new String[0]);
    long start = System.nanoTime();
    long end = start + settings.length().toNanos();
    int threads = settings.ingestClients() + settings.pagingClients() + settings.getClients();
    ExecutorService clients = Executors.newFixedThreadPool(threads);
    AtomicLong scheduled = new AtomicLong();
    List<Sample> samples = new ArrayList<>();
    try {
      for (int i = 0; i < settings.ingestClients(); i++) {
        clients.submit(() -> revise(start, end, scheduled));
      }
      for (int i = 0; i < settings.pagingClients(); i++) {
        clients.submit(() -> walk(end));
      }
      for (int i = 0; i < settings.getClients(); i++) {
        clients.submit(() -> get(end, sample));
      }
      System.out.printf(
          "%7s %11s %11s %10s %8s %6s %16s %9s %10s%s%n",
          "minute",
          "ingest o/s",
          "paged o/s",
          "GET req/s",
          "GET p99",
          "errors",
          "node RSS (peak)",
          "anon RSS",
          "heap>GC",
          backend.serverMemory().isPresent() ? "   postgres PSS" : "");
      heap.floorSinceLastMib(); // only the soak's collections count
      long sampleNanos = settings.sampleEvery().toNanos();
      long[] last = {0, 0, 0, 0};
      long lastAt = start;
      for (long at = start + sampleNanos; at <= end + sampleNanos / 2; at += sampleNanos) {
        long when = Math.min(at, end);
        sleepUntil(when);
        double seconds = (when - lastAt) / 1e9;
        long[] now = {ingested.get(), paged.get(), gets.get(), errors.get()};
        Histogram h = latency.getIntervalHistogram();
        fullCollection(node.pid());
        Sample s =
            new Sample(
                (when - start) / 60e9,
                (now[0] - last[0]) / seconds,
                (now[1] - last[1]) / seconds,
                (now[2] - last[2]) / seconds,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1e6,
                now[3] - last[3],
                ResidentMemory.of(node.pid()).orElse(null),
                heap.floorSinceLastMib(),
                backend.serverMemory().orElse(null));
        samples.add(s);
        print(s);
        last = now;
        lastAt = when;
        if (when == end) {
          break;
        }
      }
    } finally {
      clients.shutdown();
      if (!clients.awaitTermination(120, TimeUnit.SECONDS)) {
        clients.shutdownNow();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double half = settings.length().toSeconds() / 120.0;
    List<Sample> late = samples.stream().filter(s -> s.minutes() > half).toList();
    return new Result(
        samples,
        Trend.of(
            late.stream()
                .filter(s -> s.node() != null)
                .map(s -> new double[] {s.minutes(), s.node().rssMib()})
                .toList()),
        Trend.of(
            late.stream()
                .filter(s -> s.node() != null && s.node().anonKib() >= 0)
                .map(s -> new double[] {s.minutes(), s.node().anonMib()})
                .toList()),
        Trend.of(late.stream().map(s -> new double[] {s.minutes(), s.heapFloorMib()}).toList()),
        Trend.of(
            late.stream()
                .filter(s -> s.server() != null)
                .map(s -> new double[] {s.minutes(), s.server().pssMib()})
                .toList()),
        ingested.get(),
        paged.get(),
        gets.get(),
        seconds,
        errors.get(),
        firstError.get());
  }

  private void print(Sample s) {
    System.out.printf(
        "%7.1f %,11.0f %,11.0f %,10.0f %5.2f ms %6d %16s %9s %10s%s%n",
        s.minutes(),
        s.ingestRate(),
        s.pageRate(),
        s.getRate(),
        s.getP99Ms(),
        s.errors(),
        s.node() == null ? "n/a" : s.node().describe().replace(" MiB", ""),
        s.node() == null || s.node().anonKib() < 0
            ? "-"
            : String.format("%,.0f MiB", s.node().anonMib()),
        Double.isNaN(s.heapFloorMib()) ? "-" : String.format("%,.0f MiB", s.heapFloorMib()),
        s.server() == null ? "" : String.format("%,12.0f MiB", s.server().pssMib()));
  }

  /** The pool as new objects, by four clients, before the clock starts. */
  private void ingestPool() throws Exception {
    List<byte[]> envelopes = new ArrayList<>();
    for (int i = 0; i < pool.size(); i += 1_000) {
      List<byte[]> batch = new ArrayList<>();
      for (ObjectNode o : pool.subList(i, Math.min(pool.size(), i + 1_000))) {
        batch.add(StixJson.writeBytes(o));
        ids.add(o.get("id").asText());
      }
      envelopes.add(Corpus.envelope(batch));
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    AtomicLong next = new AtomicLong();
    ExecutorService loaders = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> done = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        done.add(
            loaders.submit(
                () -> {
                  LoadClient client = client();
                  long failed = 0;
                  for (long i = next.getAndIncrement();
                      i < envelopes.size();
                      i = next.getAndIncrement()) {
                    failed += client.post(envelopes.get((int) i), deadline).failures();
                  }
                  return failed;
                }));
      }
      long failed = 0;
      for (var f : done) {
        failed += f.get(11, TimeUnit.MINUTES);
      }
      if (failed > 0) {
        System.out.printf("   the node refused %,d of the pool's objects%n", failed);
      }
    } finally {
      loaders.shutdownNow();
    }
  }

  /** POSTs envelopes of new versions, each when the rate says it is due. */
  private void revise(long start, long end, AtomicLong scheduled) {
    LoadClient client = client();
    while (true) {
      long upTo = scheduled.addAndGet(ENVELOPE);
      long due = start + (long) ((upTo - ENVELOPE) * 1e9 / settings.ingestRate());
      if (due >= end) {
        return;
      }
      try {
        sleepUntil(due);
        LoadClient.Ingested r = client.post(nextVersions(), end + TimeUnit.SECONDS.toNanos(60));
        ingested.addAndGet(r.successes());
        if (!r.complete()) {
          failed(1, "POST: status still pending a minute after the soak");
        } else if (r.failures() > 0) {
          failed(r.failures(), "POST: " + r.firstFailure());
        }
      } catch (IOException | RuntimeException e) {
        failed(1, "POST: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The next envelope of the pool's objects, each with a modified later than any before it. */
  private synchronized byte[] nextVersions() {
    List<byte[]> batch = new ArrayList<>(ENVELOPE);
    for (int i = 0; i < ENVELOPE; i++) {
      ObjectNode o = pool.get(nextVersion).deepCopy();
      nextVersion = (nextVersion + 1) % pool.size();
      lastModifiedMillis = Math.max(System.currentTimeMillis(), lastModifiedMillis + 1);
      o.put("modified", Corpus.timestamp(Instant.ofEpochMilli(lastModifiedMillis)));
      batch.add(StixJson.writeBytes(o));
    }
    return Corpus.envelope(batch);
  }

  /** Walks the collection from the first page to the last, again and again. */
  private void walk(long end) {
    LoadClient client = client();
    String next = null;
    while (System.nanoTime() < end) {
      try {
        LoadClient.Page p = client.page(settings.pageLimit(), next);
        paged.addAndGet(p.objects());
        next = p.more() ? p.next() : null;
      } catch (IOException | RuntimeException e) {
        failed(1, "page: " + e.getMessage());
        next = null;
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void get(long end, String[] sample) {
    LoadClient client = client();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (System.nanoTime() < end) {
      try {
        long t0 = System.nanoTime();
        int code = client.getObject(sample[random.nextInt(sample.length)]);
        long t1 = System.nanoTime();
        if (code == 200) {
          latency.recordValue(Math.min(t1 - t0, TimeUnit.SECONDS.toNanos(60)));
          gets.incrementAndGet();
        } else {
          failed(1, "GET object answered " + code);
        }
      } catch (IOException | RuntimeException e) {
        failed(1, "GET: " + e.getMessage());
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private LoadClient client() {
    return new LoadClient(node.baseUrl(), ADMIN, settings.password());
  }

  private void failed(long n, String what) {
    errors.addAndGet(n);
    firstError.compareAndSet(null, what);
  }

  /** After an error, so that a node that refuses everything is not hammered in a tight loop. */
  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /**
   * Asks the node for a full collection ({@code jcmd PID GC.run}), so that the interval's heap
   * floor is the live set. Without it the floor is that of young collections, which climbs with the
   * garbage G1's old generation holds until a concurrent cycle starts, and with a live set far
   * below the heap's occupancy threshold that may not happen for the whole soak (seen: a floor
   * rising 10 MiB a minute while a full collection found the live set flat at about 45 MB). The
   * pause lands in the next interval's GET latencies.
   */
  private static void fullCollection(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // no jcmd (a JRE): the floor stays that of the collections the node ran by itself
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
