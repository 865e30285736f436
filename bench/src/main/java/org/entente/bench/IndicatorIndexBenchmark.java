package org.entente.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.entente.detect.Candidate;
import org.entente.detect.IndexedIndicator;
import org.entente.detect.IndicatorIndex;
import org.entente.detect.Observation;
import org.entente.stix.pattern.StixPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate selection over a large indicator set: an {@link IndicatorIndex} of {@code indicators}
 * equality patterns (IPv4 address 40 %, domain 20 %, URL 15 %, file hash 15 %) plus CIDR ISSUBSET
 * patterns (10 %), probed with observations of one or four SCOs (address, domain, URL, file), half
 * of which carry a value that some indicator names. The score is observations/s (candidate
 * selection only, no evaluation). Values come from the shared indicator feeds ({@link
 * IndicatorFeeds}) as far as they go, then are generated.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    // The target: an index of 1M indicators within 1 GB of heap.
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class IndicatorIndexBenchmark {
  /** Observations per invocation; they are walked round-robin. */
  static final int BATCH = 1_000;

  static final int OBSERVATIONS = 20_000;

  @Param({"10000", "100000", "1000000"})
  public int indicators;

  /** SCOs per observation: 1 is a "simple observation" (one IP, domain, URL or hash). */
  @Param({"1", "4"})
  public int scosPerObservation;

  private IndicatorIndex index;
  private Observation[] observations;
  private int next;

  @Setup(Level.Trial)
  public void build() throws IOException {
    SplittableRandom rnd = new SplittableRandom(42);
    IndicatorFeeds feeds = IndicatorFeeds.load();
    if (feeds.total() == 0) {
      System.out.println(
          "[bench] shared indicator feeds absent under "
              + SharedData.dir()
              + ": generating every value");
    }
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    index = new IndicatorIndex();
    Instant from = Instant.parse("2025-01-01T00:00:00Z");
    List<String> knownIps = new ArrayList<>();
    List<String> knownDomains = new ArrayList<>();
    List<String> knownUrls = new ArrayList<>();
    List<String[]> knownHashes = new ArrayList<>();
    int cidrs = 0;
    int real = 0;
    long start = System.nanoTime();
    for (int i = 0; i < indicators; i++) {
      String pattern;
      int kind = i % 20;
      if (kind < 8) {
        String ip = knownIps.size() < feeds.ips().size() ? feeds.ips().get(knownIps.size()) : null;
        real += ip == null ? 0 : 1;
        ip = ip == null ? randomIp(rnd) : ip;
        knownIps.add(ip);
        pattern = "[ipv4-addr:value = '" + ip + "']";
      } else if (kind < 12) {
        int n = knownDomains.size();
        String d = n < feeds.domains().size() ? feeds.domains().get(n) : null;
        real += d == null ? 0 : 1;
        d = d == null ? "host" + i + ".example" + (i % 97) + ".net" : d;
        knownDomains.add(d);
        pattern = "[domain-name:value = '" + quote(d) + "']";
      } else if (kind < 15) {
        int n = knownUrls.size();
        String u = n < feeds.urls().size() ? feeds.urls().get(n) : null;
        real += u == null ? 0 : 1;
        u = u == null ? "http://bad" + (i % 5003) + ".example/path/" + i : u;
        knownUrls.add(u);
        pattern = "[url:value = '" + quote(u) + "']";
      } else if (kind < 18) {
        int n = knownHashes.size();
        String[] h = n < feeds.hashes().size() ? feeds.hashes().get(n).split(":", 2) : null;
        real += h == null ? 0 : 1;
        if (h == null) {
          h =
              new String[] {
                "SHA-256",
                String.format("%016x%016x%016x%016x", rnd.nextLong(), rnd.nextLong(), i, i)
              };
        }
        knownHashes.add(h);
        pattern = "[file:hashes.'" + h[0] + "' = '" + h[1] + "']";
      } else {
        String block = cidrs < feeds.cidrs().size() ? feeds.cidrs().get(cidrs) : null;
        real += block == null ? 0 : 1;
        block = block == null ? randomIp(rnd) + "/" + (16 + rnd.nextInt(17)) : block;
        cidrs++;
        pattern = "[ipv4-addr:value ISSUBSET '" + block + "']";
      }
      index.add(
          new IndexedIndicator("indicator--" + i, StixPattern.parse(pattern), from, null, false));
    }
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();

    ObjectMapper json = new ObjectMapper();
    observations = new Observation[OBSERVATIONS];
    long candidates = 0;
    for (int o = 0; o < OBSERVATIONS; o++) {
      boolean hit = rnd.nextBoolean();
      Map<String, JsonNode> scos = new LinkedHashMap<>();
      int only = scosPerObservation == 1 ? rnd.nextInt(4) : -1;
      if (only < 0 || only == 0) {
        sco(json, scos, "ipv4-addr", "value", hit ? pick(knownIps, rnd) : randomIp(rnd));
      }
      if (only < 0 || only == 1) {
        sco(
            json,
            scos,
            "domain-name",
            "value",
            hit ? pick(knownDomains, rnd) : "benign" + o + ".org");
      }
      if (only < 0 || only == 2) {
        sco(json, scos, "url", "value", hit ? pick(knownUrls, rnd) : "https://benign.org/" + o);
      }
      if (only < 0 || only == 3) {
        ObjectNode file = json.createObjectNode().put("type", "file").put("id", "file--" + o);
        String[] h =
            hit
                ? knownHashes.get(rnd.nextInt(knownHashes.size()))
                : new String[] {"SHA-256", String.format("%064x", rnd.nextLong())};
        file.putObject("hashes").put(h[0], h[1]);
        scos.put("file--" + o, file);
      }
      Instant t = from.plusSeconds(3600 + o);
      observations[o] = new Observation("observed-data--" + o, t, t, 1, scos);
    }
    for (Observation o : observations) {
      candidates += index.candidates(o).size();
    }
    // Printed once per fork so every result says what it measured.
    System.out.printf(
        "%n[bench] %,d indicators (%,d with values from the shared feeds; %,d on the scan list)"
            + " indexed in %.1f s, heap %,d bytes (%.0f bytes per indicator, max heap %,d MB); %,d"
            + " observations x %d SCO(s), mean %.2f candidates each%n",
        index.size(),
        real,
        index.scanned(),
        buildSeconds,
        heapAfter - heapBefore,
        (heapAfter - heapBefore) / (double) indicators,
        rt.maxMemory() >> 20,
        OBSERVATIONS,
        scosPerObservation,
        candidates / (double) OBSERVATIONS);
  }

  private static void sco(
      ObjectMapper json, Map<String, JsonNode> scos, String type, String key, String value) {
    String id = type + "--" + scos.size();
    scos.put(id, json.createObjectNode().put("type", type).put("id", id).put(key, value));
  }

  private static String pick(List<String> values, SplittableRandom rnd) {
    return values.get(rnd.nextInt(values.size()));
  }

  private static String randomIp(SplittableRandom rnd) {
    return rnd.nextInt(1, 224)
        + "."
        + rnd.nextInt(256)
        + "."
        + rnd.nextInt(256)
        + "."
        + rnd.nextInt(256);
  }

  /** A STIX pattern string literal: backslash and quote escaped. */
  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void candidates(Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      List<Candidate> c = index.candidates(observations[next]);
      next = next + 1 == observations.length ? 0 : next + 1;
      bh.consume(c);
    }
  }
}
