package org.entente.taxii.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.entente.taxii.testing.TestNode.HIDDEN;
import static org.entente.taxii.testing.TestNode.OPEN;
import static org.entente.taxii.testing.TestNode.OPEN_ALIAS;
import static org.entente.taxii.testing.TestNode.ROOT;
import static org.entente.taxii.testing.TestNode.WRITE_ONLY;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.entente.store.TestBackend;
import org.entente.taxii.Taxii;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestAuthenticator;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaxiiClientTest {
  @TempDir Path dir;
  TestNode node;
  TaxiiClient alice;

  /** The store the node runs on; {@link TaxiiClientPostgresTest} runs these tests on PostgreSQL. */
  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  @BeforeEach
  void start() {
    node = TestNode.start(backend(), dir);
    alice = node.client("alice");
  }

  @AfterEach
  void stop() {
    node.close();
    backend().discard(dir);
  }

  @Test
  void readsDiscoveryApiRootsAndCollections() {
    Discovery d = alice.discovery();
    assertThat(d.title()).isEqualTo("Entente test node");
    assertThat(d.defaultApiRoot()).isEqualTo("/api1/");
    assertThat(d.apiRoots()).contains("/api1/", "/small/");

    // an API root as discovery names it, as a bare path, or as an absolute URL
    for (String root : List.of(d.defaultApiRoot(), ROOT, node.baseUrl() + "/api1/")) {
      ApiRootInfo info = alice.apiRoot(root);
      assertThat(info.versions()).containsExactly(Taxii.MEDIA_TYPE);
      assertThat(info.maxContentLength()).isEqualTo(TestNode.ROOT_MAX);
    }
    List<CollectionInfo> collections = alice.collections(ROOT);
    assertThat(collections).extracting(CollectionInfo::id).doesNotContain(HIDDEN).contains(OPEN);
    CollectionInfo byAlias = alice.collection(ROOT, OPEN_ALIAS);
    assertThat(byAlias.id()).isEqualTo(OPEN);
    assertThat(byAlias.canRead()).isTrue();
    assertThat(byAlias.canWrite()).isTrue();
    assertThat(byAlias.mediaTypes()).containsExactly(Taxii.STIX_MEDIA_TYPE);
  }

  @Test
  void addsObjectsAndReadsThemBackEveryWay() {
    String id = Samples.indicatorId(1);
    Status s =
        alice.addObjects(
            ROOT,
            OPEN,
            List.of(
                Samples.indicator(id, "2024-01-01T00:00:00.000Z", "v1"),
                Samples.indicator(id, "2024-02-01T00:00:00.000Z", "v2"),
                Samples.malware(2)));
    assertThat(s.complete()).isTrue();
    assertThat(s.successCount()).isEqualTo(3);
    assertThat(alice.waitForStatus(ROOT, s.id(), Duration.ofSeconds(5))).isEqualTo(s);

    Envelope latest = alice.getObjects(ROOT, OPEN, Query.none());
    assertThat(latest.objects())
        .extracting(o -> o.path("name").asText())
        .contains("v2", "malware 2")
        .doesNotContain("v1");
    assertThat(latest.dateAddedFirst()).isNotNull();

    Envelope all = alice.getObject(ROOT, OPEN, id, Query.none().withVersions("all"));
    assertThat(all.objects()).extracting(o -> o.path("name").asText()).containsExactly("v1", "v2");

    Versions v = alice.versions(ROOT, OPEN, id, Query.none());
    assertThat(v.versions())
        .containsExactly("2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z");

    Manifest m = alice.manifest(ROOT, OPEN, Query.none().withTypes("malware"));
    assertThat(m.records())
        .extracting(ManifestRecord::id)
        .containsExactly("malware--" + Samples.uuid(2));
    assertThat(m.records().get(0).mediaType()).isEqualTo(Taxii.STIX_MEDIA_TYPE);

    alice.deleteObject(ROOT, OPEN, id, Query.none().withVersions("2024-02-01T00:00:00.000Z"));
    assertThat(alice.versions(ROOT, OPEN, id, Query.none()).versions())
        .containsExactly("2024-01-01T00:00:00.000Z");
    alice.deleteObject(ROOT, OPEN, id, Query.none());
    assertThatThrownBy(() -> alice.getObject(ROOT, OPEN, id, Query.none()))
        .isInstanceOfSatisfying(
            TaxiiClientException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
  }

  @Test
  void postsARawEnvelope() {
    byte[] envelope =
        ("{\"objects\":[" + Samples.indicator(5) + "]}").getBytes(StandardCharsets.UTF_8);
    assertThat(alice.addEnvelope(ROOT, OPEN, envelope).successCount()).isEqualTo(1);
  }

  @Test
  void collectsEveryPage() {
    List<JsonNode> objects = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      objects.add(Samples.indicator(i));
    }
    alice.addObjects(ROOT, OPEN, objects);
    List<Envelope> pages = new ArrayList<>();
    alice.forEachPage(ROOT, OPEN, Query.none().withLimit(10), pages::add);
    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).next()).isNotNull();
    assertThat(alice.getAllObjects(ROOT, OPEN, Query.none().withLimit(7))).hasSize(25);
    assertThat(
            alice.getAllObjects(
                ROOT, OPEN, Query.none().withIds(Samples.indicatorId(3), Samples.indicatorId(4))))
        .hasSize(2);
  }

  @Test
  void turnsTaxiiErrorsIntoExceptionsWithStatusAndErrorResource() {
    assertThatThrownBy(() -> alice.collection(ROOT, HIDDEN))
        .isInstanceOfSatisfying(
            TaxiiClientException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.error().path("http_status").asText()).isEqualTo("404");
            });
    assertThatThrownBy(() -> alice.getObjects(ROOT, WRITE_ONLY, Query.none()))
        .isInstanceOfSatisfying(
            TaxiiClientException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));
    TaxiiClient wrong =
        new TaxiiClient(URI.create(node.baseUrl()), Credentials.basic("alice", "nope"));
    assertThatThrownBy(wrong::discovery)
        .isInstanceOfSatisfying(
            TaxiiClientException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    assertThatThrownBy(() -> alice.getObjects(ROOT, OPEN, Query.none().withNext("bogus")))
        .isInstanceOfSatisfying(
            TaxiiClientException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
  }

  @Test
  void authenticatesWithABearerToken() {
    TaxiiClient token =
        new TaxiiClient(
            URI.create(node.baseUrl()), Credentials.bearer(TestAuthenticator.ALICE_TOKEN));
    assertThat(token.collection(ROOT, OPEN).canWrite()).isTrue();
  }

  @Test
  void neverPrintsItsSecret() {
    assertThat(Credentials.basic("alice", "alice-pw").toString()).doesNotContain("alice-pw");
    assertThat(Credentials.bearer("tok").toString()).doesNotContain("tok");
  }

  @Test
  void encodesFiltersAsTaxiiQueryParameters() {
    assertThat(
            Query.none()
                .withAddedAfter("2024-01-01T00:00:00Z")
                .withLimit(5)
                .withTypes("indicator", "malware")
                .withVersions("first", "last")
                .withSpecVersions("2.1")
                .toQueryString())
        .isEqualTo(
            "added_after=2024-01-01T00%3A00%3A00Z&limit=5&match%5Btype%5D=indicator,malware"
                + "&match%5Bversion%5D=first,last&match%5Bspec_version%5D=2.1");
    assertThat(Query.none().toQueryString()).isEmpty();
  }

  /** A server that pages with "more" but never gives "next": the client resumes by date. */
  @Test
  void fallsBackToAddedAfterWhenTheServerGivesNoNext() throws Exception {
    List<String> queries = new CopyOnWriteArrayList<>();
    HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fake.createContext(
        "/api1/collections/c/objects/",
        exchange -> {
          String q = exchange.getRequestURI().getRawQuery();
          queries.add(q == null ? "" : q);
          boolean firstPage = q == null || !q.contains("added_after");
          String body =
              firstPage
                  ? "{\"more\":true,\"objects\":[" + Samples.indicator(1) + "]}"
                  : "{\"more\":false,\"objects\":[" + Samples.indicator(2) + "]}";
          exchange.getResponseHeaders().add("Content-Type", Taxii.MEDIA_TYPE);
          exchange
              .getResponseHeaders()
              .add(
                  Taxii.DATE_ADDED_LAST,
                  firstPage ? "2024-05-05T00:00:00.123456Z" : "2024-05-06T00:00:00.000000Z");
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    fake.start();
    try {
      TaxiiClient c =
          new TaxiiClient(
              URI.create("http://127.0.0.1:" + fake.getAddress().getPort()),
              Credentials.basic("a", "b"));
      List<JsonNode> all = c.getAllObjects("api1", "c", Query.none().withTypes("indicator"));
      assertThat(all).hasSize(2);
      assertThat(queries)
          .containsExactly(
              "match%5Btype%5D=indicator",
              "added_after=2024-05-05T00%3A00%3A00.123456Z&match%5Btype%5D=indicator");
    } finally {
      fake.stop(0);
    }
  }
}
