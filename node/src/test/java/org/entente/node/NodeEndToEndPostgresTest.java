package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.entente.stix.StixJson;
import org.entente.store.TestBackend;
import org.entente.store.postgres.PostgresUrl;
import org.entente.store.postgres.TestPostgres;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeEndToEndTest} on PostgreSQL, and what only a node on PostgreSQL has: its data in the
 * database (the data directory keeps the node key), given as a libpq URI or a JDBC URL, shared by
 * several nodes.
 */
class NodeEndToEndPostgresTest extends NodeEndToEndTest {
  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }

  @Test
  void keepsItsDataInTheDatabaseAcrossRestartsWhicheverUrlFormNamesIt() throws Exception {
    String jdbc = backend().databaseUrl(dir);
    String libpq = TestPostgres.get().libpqUri(jdbc);
    String password = PostgresUrl.parse(libpq).password();
    String id = Fixtures.indicatorId();
    String object = Fixtures.indicator(id, "198.51.100.9");
    Map<String, String> env = Map.of("ENTENTE_ADMIN_PASSWORD", "pw");
    try (Node node = Node.start(config().withDatabase(libpq), env, HASHER)) {
      assertThat(node.setup().firstStart()).isTrue();
      StringWriter banner = new StringWriter();
      node.printBanner(new PrintWriter(banner));
      assertThat(banner.toString())
          .contains("database: postgresql://")
          .contains(":***@")
          .doesNotContain(":" + password + "@");
      TaxiiHttp http = new TaxiiHttp(node.baseUrl(), "admin", "pw");
      assertThat(
              http.post("/api/collections/default/objects/", Fixtures.envelope(List.of(object)))
                  .statusCode())
          .isEqualTo(202);
    }
    // The data directory holds the node's key, not a database.
    assertThat(dir.resolve("node.key")).isRegularFile();
    assertThat(dir.resolve(SqliteStore.FILE_NAME)).doesNotExist();

    try (Node node = Node.start(config().withDatabase(jdbc), env, HASHER)) {
      assertThat(node.setup().firstStart()).isFalse();
      var get =
          new TaxiiHttp(node.baseUrl(), "admin", "pw")
              .get("/api/collections/default/objects/" + id + "/");
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(StixJson.parse(get.body()).get("objects").get(0))
          .isEqualTo(StixJson.parse(object));
    }
  }

  @Test
  void twoNodesOnOneDatabaseServeWhatEitherCommitted() throws Exception {
    Path other = dir.resolve("second");
    Files.createDirectories(other);
    Map<String, String> env = Map.of("ENTENTE_ADMIN_PASSWORD", "pw");
    try (Node a = Node.start(config(), env, HASHER);
        Node b = Node.start(config().withDataDir(other), env, HASHER)) {
      assertThat(b.setup().firstStart()).isFalse();
      TaxiiHttp onA = new TaxiiHttp(a.baseUrl(), "admin", "pw");
      TaxiiHttp onB = new TaxiiHttp(b.baseUrl(), "admin", "pw");
      String viaA = Fixtures.indicatorId();
      String viaB = Fixtures.indicatorId();
      assertThat(
              onA.post(
                      "/api/collections/default/objects/",
                      Fixtures.envelope(List.of(Fixtures.indicator(viaA, "192.0.2.10"))))
                  .statusCode())
          .isEqualTo(202);
      assertThat(
              onB.post(
                      "/api/collections/default/objects/",
                      Fixtures.envelope(List.of(Fixtures.indicator(viaB, "192.0.2.11"))))
                  .statusCode())
          .isEqualTo(202);
      for (TaxiiHttp node : List.of(onA, onB)) {
        JsonNode objects =
            StixJson.parse(node.get("/api/collections/default/objects/").body()).get("objects");
        assertThat(objects.findValuesAsText("id")).containsSubsequence(viaA, viaB);
      }
    }
  }
}
