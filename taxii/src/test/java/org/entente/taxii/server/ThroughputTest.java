package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.taxii.testing.TestNode.OPEN;
import static org.entente.taxii.testing.TestNode.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.entente.taxii.Taxii;
import org.entente.taxii.client.Query;
import org.entente.taxii.client.Status;
import org.entente.taxii.client.TaxiiClient;
import org.entente.taxii.testing.RawHttp;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints paged-GET and POST throughput over real HTTP on this machine. Asserts only that every
 * object arrives: timing assertions would fail on a busy build host. Size with
 * -Dentente.throughput.objects=N (default 50,000).
 */
class ThroughputTest {
  static final int OBJECTS = Integer.getInteger("entente.throughput.objects", 50_000);

  /** Each stored test object starts like this (compact JSON, "type" first). */
  static final byte[] OBJECT_START = "{\"type\":".getBytes(StandardCharsets.US_ASCII);

  static final Pattern NEXT = Pattern.compile("\"next\":\"([^\"]+)\"");

  @TempDir Path dir;

  @Test
  void pagedGetServesStoredObjectsAtSpeed() throws Exception {
    try (TestNode node = TestNode.start(dir, TestNode.Options.defaults().pages(10_000, 10_000))) {
      List<JsonNode> objects = new ArrayList<>(OBJECTS);
      for (int i = 0; i < OBJECTS; i++) {
        objects.add(Samples.indicator(i));
      }
      node.load(OPEN, objects);

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      walk(node, http); // warm-up: JIT, SQLite page cache
      long t0 = System.nanoTime();
      long[] counted = walk(node, http);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(counted[0]).isEqualTo(OBJECTS);
      System.out.printf(
          "[throughput] paged GET objects (limit 10000, raw HTTP): %,d objects, %.1f MB in %.2f s"
              + " = %,.0f objects/s%n",
          counted[0], counted[1] / 1e6, seconds, counted[0] / seconds);

      TaxiiClient client = node.client("alice");
      long t1 = System.nanoTime();
      int parsed = client.getAllObjects(ROOT, OPEN, Query.none().withLimit(10_000)).size();
      double s1 = (System.nanoTime() - t1) / 1e9;
      assertThat(parsed).isEqualTo(OBJECTS);
      System.out.printf(
          "[throughput] paged GET objects via TaxiiClient (parsing every object): %,.0f"
              + " objects/s%n",
          parsed / s1);
    }
  }

  @Test
  void postValidatesAndCommitsAtSpeed() throws Exception {
    int threads = 8;
    int perEnvelope = 500;
    int envelopes = Math.max(threads, OBJECTS / 2 / perEnvelope);
    try (TestNode node = TestNode.start(dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long t0 = System.nanoTime();
      List<Future<Status>> results = new ArrayList<>();
      for (int e = 0; e < envelopes; e++) {
        int base = e * perEnvelope;
        results.add(
            pool.submit(
                () -> {
                  List<JsonNode> batch = new ArrayList<>(perEnvelope);
                  for (int i = 0; i < perEnvelope; i++) {
                    batch.add(Samples.indicator(base + i));
                  }
                  return node.client("alice").addObjects(ROOT, OPEN, batch);
                }));
      }
      int ok = 0;
      for (Future<Status> f : results) {
        ok += f.get().successCount();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      assertThat(ok).isEqualTo(envelopes * perEnvelope);
      System.out.printf(
          "[throughput] POST objects (%d clients, %d objects/envelope, validated, durably"
              + " committed): %,d objects in %.2f s = %,.0f objects/s%n",
          threads, perEnvelope, ok, seconds, ok / seconds);
    }
  }

  /** Follows next through every page, reading only the head of each body for the cursor. */
  private static long[] walk(TestNode node, HttpClient http)
      throws IOException, InterruptedException {
    long objects = 0;
    long bytes = 0;
    String next = null;
    byte[] buf = new byte[256 * 1024];
    while (true) {
      String url =
          node.baseUrl()
              + TestNode.objectsPath(OPEN)
              + "?limit=10000"
              + (next == null ? "" : "&next=" + next);
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(url))
              .header("Accept", Taxii.MEDIA_TYPE)
              .header("Authorization", RawHttp.basic("alice", "alice-pw"))
              .build();
      HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      String head = null;
      int pageObjects = 0;
      int matched = 0; // streaming match of OBJECT_START across reads
      try (InputStream in = r.body()) {
        int n;
        while ((n = in.read(buf)) != -1) {
          if (head == null) {
            head = new String(buf, 0, Math.min(n, 200), StandardCharsets.UTF_8);
          }
          for (int i = 0; i < n; i++) {
            byte b = buf[i];
            matched = b == OBJECT_START[matched] ? matched + 1 : (b == OBJECT_START[0] ? 1 : 0);
            if (matched == OBJECT_START.length) {
              pageObjects++;
              matched = 0;
            }
          }
          bytes += n;
        }
      }
      objects += pageObjects;
      Matcher m = NEXT.matcher(head == null ? "" : head);
      if (!head.startsWith("{\"more\":true") || !m.find()) {
        return new long[] {objects, bytes};
      }
      next = m.group(1);
    }
  }
}
