package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.stix.StixJson;
import org.entente.store.ApiToken;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.Organisation;
import org.entente.store.TestBackend;
import org.entente.store.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node as a user meets it: first start, logins, posting and reading over real HTTP. */
class NodeEndToEndTest {
  /** Cheap Argon2 parameters: the production ones are exercised by the child-JVM tests. */
  static final PasswordHasher HASHER = new PasswordHasher(1024, 1);

  @TempDir Path dir;

  /**
   * The store the node runs on; {@link NodeEndToEndPostgresTest} runs these tests on PostgreSQL.
   */
  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  @AfterEach
  void discardStore() {
    backend().discard(dir);
  }

  NodeConfig config() {
    return NodeConfig.defaults()
        .withDataDir(dir)
        .withDatabase(backend().databaseUrl(dir))
        .withListen("127.0.0.1", 0);
  }

  @Test
  void firstStartGeneratesAdminPasswordOnceAndKeepsDataAcrossRestarts() throws Exception {
    String password;
    try (Node node = Node.start(config(), Map.of(), HASHER)) {
      assertThat(node.setup().firstStart()).isTrue();
      password = node.setup().generatedAdminPassword();
      assertThat(password).hasSizeGreaterThanOrEqualTo(20);
      StringWriter banner = new StringWriter();
      node.printBanner(new PrintWriter(banner));
      assertThat(banner.toString()).contains(password).contains("/taxii2/");
      var r = new TaxiiHttp(node.baseUrl(), "admin", password).get("/taxii2/");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(StixJson.parse(r.body()).get("default").asText()).contains("api");
    }
    try (Node node = Node.start(config(), Map.of(), HASHER)) {
      assertThat(node.setup().firstStart()).isFalse();
      StringWriter banner = new StringWriter();
      node.printBanner(new PrintWriter(banner));
      assertThat(banner.toString()).doesNotContain(password);
      assertThat(
              new TaxiiHttp(node.baseUrl(), "admin", password)
                  .get("/api/collections/")
                  .statusCode())
          .isEqualTo(200);
      assertThat(node.store().organisation("home").orElseThrow().home()).isTrue();
    }
  }

  @Test
  void adminPasswordComesFromTheEnvironmentWhenSet() throws Exception {
    try (Node node =
        Node.start(config(), Map.of("ENTENTE_ADMIN_PASSWORD", "s3cret-pass"), HASHER)) {
      assertThat(node.setup().generatedAdminPassword()).isNull();
      assertThat(new TaxiiHttp(node.baseUrl(), "admin", "s3cret-pass").get("/taxii2/").statusCode())
          .isEqualTo(200);
      var wrong = new TaxiiHttp(node.baseUrl(), "admin", "wrong").get("/taxii2/");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(new TaxiiHttp(node.baseUrl(), null, null).get("/taxii2/").statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void postedObjectIsServedBackExactlyWithCustomProperties() throws Exception {
    try (Node node = Node.start(config(), Map.of("ENTENTE_ADMIN_PASSWORD", "pw"), HASHER)) {
      TaxiiHttp http = new TaxiiHttp(node.baseUrl(), "admin", "pw");
      String id = Fixtures.indicatorId();
      String object = Fixtures.indicator(id, "198.51.100.7");
      HttpResponse<String> post =
          http.post("/api/collections/default/objects/", Fixtures.envelope(List.of(object)));
      assertThat(post.statusCode()).isEqualTo(202);
      JsonNode status = StixJson.parse(post.body());
      assertThat(status.get("status").asText()).isEqualTo("complete");
      assertThat(status.get("success_count").asInt()).isEqualTo(1);

      HttpResponse<String> get = http.get("/api/collections/default/objects/" + id + "/");
      assertThat(get.statusCode()).isEqualTo(200);
      JsonNode served = StixJson.parse(get.body()).get("objects").get(0);
      assertThat(served).isEqualTo(StixJson.parse(object));
      assertThat(get.body()).contains("1.50"); // number text kept, not re-rendered as 1.5
      assertThat(get.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/taxii+json");
      assertThat(get.headers().firstValue("X-TAXII-Date-Added-First")).isPresent();
    }
  }

  @Test
  void usersOnlyPublishInTheirOwnOrganisationsNameAndOnlyWhereGranted() throws Exception {
    try (Node node = Node.start(config(), Map.of("ENTENTE_ADMIN_PASSWORD", "pw"), HASHER)) {
      String collection = node.store().collection("api", "default").orElseThrow().id();
      String ownIdentity = "identity--" + UUID.randomUUID();
      String readOnly = UUID.randomUUID().toString();
      Instant now = Instant.now();
      node.store()
          .write(
              tx -> {
                tx.createOrganisation(new Organisation("cert-x", ownIdentity, "XX", false));
                tx.createUser(
                    new User("alice", "cert-x", User.Role.ANALYST, HASHER.hash("apw"), false, now));
                tx.grant(
                    new CollectionGrant(
                        collection, CollectionGrant.GranteeKind.ORG, "cert-x", true, true));
                tx.createCollection(
                    new Collection(readOnly, "api", "Read only", null, null, "amber", now));
                tx.grant(
                    new CollectionGrant(
                        readOnly, CollectionGrant.GranteeKind.USER, "alice", true, false));
                return null;
              });
      TaxiiHttp alice = new TaxiiHttp(node.baseUrl(), "alice", "apw");
      String own =
          Fixtures.indicator(Fixtures.indicatorId(), "192.0.2.1")
              .replace("\"name\"", "\"created_by_ref\":\"" + ownIdentity + "\",\"name\"");
      String foreign =
          Fixtures.indicator(Fixtures.indicatorId(), "192.0.2.2")
              .replace(
                  "\"name\"",
                  "\"created_by_ref\":\"identity--" + UUID.randomUUID() + "\",\"name\"");
      JsonNode status =
          StixJson.parse(
              alice
                  .post(
                      "/api/collections/default/objects/", Fixtures.envelope(List.of(own, foreign)))
                  .body());
      assertThat(status.get("success_count").asInt()).isEqualTo(1);
      assertThat(status.get("failure_count").asInt()).isEqualTo(1);
      assertThat(status.get("failures").get(0).get("message").asText()).contains("created_by_ref");

      assertThat(
              alice
                  .post(
                      "/api/collections/" + readOnly + "/objects/", Fixtures.envelope(List.of(own)))
                  .statusCode())
          .isEqualTo(403);
      assertThat(alice.get("/api/collections/" + readOnly + "/objects/").statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void bearerTokensWorkUntilRevokedOrExpiredAndReadScopedOnesNeverWrite() throws Exception {
    try (Node node = Node.start(config(), Map.of("ENTENTE_ADMIN_PASSWORD", "pw"), HASHER)) {
      Instant now = Instant.now();
      String good = "ent_" + new Secrets().randomToken(32);
      String expired = "ent_" + new Secrets().randomToken(32);
      String readOnly = "ent_" + new Secrets().randomToken(32);
      String goodId = UUID.randomUUID().toString();
      node.store()
          .write(
              tx -> {
                tx.createToken(
                    new ApiToken(goodId, "admin", Secrets.sha256Hex(good), true, now, null, false));
                tx.createToken(
                    new ApiToken(
                        UUID.randomUUID().toString(),
                        "admin",
                        Secrets.sha256Hex(readOnly),
                        false,
                        now,
                        null,
                        false));
                tx.createToken(
                    new ApiToken(
                        UUID.randomUUID().toString(),
                        "admin",
                        Secrets.sha256Hex(expired),
                        true,
                        now.minus(2, ChronoUnit.DAYS),
                        now.minus(1, ChronoUnit.DAYS),
                        false));
                return null;
              });
      assertThat(bearer(node, good).statusCode()).isEqualTo(200);
      assertThat(bearerPost(node, good).statusCode()).isEqualTo(202);
      assertThat(bearer(node, readOnly).statusCode()).isEqualTo(200);
      assertThat(bearerPost(node, readOnly).statusCode()).isEqualTo(403);
      assertThat(bearer(node, expired).statusCode()).isEqualTo(401);
      assertThat(bearer(node, good + "x").statusCode()).isEqualTo(401);
      node.store().write(tx -> tx.revokeToken(goodId));
      assertThat(bearer(node, good).statusCode()).isEqualTo(401);
    }
  }

  private static HttpResponse<String> bearer(Node node, String token) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    return client.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/taxii2/"))
            .header("Accept", TaxiiHttp.TAXII)
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> bearerPost(Node node, String token) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    String body =
        Fixtures.envelope(List.of(Fixtures.indicator(Fixtures.indicatorId(), "192.0.2.44")));
    return client.send(
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(node.baseUrl() + "/api/collections/default/objects/"))
            .header("Accept", TaxiiHttp.TAXII)
            .header("Content-Type", TaxiiHttp.TAXII)
            .header("Authorization", "Bearer " + token)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void repeatedBadPasswordsAreThrottled() throws Exception {
    try (Node node = Node.start(config(), Map.of("ENTENTE_ADMIN_PASSWORD", "pw"), HASHER)) {
      TaxiiHttp bad = new TaxiiHttp(node.baseUrl(), "admin", "guess");
      for (int i = 0; i < 10; i++) {
        assertThat(bad.get("/taxii2/").statusCode()).isEqualTo(401);
      }
      HttpResponse<String> locked = bad.get("/taxii2/");
      assertThat(locked.statusCode()).isEqualTo(429);
      assertThat(locked.headers().firstValue("Retry-After")).isPresent();
      // the right password from the same address is refused too while the lock lasts
      assertThat(new TaxiiHttp(node.baseUrl(), "admin", "pw").get("/taxii2/").statusCode())
          .isEqualTo(429);
    }
  }
}
