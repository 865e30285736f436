package org.entente.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.federation.SecretSeal;
import org.entente.stix.StixJson;
import org.entente.stix.marking.Tlp;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers through the admin API over real HTTP on a real node: added, listed with where their sync
 * stands, removed, refused when wrong, for node admins only, audited, their secrets sealed and
 * never shown; and their figures for Prometheus.
 */
class PeerAdminApiTest {
  private static final String ADMIN_PASSWORD = "admin-password-for-tests";
  private static final String PEER_PASSWORD = "Peer-Basic-Secret-7f3a9c";
  private static final String PEER_TOKEN = "peer-bearer-token-Q8zK2mW4";

  @TempDir Path dir;

  private Node node;
  private Http admin;
  private String defaultId;

  /**
   * Where the test peers are: a server that refuses every request with 401, so that the syncs the
   * node's federation starts for them on its own fail at once (and are not retried).
   */
  private HttpServer refusing;

  private String peerUrl;

  /** Every response body a test saw, checked for secrets after each test. */
  private final List<String> seen = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    refusing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    refusing.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"taxii\"");
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
    refusing.start();
    peerUrl = "http://127.0.0.1:" + refusing.getAddress().getPort() + "/taxii2/";
    node =
        Node.start(
            NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0),
            Map.of("ENTENTE_ADMIN_PASSWORD", ADMIN_PASSWORD));
    admin = basic("admin", ADMIN_PASSWORD);
    Resp org = admin.post("organisations/", "{\"name\":\"cert-de\",\"country\":\"DE\"}");
    assertThat(org.status()).as(org.raw()).isEqualTo(201);
    defaultId = admin.get("collections/default/").json().get("id").asText();
  }

  @AfterEach
  void stop() {
    node.close();
    refusing.stop(0);
    for (String body : seen) {
      assertThat(body).doesNotContain(PEER_PASSWORD).doesNotContain(PEER_TOKEN);
      assertThat(body).doesNotContain("v1:"); // a sealed secret
    }
  }

  private String basicPeer(String name, String direction) {
    return """
           {"name":"%s","organisation":"cert-de","discovery_url":"%s",
            "remote_collection":"91a7b528-80eb-42ed-a74d-c6fbd5a26116","direction":"%s",
            "local_collection":"default","user":"entente-fr","password":"%s"}"""
        .formatted(name, peerUrl, direction, PEER_PASSWORD);
  }

  // ---- add, list, remove ------------------------------------------------------------------

  @Test
  void peersAreAddedListedAndRemovedWithTheirSecretsSealed() throws Exception {
    Resp created = admin.post("peers/", basicPeer("cert-de", "pull"));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.contentType()).startsWith("application/json");
    JsonNode p = created.json();
    assertThat(p.get("name").asText()).isEqualTo("cert-de");
    assertThat(p.get("organisation").asText()).isEqualTo("cert-de");
    assertThat(p.get("discovery_url").asText()).isEqualTo(peerUrl);
    assertThat(p.get("api_root").isNull()).isTrue();
    assertThat(p.get("direction").asText()).isEqualTo("pull");
    assertThat(p.get("local_collection").asText()).isEqualTo(defaultId); // the alias, resolved
    assertThat(p.get("publish_collections").size()).isZero();
    assertThat(p.get("interval_seconds").asInt()).isEqualTo(300);
    assertThat(p.get("tlp_ceiling").asText()).isEqualTo("amber+strict");
    assertThat(p.get("credentials").get("kind").asText()).isEqualTo("basic");
    assertThat(p.get("credentials").get("user").asText()).isEqualTo("entente-fr");
    assertThat(fieldNames(p.get("credentials"))).containsExactly("kind", "user");
    assertThat(p.get("client_certificate").isNull()).isTrue();
    assertThat(p.get("trusted_certificates").isNull()).isTrue();
    JsonNode sync = p.get("sync");
    assertThat(fieldNames(sync))
        .containsExactlyInAnyOrder(
            "last_attempt",
            "last_success",
            "last_error",
            "last_error_at",
            "consecutive_failures",
            "next_attempt",
            "pulled",
            "pushed",
            "skipped",
            "push_backlog",
            "push_lag_seconds",
            "pull_lag_seconds",
            "pending_pushes");
    assertThat(sync.get("last_success").isNull()).isTrue();
    assertThat(sync.get("pulled").asLong()).isZero();
    assertThat(sync.get("pending_pushes").asLong()).isZero();

    JsonNode list = admin.get("peers/").json().get("peers");
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.get(0).get("name").asText()).isEqualTo("cert-de");
    assertThat(list.get(0).get("sync").get("last_success").isNull()).isTrue();
    assertThat(admin.get("peers/cert-de/").json().get("remote_collection").asText())
        .isEqualTo("91a7b528-80eb-42ed-a74d-c6fbd5a26116");
    assertThat(admin.get("peers/nobody/").status()).isEqualTo(404);

    // Stored sealed under the node key: the database files never hold the password.
    Peer stored = node.store().peer("cert-de").orElseThrow();
    assertThat(stored.credentials().sealedSecret()).startsWith("v1:").doesNotContain(PEER_PASSWORD);
    assertThat(SecretSeal.of(dir).open(stored.credentials().sealedSecret()))
        .isEqualTo(PEER_PASSWORD);
    assertThat(dataFilesContain(PEER_PASSWORD)).isFalse();

    Resp removed = admin.delete("peers/cert-de/");
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json().get("name").asText()).isEqualTo("cert-de");
    assertThat(admin.delete("peers/cert-de/").status()).isEqualTo(404);
    assertThat(admin.get("peers/").json().get("peers").size()).isZero();
    assertThat(node.store().peer("cert-de")).isEmpty();

    List<AuditEvent> events = audit("peer.");
    assertThat(events).extracting(AuditEvent::action).containsExactly("peer.add", "peer.remove");
    assertThat(events).allSatisfy(e -> assertThat(e.actorUser()).isEqualTo("admin"));
    assertThat(events).allSatisfy(e -> assertThat(e.target()).isEqualTo("cert-de"));
    assertThat(events.get(0).detail())
        .contains("\"credentials\":\"basic\"")
        .contains("\"direction\":\"pull\"")
        .doesNotContain(PEER_PASSWORD);
  }

  @Test
  void pushingPeersWithATokenPublishCollectionsUpToTheirCeiling() throws Exception {
    Resp shared =
        admin.post("collections/", "{\"title\":\"Shared with allies\",\"alias\":\"shared\"}");
    String sharedId = shared.json().get("id").asText();
    Resp created =
        admin.post(
            "peers/",
            """
            {"name":"cert-de-push","organisation":"cert-de",
             "discovery_url":"%s",
             "api_root":"%s","remote_collection":"inbox-fr",
             "direction":"both","local_collection":"default",
             "publish_collections":["shared","%s","shared"],
             "interval_seconds":60,"tlp_ceiling":"GREEN","token":"%s"}"""
                .formatted(peerUrl, peerUrl.replace("taxii2", "fr"), defaultId, PEER_TOKEN));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    JsonNode p = created.json();
    assertThat(p.get("direction").asText()).isEqualTo("both");
    assertThat(p.get("api_root").asText()).isEqualTo(peerUrl.replace("taxii2", "fr"));
    assertThat(texts(p.get("publish_collections"))).containsExactly(sharedId, defaultId);
    assertThat(p.get("interval_seconds").asInt()).isEqualTo(60);
    assertThat(p.get("tlp_ceiling").asText()).isEqualTo("green");
    assertThat(p.get("credentials").get("kind").asText()).isEqualTo("bearer");
    assertThat(p.get("credentials").get("user").isNull()).isTrue();
    assertThat(p.get("sync").get("push_backlog").isIntegralNumber()).isTrue();

    Peer stored = node.store().peer("cert-de-push").orElseThrow();
    assertThat(SecretSeal.of(dir).open(stored.credentials().sealedSecret())).isEqualTo(PEER_TOKEN);
    assertThat(dataFilesContain(PEER_TOKEN)).isFalse();
    assertThat(admin.post("peers/", basicPeer("cert-de-push", "pull")).status()).isEqualTo(409);
  }

  // ---- refusals ---------------------------------------------------------------------------

  @Test
  void badPeersAreRefusedWithAClearMessageAndChangeNothing() throws Exception {
    long before = auditCount();
    String good = basicPeer("p", "pull");
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry(good.replace("\"pull\"", "\"pull\",\"tlp_ceiling\":\"red\""), "red"),
            Map.entry(good.replace("\"pull\"", "\"pull\",\"tlp_ceiling\":\"pink\""), "pink"),
            Map.entry(good.replace("\"local_collection\":\"default\",", ""), "local collection"),
            Map.entry(good.replace(peerUrl, "ftp://x/"), "http(s)"),
            Map.entry(good.replace(peerUrl, "/taxii2/"), "http(s)"),
            Map.entry(good.replace(peerUrl, "not a url"), "URL"),
            Map.entry(good.replace(peerUrl, "https://u:pw@taxii.cert.de/"), "credentials"),
            Map.entry(good.replace("\"pull\"", "\"sideways\""), "pull, push or both"),
            Map.entry(good.replace("\"pull\"", "\"push\""), "push-only"),
            Map.entry(good.replace("\"pull\"", "\"pull\",\"interval_seconds\":5"), "at least 10"),
            Map.entry(good.replace("\"pull\"", "\"pull\",\"interval_seconds\":\"60\""), "whole"),
            Map.entry(
                good.replace("\"pull\"", "\"pull\",\"publish_collections\":[\"default\"]"),
                "pull-only"),
            Map.entry(good.replace("\"pull\"", "\"pull\",\"token\":\"abc\""), "not both"),
            Map.entry(good.replace(",\"password\":\"" + PEER_PASSWORD + "\"", ""), "password"),
            Map.entry(good.replace("\"name\":\"p\"", "\"name\":\"bad/name\""), "peer name"),
            Map.entry(good.replace("\"pull\"", "\"pull\",\"colour\":\"blue\""), "colour"),
            Map.entry(
                good.replace("\"pull\"", "\"pull\",\"client_certificate\":\"/nowhere/x.p12\""),
                "client certificate"),
            Map.entry(
                good.replace("\"pull\"", "\"pull\",\"trusted_certificates\":\"/nowhere/ca.pem\""),
                "trusted certificates"),
            Map.entry(
                good.replace("91a7b528-80eb-42ed-a74d-c6fbd5a26116", "a/b"), "remote collection"));
    for (Map.Entry<String, String> e : refused.entrySet()) {
      Resp r = admin.post("peers/", e.getKey());
      assertThat(r.status()).as(e.getKey() + " -> " + r.raw()).isEqualTo(400);
      assertError(r, 400);
      assertThat(r.json().get("description").asText()).as(e.getKey()).contains(e.getValue());
    }
    Resp red = admin.post("peers/", good.replace("\"pull\"", "\"pull\",\"tlp_ceiling\":\"red\""));
    assertThat(red.json().get("description").asText()).contains("never sent to a peer");

    // Things that do not exist are 404, as everywhere in this API.
    Resp org =
        admin.post(
            "peers/", good.replace("\"organisation\":\"cert-de\"", "\"organisation\":\"cert-xx\""));
    assertThat(org.status()).isEqualTo(404);
    assertThat(org.json().get("description").asText()).contains("organisation 'cert-xx'");
    Resp local =
        admin.post(
            "peers/",
            good.replace("\"local_collection\":\"default\"", "\"local_collection\":\"nope\""));
    assertThat(local.status()).isEqualTo(404);
    assertThat(local.json().get("description").asText()).contains("collection 'nope'");

    assertThat(admin.get("peers/").json().get("peers").size()).isZero();
    assertThat(node.store().peers()).isEmpty();
    assertThat(auditCount()).isEqualTo(before);
    assertThat(dataFilesContain(PEER_PASSWORD)).isFalse();
  }

  @Test
  void onlyNodeAdminsManagePeersAndReadTheirMetrics() throws Exception {
    assertThat(admin.post("peers/", basicPeer("cert-de", "pull")).status()).isEqualTo(201);
    Http olga = basic("olga", addUser("olga", "cert-de", "org-admin"));
    Http ana = basic("ana", addUser("ana", "cert-de", "analyst"));
    long before = auditCount();
    for (Http h : List.of(olga, ana)) {
      assertThat(h.get("peers/").status()).isEqualTo(403);
      assertThat(h.get("peers/cert-de/").status()).isEqualTo(403);
      Resp post = h.post("peers/", basicPeer("other", "pull"));
      assertThat(post.status()).isEqualTo(403);
      assertError(post, 403);
      assertThat(h.delete("peers/cert-de/").status()).isEqualTo(403);
      assertThat(h.post("peers/cert-de/sync/", "").status()).isEqualTo(403);
      assertThat(h.get("metrics").status()).isEqualTo(403);
    }
    assertThat(basic("admin", "wrong-password-here").get("peers/").status()).isEqualTo(401);
    assertThat(new Http(node.baseUrl(), null).get("metrics").status()).isEqualTo(401);

    // A read-only token of a node admin may look (Prometheus scrapes with one), not change.
    Resp t = admin.post("users/admin/tokens/", "{\"write\":false}");
    Http readOnly = bearer(t.json().get("token").asText());
    before = auditCount();
    assertThat(readOnly.get("peers/").status()).isEqualTo(200);
    assertThat(readOnly.get("metrics").status()).isEqualTo(200);
    assertThat(readOnly.delete("peers/cert-de/").status()).isEqualTo(403);
    assertThat(readOnly.post("peers/", basicPeer("other", "pull")).status()).isEqualTo(403);
    assertThat(readOnly.post("peers/cert-de/sync/", "").status()).isEqualTo(403);
    assertThat(auditCount()).isEqualTo(before);
    assertThat(node.store().peers()).extracting(Peer::name).containsExactly("cert-de");
  }

  @Test
  void syncNeedsAnExistingPeerAndAJsonPost() throws Exception {
    assertThat(admin.post("peers/nobody/sync/", "").status()).isEqualTo(404);
    assertThat(admin.post("peers/", basicPeer("cert-de", "pull")).status()).isEqualTo(201);
    Resp form = admin.send("POST", "peers/cert-de/sync/", "x=1", "text/plain");
    assertThat(form.status()).isEqualTo(415);
    assertThat(admin.post("peers/cert-de/sync/", "{\"now\":true}").status()).isEqualTo(400);
    assertThat(admin.get("peers/cert-de/sync/").status()).isIn(404, 405);
  }

  // ---- state and metrics ------------------------------------------------------------------

  @Test
  void theListShowsWhereEachSyncStands() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant success = now.minusSeconds(600);
    Instant failure = now.minusSeconds(5);
    // Peer and state in one transaction, last attempted just now: the node's own schedule leaves
    // it alone for the test's while.
    node.store()
        .write(
            tx -> {
              tx.createPeer(
                  new Peer(
                      "cert-de",
                      "cert-de",
                      peerUrl,
                      null,
                      "inbox",
                      Peer.Direction.PULL,
                      3600,
                      defaultId,
                      List.of(),
                      Tlp.AMBER_STRICT,
                      Peer.PeerCredentials.NONE,
                      null,
                      success.minusSeconds(60)));
              tx.savePeerState(
                  new PeerState(
                      "cert-de",
                      "2026-11-28T09:59:59.000000Z",
                      Map.of(),
                      null,
                      0,
                      null,
                      failure,
                      success,
                      "connection refused",
                      failure,
                      2,
                      failure.plusSeconds(120),
                      success,
                      1234,
                      0,
                      5));
              return null;
            });
    JsonNode sync = admin.get("peers/").json().get("peers").get(0).get("sync");
    assertThat(Instant.parse(sync.get("last_success").asText())).isEqualTo(success);
    assertThat(sync.get("last_error").asText()).isEqualTo("connection refused");
    assertThat(Instant.parse(sync.get("last_error_at").asText())).isEqualTo(failure);
    assertThat(Instant.parse(sync.get("next_attempt").asText()))
        .isEqualTo(failure.plusSeconds(120));
    assertThat(sync.get("consecutive_failures").asInt()).isEqualTo(2);
    assertThat(sync.get("pulled").asLong()).isEqualTo(1234);
    assertThat(sync.get("skipped").asLong()).isEqualTo(5);
    assertThat(sync.get("pull_lag_seconds").asLong()).isPositive();

    String metrics = admin.get("metrics").raw();
    assertThat(metrics)
        .contains(
            "entente_peer_last_success_timestamp_seconds{peer=\"cert-de\"} "
                + success.getEpochSecond()
                + ".000\n")
        .contains("entente_peer_consecutive_failures{peer=\"cert-de\"} 2\n")
        .contains("entente_peer_pulled_total{peer=\"cert-de\"} 1234\n")
        .contains("entente_peer_skipped_total{peer=\"cert-de\"} 5\n");
  }

  @Test
  void aSyncAskedForRunsNowAndItsFailureIsReportedAndAudited() throws Exception {
    assertThat(admin.post("peers/", basicPeer("cert-de", "pull")).status()).isEqualTo(201);
    Resp r;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    do {
      // The node's schedule syncs a new peer at once; ours may meet that sync still running.
      r = admin.post("peers/cert-de/sync/", "");
    } while ((r.status() == 409 || r.raw().contains("already running"))
        && System.nanoTime() < deadline);
    assertThat(r.status()).as(r.raw()).isEqualTo(502);
    assertError(r, 502);
    assertThat(r.json().get("error_code").asText()).isEqualTo("peer-failed");
    assertThat(r.json().get("description").asText())
        .startsWith("sync with peer cert-de failed: ")
        .contains("401");

    List<AuditEvent> syncs = audit("peer.sync");
    assertThat(syncs).hasSize(1);
    assertThat(syncs.get(0).actorUser()).isEqualTo("admin");
    assertThat(syncs.get(0).target()).isEqualTo("cert-de");
    assertThat(syncs.get(0).detail()).contains("\"error\"").doesNotContain(PEER_PASSWORD);

    JsonNode sync = admin.get("peers/cert-de/").json().get("sync");
    assertThat(sync.get("last_error").asText()).contains("401");
    assertThat(sync.get("consecutive_failures").asInt()).isPositive();
    assertThat(sync.get("last_success").isNull()).isTrue();
    assertThat(admin.get("metrics").raw())
        .containsPattern("(?m)^entente_peer_consecutive_failures\\{peer=\"cert-de\"\\} [1-9]");
  }

  @Test
  void metricsAreInThePrometheusTextFormatWithOneSamplePerPeer() throws Exception {
    admin.post("collections/", "{\"title\":\"Shared\",\"alias\":\"shared\"}");
    assertThat(admin.post("peers/", basicPeer("cert-de", "pull")).status()).isEqualTo(201);
    String both =
        basicPeer("cert-de.2", "both")
            .replace("\"user\"", "\"publish_collections\":[\"shared\"],\"user\"");
    assertThat(admin.post("peers/", both).status()).isEqualTo(201);

    Resp r = admin.get("metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain").contains("version=0.0.4");
    assertThat(admin.get("metrics/").raw()).isEqualTo(r.raw());
    String text = r.raw();
    assertThat(text).endsWith("\n");

    List<String> names =
        List.of(
            "entente_peer_last_success_timestamp_seconds",
            "entente_peer_consecutive_failures",
            "entente_peer_pulled_total",
            "entente_peer_pushed_total",
            "entente_peer_skipped_total",
            "entente_peer_push_backlog_objects",
            "entente_peer_push_lag_seconds",
            "entente_peer_pull_lag_seconds",
            "entente_peer_pending_pushes");
    Pattern sample =
        Pattern.compile(
            "([a-z_]+)\\{peer=\"((?:[^\"\\\\\\n]|\\\\[\"\\\\n])*)\"\\} (-?[0-9]+(?:\\.[0-9]+)?)");
    Pattern comment = Pattern.compile("# (HELP|TYPE) ([a-z_]+) (.+)");
    String current = null;
    List<String> order = new ArrayList<>();
    Map<String, List<String>> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher c = comment.matcher(line);
      Matcher s = sample.matcher(line);
      if (c.matches()) {
        if (c.group(1).equals("HELP")) {
          current = c.group(2);
          order.add(current);
        } else {
          assertThat(c.group(2)).isEqualTo(current); // TYPE right after its HELP
          assertThat(c.group(3)).isEqualTo(current.endsWith("_total") ? "counter" : "gauge");
        }
      } else {
        assertThat(s.matches()).as(line).isTrue();
        assertThat(s.group(1)).isEqualTo(current);
        samples.computeIfAbsent(current, k -> new ArrayList<>()).add(s.group(2));
      }
    }
    assertThat(order).containsExactlyElementsOf(names);
    for (String n : names) {
      if (n.equals("entente_peer_last_success_timestamp_seconds")
          || n.equals("entente_peer_pull_lag_seconds")) {
        assertThat(samples.get(n)).as(n).isNull(); // never synced: no sample rather than 0
      } else {
        assertThat(samples.get(n)).as(n).containsExactly("cert-de", "cert-de.2");
      }
    }
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(PeerMetrics.escapeLabel("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    assertThat(PeerMetrics.escapeLabel("cert-de.2_x")).isEqualTo("cert-de.2_x");
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Whether any file of the data directory (database, WAL, key) holds {@code text} as bytes. */
  private boolean dataFilesContain(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(f), needle) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private String addUser(String name, String org, String role) throws Exception {
    Resp r =
        admin.post(
            "users/",
            "{\"name\":\"%s\",\"organisation\":\"%s\",\"role\":\"%s\"}".formatted(name, org, role));
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.json().get("password").asText();
  }

  private long auditCount() {
    return node.store().audit(new AuditQuery(0, null, null, null, 100_000)).stream()
        .filter(e -> !e.action().startsWith("objects."))
        .count();
  }

  private List<AuditEvent> audit(String actionPrefix) {
    return node.store().audit(new AuditQuery(0, null, null, actionPrefix, 1000));
  }

  private static void assertError(Resp r, int status) {
    JsonNode e = r.json();
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(e.get("http_status").asText()).isEqualTo(Integer.toString(status));
    assertThat(e.get("title").asText()).isNotBlank();
    assertThat(e.get("description").asText()).isNotBlank();
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private Http basic(String user, String password) {
    return new Http(
        node.baseUrl(),
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private Http bearer(String token) {
    return new Http(node.baseUrl(), "Bearer " + token);
  }

  private record Resp(int status, String contentType, String raw) {
    JsonNode json() {
      return StixJson.parse(raw);
    }
  }

  /** The admin API over real HTTP with one set of credentials. */
  private final class Http {
    private final HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    Http(String base, String authorization) {
      this.base = base;
      this.authorization = authorization;
    }

    Resp get(String path) throws IOException, InterruptedException {
      return send("GET", path, null, null);
    }

    Resp post(String path, String json) throws IOException, InterruptedException {
      return send("POST", path, json, "application/json");
    }

    Resp delete(String path) throws IOException, InterruptedException {
      return send("DELETE", path, null, null);
    }

    Resp send(String method, String path, String body, String contentType)
        throws IOException, InterruptedException {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + "/admin/" + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      seen.add(r.body());
      return new Resp(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }
  }
}
