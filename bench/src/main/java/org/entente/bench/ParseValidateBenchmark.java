package org.entente.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.validate.StixValidator;
import org.entente.stix.validate.ValidationReport;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The ingest hot path without HTTP or storage: JSON bytes → tree → {@link StixObject} → {@link
 * StixValidator}, over the ATT&CK enterprise bundle (or a synthetic corpus when the shared data is
 * absent). The primary score is objects/s; the secondary {@code megabytes} score is MB/s of compact
 * object JSON (10^6 bytes). {@code parseOnly} and {@code validateOnly} split the cost.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class ParseValidateBenchmark {
  /**
   * Objects per invocation: large enough that the per-call harness cost vanishes, small enough that
   * an iteration visits the corpus many times over (it is walked round-robin).
   */
  static final int BATCH = 1_000;

  /** {@code attack} (falls back to synthetic, with a message, when the data is absent). */
  @Param({"attack"})
  public String corpus;

  private byte[][] json;
  private JsonNode[] parsed;
  private StixValidator validator;

  @Setup(Level.Trial)
  public void load() {
    Corpus c = Corpus.load(corpus);
    List<byte[]> bytes = c.jsonBytes();
    json = bytes.toArray(new byte[0][]);
    parsed = new JsonNode[json.length];
    validator = new StixValidator();
    long total = 0;
    int invalid = 0;
    Map<String, Integer> firstErrors = new LinkedHashMap<>();
    for (int i = 0; i < json.length; i++) {
      total += json[i].length;
      parsed[i] = StixJson.parse(json[i]);
      ValidationReport r = validator.validate(parsed[i]);
      if (!r.valid()) {
        invalid++;
        firstErrors.merge(r.firstErrorMessage(), 1, Integer::sum);
      }
    }
    // Printed once per fork so every result says what it measured.
    System.out.printf(
        "%n[bench] corpus: %s: %,d objects, %.1f MB compact JSON, mean %,d bytes/object;"
            + " %,d invalid%n[bench] %s; load average %s%n",
        c.description(),
        json.length,
        total / 1e6,
        total / Math.max(1, json.length),
        invalid,
        Machine.here().describe(),
        Machine.loadAverage());
    firstErrors.entrySet().stream()
        .limit(5)
        .forEach(e -> System.out.printf("[bench]   %,d x %s%n", e.getValue(), e.getKey()));
  }

  /** Where this thread is in the corpus, and the bytes it has processed this iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Cursor {
    int next;

    /** Bytes of object JSON handled; reported by JMH as a rate. */
    long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }

    /** Reported by JMH as MB/s (10^6 bytes per second). */
    public double megabytes() {
      return bytes / 1e6;
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void parseValidate(Cursor cursor, Blackhole bh) {
    int n = json.length;
    int i = cursor.next;
    long bytes = 0;
    for (int k = 0; k < BATCH; k++) {
      byte[] b = json[i];
      JsonNode node = StixJson.parse(b);
      bh.consume(StixObject.of(node));
      bh.consume(validator.validate(node).valid());
      bytes += b.length;
      i = i + 1 == n ? 0 : i + 1;
    }
    cursor.next = i;
    cursor.bytes += bytes;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void parseOnly(Cursor cursor, Blackhole bh) {
    int n = json.length;
    int i = cursor.next;
    long bytes = 0;
    for (int k = 0; k < BATCH; k++) {
      byte[] b = json[i];
      bh.consume(StixObject.of(StixJson.parse(b)));
      bytes += b.length;
      i = i + 1 == n ? 0 : i + 1;
    }
    cursor.next = i;
    cursor.bytes += bytes;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void validateOnly(Cursor cursor, Blackhole bh) {
    int n = json.length;
    int i = cursor.next;
    long bytes = 0;
    for (int k = 0; k < BATCH; k++) {
      bh.consume(validator.validate(parsed[i]).valid());
      bytes += json[i].length;
      i = i + 1 == n ? 0 : i + 1;
    }
    cursor.next = i;
    cursor.bytes += bytes;
  }
}
