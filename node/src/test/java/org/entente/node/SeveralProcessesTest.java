package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.entente.node.federation.SecretSeal;
import org.entente.stix.StixJson;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.CollectionGrant.GranteeKind;
import org.entente.store.Organisation;
import org.entente.store.Store;
import org.entente.store.User;
import org.entente.store.postgres.PostgresStore;
import org.entente.store.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code entente serve} processes on one PostgreSQL database, as behind a load balancer: they
 * start together on an empty database, accept writes and serve reads as one node (a {@code next}
 * cursor from one is honoured by the other, a status is readable from either), and match each
 * observation once, the survivor taking detection over when the leading process is killed.
 */
class SeveralProcessesTest {
  private static final String PASSWORD = "several-processes-pw";

  @TempDir Path dir;

  private final List<ChildNode> children = new ArrayList<>();
  private String database;

  @AfterEach
  void stop() throws InterruptedException {
    for (ChildNode c : children) {
      c.close();
    }
    if (database != null) {
      TestPostgres.get().drop(database);
    }
  }

  @Test
  void twoProcessesOnOneDatabaseServeAsOneNodeAndMatchEachObservationOnce() throws Exception {
    database = TestPostgres.get().newEmptyDatabase(); // not migrated: both processes race to
    String libpq = TestPostgres.get().libpqUri(database);
    // Every process of a node holds the same node key (the operator copies it).
    Path dirA = dir.resolve("a");
    Path dirB = dir.resolve("b");
    SecretSeal.of(dirA);
    Files.createDirectories(dirB);
    Files.copy(dirA.resolve("node.key"), dirB.resolve("node.key"));
    Path config = dir.resolve("entente.properties");
    // Every POST answers before its commit: the status is then read while pending, anywhere.
    Files.writeString(config, "status-wait-ms=0\n");

    CompletableFuture<ChildNode> startA = startAsync(dirA, libpq, config);
    CompletableFuture<ChildNode> startB = startAsync(dirB, libpq, config);
    ChildNode a = startA.get();
    ChildNode b = startB.get();
    children.add(a);
    children.add(b);

    TaxiiHttp httpA = new TaxiiHttp(a.baseUrl, "admin", PASSWORD);
    TaxiiHttp httpB = new TaxiiHttp(b.baseUrl, "admin", PASSWORD);
    // One first-start set-up, whoever won the race.
    JsonNode rootsA = json(httpA.get("/taxii2/"));
    assertThat(rootsA.path("api_roots")).hasSize(1);
    assertThat(json(httpB.get("/api/collections/")).path("collections")).hasSize(1);

    // Writes through both; every status readable from the other process at once.
    Set<String> posted = new HashSet<>();
    for (int round = 0; round < 6; round++) {
      TaxiiHttp writer = round % 2 == 0 ? httpA : httpB;
      TaxiiHttp other = round % 2 == 0 ? httpB : httpA;
      List<String> objects = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String id = Fixtures.indicatorId();
        posted.add(id);
        objects.add(Fixtures.indicator(id, "198.51.100." + (i % 250)));
      }
      HttpResponse<String> r =
          writer.post("/api/collections/default/objects/", Fixtures.envelope(objects));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      String statusId = json(r).path("id").asText();
      HttpResponse<String> seen = other.get("/api/status/" + statusId + "/");
      assertThat(seen.statusCode()).as("status read from the other process").isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                JsonNode s = json(other.get("/api/status/" + statusId + "/"));
                assertThat(s.path("status").asText()).isEqualTo("complete");
                assertThat(s.path("success_count").asInt()).isEqualTo(100);
              });
    }

    // A walk whose pages alternate between the processes: one cursor key for the node.
    Set<String> walked = new HashSet<>();
    int pages = 0;
    String next = null;
    do {
      TaxiiHttp reader = pages % 2 == 0 ? httpA : httpB;
      String path =
          "/api/collections/default/objects/?match[type]=indicator&limit=70"
              + (next == null ? "" : "&next=" + next);
      HttpResponse<String> r = reader.get(path);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode page = json(r);
      for (JsonNode o : page.path("objects")) {
        assertThat(walked.add(o.path("id").asText())).as("no object twice").isTrue();
      }
      next = page.path("more").asBoolean() ? page.path("next").asText() : null;
      pages++;
    } while (next != null);
    assertThat(walked).isEqualTo(posted);
    assertThat(pages).isGreaterThan(5);

    // Detection: an ally's observation is matched once, by the process that leads the node.
    String inputs = UUID.randomUUID().toString();
    String home;
    String ally;
    try (Store store = PostgresStore.open(database)) {
      store.write(
          tx -> {
            tx.createOrganisation(
                new Organisation("ally", "identity--" + UUID.randomUUID(), "XB", false));
            tx.createCollection(
                new Collection(inputs, "api", "Ally reports", null, "inputs", "amber", null));
            tx.grant(new CollectionGrant(inputs, GranteeKind.ORG, "ally", false, true));
            tx.setObservationInput(inputs, true);
            return null;
          });
      String homeOrg =
          store.organisations().stream()
              .filter(Organisation::home)
              .findFirst()
              .orElseThrow()
              .name();
      home = Fixtures.token(store, "analyst", homeOrg, User.Role.ANALYST);
      ally = Fixtures.token(store, "ally-analyst", "ally", User.Role.ANALYST);
    }
    TaxiiHttp homeA = TaxiiHttp.bearer(a.baseUrl, home);
    TaxiiHttp allyB = TaxiiHttp.bearer(b.baseUrl, ally);
    String indicator = Fixtures.indicatorId();
    assertThat(
            homeA
                .post(
                    "/api/collections/default/objects/",
                    Fixtures.envelope(List.of(Fixtures.indicator(indicator, "203.0.113.77"))))
                .statusCode())
        .isEqualTo(202);
    // Posted through the other process than the indicator, and matched only once in all.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        allyB
                            .post(
                                "/api/collections/inputs/objects/",
                                Fixtures.observation("203.0.113.77", "2026-11-27T12:00:00.000Z"))
                            .statusCode())
                    .isEqualTo(202));
    await().atMost(Duration.ofSeconds(20)).until(() -> sighting(homeA, indicator) != null);
    Thread.sleep(1_000); // a second process matching too would show within this time
    assertThat(sighting(homeA, indicator).path("count").asInt()).isEqualTo(1);
    assertThat(sightingVersions(homeA, indicator)).isEqualTo(1);

    // The leading process dies: the other takes the node's background work over.
    ChildNode leader = leader(a, b);
    ChildNode survivor = leader == a ? b : a;
    leader.kill();
    TaxiiHttp allySurvivor = TaxiiHttp.bearer(survivor.baseUrl, ally);
    TaxiiHttp homeSurvivor = TaxiiHttp.bearer(survivor.baseUrl, home);
    assertThat(
            allySurvivor
                .post(
                    "/api/collections/inputs/objects/",
                    Fixtures.observation("203.0.113.77", "2026-11-27T13:00:00.000Z"))
                .statusCode())
        .isEqualTo(202);
    // The dead leader's lease runs out (30 s) before the survivor may lead.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(sighting(homeSurvivor, indicator).path("count").asInt()).isEqualTo(2));
  }

  private static CompletableFuture<ChildNode> startAsync(Path data, String libpq, Path config) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return ChildNode.start(
                data, Map.of("ENTENTE_DB", libpq), PASSWORD, "--config", config.toString());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The child whose process holds the node's leader lease. */
  private ChildNode leader(ChildNode a, ChildNode b) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(database);
        var ps = c.prepareStatement("SELECT owner FROM lease WHERE name = 'node:leader'");
        var rs = ps.executeQuery()) {
      assertThat(rs.next()).isTrue();
      String owner = rs.getString(1);
      return owner.startsWith(a.process.pid() + "-") ? a : b;
    }
  }

  private static JsonNode json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return StixJson.parse(r.body());
  }

  private static JsonNode sighting(TaxiiHttp http, String indicator) throws Exception {
    HttpResponse<String> r = http.get("/api/collections/default/objects/?match[type]=sighting");
    if (r.statusCode() != 200) {
      return null;
    }
    for (JsonNode s : StixJson.parse(r.body()).path("objects")) {
      if (indicator.equals(s.path("sighting_of_ref").asText())) {
        return s;
      }
    }
    return null;
  }

  private static int sightingVersions(TaxiiHttp http, String indicator) throws Exception {
    String id = sighting(http, indicator).path("id").asText();
    HttpResponse<String> r = http.get("/api/collections/default/objects/" + id + "/versions/");
    return json(r).path("versions").size();
  }
}
