package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.entente.stix.StixJson;
import org.entente.store.ObjectQuery;
import org.entente.store.SpecVersions;
import org.entente.store.Store;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Success means durable": posts into a node in a child JVM from several clients, SIGKILLs it
 * mid-stream, and checks that every object any status reported as success is in the store.
 */
class CrashDurabilityTest {
  @TempDir Path dir;

  @Test
  void sigkillNeverLosesAnObjectReportedAsSuccess() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    try (ChildNode child = ChildNode.start(dir, "crash-test-password")) {
      TaxiiHttp http = new TaxiiHttp(child.baseUrl, "admin", "crash-test-password");
      ExecutorService clients = Executors.newFixedThreadPool(4);
      for (int c = 0; c < 4; c++) {
        clients.submit(
            () -> {
              while (!stop.get()) {
                List<String> objects = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                  objects.add(Fixtures.indicator(Fixtures.indicatorId(), "203.0.113." + (i % 250)));
                }
                try {
                  HttpResponse<String> r =
                      http.post("/api/collections/default/objects/", Fixtures.envelope(objects));
                  if (r.statusCode() == 202) {
                    JsonNode status = StixJson.parse(r.body());
                    JsonNode successes = status.get("successes");
                    if (successes != null) {
                      successes.forEach(s -> acknowledged.add(s.get("id").asText()));
                    }
                  }
                } catch (Exception e) {
                  return null; // the node died under us: expected
                }
              }
              return null;
            });
      }
      // Let a good number of commits happen, then kill while requests are in flight.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (acknowledged.size() < 5_000 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      child.kill();
      stop.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acknowledged).hasSizeGreaterThan(1_000);

    try (Store store = SqliteStore.open(dir)) {
      String collection = store.collection("api", "default").orElseThrow().id();
      List<String> ids = new ArrayList<>(acknowledged);
      Set<String> found = ConcurrentHashMap.newKeySet();
      for (int from = 0; from < ids.size(); from += 500) {
        Set<String> chunk = Set.copyOf(ids.subList(from, Math.min(ids.size(), from + 500)));
        var page =
            store.entries(
                new ObjectQuery(
                    collection,
                    chunk,
                    Set.of(),
                    VersionSelector.ALL,
                    SpecVersions.NEWEST,
                    null,
                    0,
                    10_000,
                    false,
                    Visibility.EVERYTHING));
        page.entries().forEach(e -> found.add(e.id()));
      }
      assertThat(acknowledged).allSatisfy(id -> assertThat(found).contains(id));
    }
  }
}
