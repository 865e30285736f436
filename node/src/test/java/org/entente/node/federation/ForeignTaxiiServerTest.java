package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The foreign server over real HTTP, with the JDK client only (no Entente code). */
class ForeignTaxiiServerTest {
  private static final String TAXII = "application/taxii+json;version=2.1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T1 = Instant.parse("2024-05-01T10:00:00.123Z");
  private static final Instant T2 = Instant.parse("2024-05-01T10:00:00.124Z");
  private static final Instant T3 = Instant.parse("2024-05-02T00:00:00Z");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ForeignTaxiiServer server;
  private String collection;

  @BeforeEach
  void start() {
    server = new ForeignTaxiiServer("alice", "s3cret", 4096, 4);
    collection = server.addCollection("Shared", true, true);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void discoveryGivesARelativeApiRootThatResolvesToTheApiRoot() throws Exception {
    HttpResponse<String> discovery = get(server.discoveryUrl().toString());
    assertThat(discovery.statusCode()).isEqualTo(200);
    assertThat(discovery.headers().firstValue("Content-Type")).hasValue(TAXII);
    JsonNode body = JSON.readTree(discovery.body());
    String advertised = body.get("api_roots").get(0).asText();
    assertThat(body.get("default").asText()).isEqualTo(advertised);
    assertThat(advertised).doesNotStartWith("http").doesNotContain("/taxii2");
    URI root = server.discoveryUrl().resolve(advertised);
    assertThat(root.toString()).isEqualTo(server.apiRootUrl());

    JsonNode apiRoot = JSON.readTree(get(root.toString()).body());
    assertThat(apiRoot.get("versions").get(0).asText()).isEqualTo(TAXII);
    assertThat(apiRoot.get("max_content_length").asLong()).isEqualTo(4096);

    JsonNode collections = JSON.readTree(get(root + "collections/").body());
    assertThat(collections.get("collections")).hasSize(1);
    JsonNode c = JSON.readTree(get(root + "collections/" + collection + "/").body());
    assertThat(c.get("id").asText()).isEqualTo(collection);
    assertThat(c.get("can_read").asBoolean()).isTrue();
    assertThat(c.get("can_write").asBoolean()).isTrue();

    server.setAbsoluteApiRootUrls(true);
    JsonNode absolute = JSON.readTree(get(server.discoveryUrl().toString()).body());
    assertThat(absolute.get("api_roots").get(0).asText()).isEqualTo(server.apiRootUrl());
  }

  @Test
  void pagesWithOpaqueNextAcrossSharedDateAdded() throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ObjectNode o = indicator(null);
      expected.add(o.get("id").asText());
      server.add(collection, T1, o);
    }
    for (int i = 0; i < 3; i++) {
      ObjectNode o = indicator(null);
      expected.add(o.get("id").asText());
      server.add(collection, T2, o);
    }

    List<String> seen = new ArrayList<>();
    String url = objectsUrl() + "?limit=3";
    HttpResponse<String> first = get(url);
    assertThat(first.headers().firstValue("X-TAXII-Date-Added-First"))
        .hasValue("2024-05-01T10:00:00.123000Z");
    assertThat(first.headers().firstValue("X-TAXII-Date-Added-Last"))
        .hasValue("2024-05-01T10:00:00.123000Z");
    JsonNode page = JSON.readTree(first.body());
    int pages = 1;
    while (true) {
      page.get("objects").forEach(o -> seen.add(o.get("id").asText()));
      if (!page.path("more").asBoolean(false)) {
        break;
      }
      String next = page.get("next").asText();
      assertThat(next).doesNotContain("2024").doesNotContain(",");
      page = JSON.readTree(get(url + "&next=" + next).body());
      pages++;
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(3);

    // The server cap (4) applies when the client asks for more; a next with other filters is 400.
    JsonNode capped = JSON.readTree(get(objectsUrl() + "?limit=50").body());
    assertThat(capped.get("objects")).hasSize(4);
    assertThat(capped.get("more").asBoolean()).isTrue();
    String token = capped.get("next").asText();
    assertThat(get(objectsUrl() + "?limit=50&match[type]=indicator&next=" + token).statusCode())
        .isEqualTo(400);
    assertThat(get(objectsUrl() + "?next=" + UUID.randomUUID()).statusCode()).isEqualTo(400);
  }

  @Test
  void withoutNextTokensPagesEndOnADateAddedBoundary() throws Exception {
    server.setNextTokens(false);
    List<String> expected = new ArrayList<>();
    for (Instant t : List.of(T1, T1, T1, T2, T2, T3)) {
      ObjectNode o = indicator(null);
      expected.add(o.get("id").asText());
      server.add(collection, t, o);
    }
    List<String> seen = new ArrayList<>();
    String url = objectsUrl();
    while (true) {
      HttpResponse<String> r = get(url);
      JsonNode page = JSON.readTree(r.body());
      assertThat(page.has("next")).isFalse();
      page.path("objects").forEach(o -> seen.add(o.get("id").asText()));
      if (!page.path("more").asBoolean(false)) {
        break;
      }
      String last = r.headers().firstValue("X-TAXII-Date-Added-Last").orElseThrow();
      url = objectsUrl() + "?added_after=" + last;
    }
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void addedAfterIsStrictAndAnEmptyPageIsAnEmptyObject() throws Exception {
    ObjectNode early = indicator(null);
    ObjectNode late = indicator(null);
    server.add(collection, T1, early);
    server.add(collection, T2, late);

    JsonNode after = JSON.readTree(get(objectsUrl() + "?added_after=" + T1).body());
    assertThat(after.get("objects")).hasSize(1);
    assertThat(after.get("objects").get(0).get("id")).isEqualTo(late.get("id"));

    HttpResponse<String> none = get(objectsUrl() + "?added_after=2024-05-01T10:00:00.124000Z");
    assertThat(none.statusCode()).isEqualTo(200);
    assertThat(none.body()).isEqualTo("{}");
    assertThat(none.headers().firstValue("X-TAXII-Date-Added-First")).isEmpty();
    assertThat(get(objectsUrl() + "?added_after=yesterday").statusCode()).isEqualTo(400);
  }

  @Test
  void matchFiltersSelectVersionsTypesAndIds() throws Exception {
    ObjectNode v1 = indicator("2024-01-01T00:00:00.000Z");
    ObjectNode v2 = v1.deepCopy().put("modified", "2024-02-01T00:00:00.000Z");
    ObjectNode other = indicator(null);
    ObjectNode sco =
        JSON.createObjectNode()
            .put("type", "ipv4-addr")
            .put("spec_version", "2.1")
            .put("id", "ipv4-addr--" + UUID.randomUUID())
            .put("value", "198.51.100.7");
    server.add(collection, T1, v1, other);
    server.add(collection, T2, v2, sco);
    String id = v1.get("id").asText();

    assertThat(modifieds(objectsUrl() + "?match[id]=" + id))
        .containsExactly("2024-02-01T00:00:00.000Z");
    assertThat(modifieds(objectsUrl() + "?match[id]=" + id + "&match[version]=first"))
        .containsExactly("2024-01-01T00:00:00.000Z");
    assertThat(modifieds(objectsUrl() + "?match[id]=" + id + "&match[version]=all")).hasSize(2);
    assertThat(
            modifieds(objectsUrl() + "?match[id]=" + id + "&match[version]=2024-01-01T00:00:00Z"))
        .containsExactly("2024-01-01T00:00:00.000Z");
    assertThat(get(objectsUrl() + "?match[version]=all,first").statusCode()).isEqualTo(400);
    assertThat(get(objectsUrl() + "?limit=0").statusCode()).isEqualTo(400);

    JsonNode scos =
        JSON.readTree(get(objectsUrl() + "?" + enc("match[type]") + "=ipv4-addr").body());
    assertThat(scos.get("objects")).hasSize(1);
    assertThat(JSON.readTree(get(objectsUrl() + "?match[type]=indicator").body()).get("objects"))
        .hasSize(2);

    JsonNode byId = JSON.readTree(get(objectsUrl() + id + "/?match[version]=all").body());
    assertThat(byId.get("objects")).hasSize(2);
    assertThat(get(objectsUrl() + "indicator--" + UUID.randomUUID() + "/").statusCode())
        .isEqualTo(404);

    HttpResponse<String> manifest =
        get(server.apiRootUrl() + "collections/" + collection + "/manifest/?match[id]=" + id);
    JsonNode record = JSON.readTree(manifest.body()).get("objects").get(0);
    assertThat(record.get("version").asText()).isEqualTo("2024-02-01T00:00:00.000Z");
    assertThat(record.get("date_added").asText()).isEqualTo("2024-05-01T10:00:00.124000Z");
    assertThat(manifest.headers().firstValue("X-TAXII-Date-Added-Last"))
        .hasValue("2024-05-01T10:00:00.124000Z");
  }

  @Test
  void injectedRateLimitIsAnsweredWithRetryAfterAndLogged() throws Exception {
    server.failNextRequests(1, 429, "1");
    HttpResponse<String> limited = get(objectsUrl());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(limited.headers().firstValue("Content-Type")).hasValue(TAXII);
    assertThat(JSON.readTree(limited.body()).get("http_status").asText()).isEqualTo("429");
    assertThat(get(objectsUrl() + "?limit=2").statusCode()).isEqualTo(200);

    List<ForeignTaxiiServer.Request> log = server.requests();
    assertThat(log).extracting(ForeignTaxiiServer.Request::status).containsExactly(429, 200);
    assertThat(log.get(1).path()).isEqualTo("/trustgroup1/collections/" + collection + "/objects/");
    assertThat(log.get(1).query()).isEqualTo("limit=2");
    assertThat(log.get(1).when()).isAfterOrEqualTo(log.get(0).when());

    server.failNextRequests(2, 503, null);
    assertThat(get(objectsUrl()).statusCode()).isEqualTo(503);
    assertThat(get(objectsUrl()).headers().firstValue("Retry-After")).isEmpty();
    assertThat(get(objectsUrl()).statusCode()).isEqualTo(200);
  }

  @Test
  void postStaysPendingForTheConfiguredPollsThenCompletes() throws Exception {
    server.setPendingPolls(2);
    ObjectNode a = indicator(null);
    ObjectNode b = indicator(null);
    ObjectNode broken = JSON.createObjectNode().put("type", "indicator").put("id", "indicator--x");
    HttpResponse<String> posted = post(objectsUrl(), envelope(a, b, broken), TAXII);
    assertThat(posted.statusCode()).isEqualTo(202);
    JsonNode status = JSON.readTree(posted.body());
    assertThat(status.get("status").asText()).isEqualTo("pending");
    assertThat(status.get("total_count").asInt()).isEqualTo(3);
    assertThat(status.get("pending_count").asInt()).isEqualTo(2);
    assertThat(status.get("failure_count").asInt()).isEqualTo(1);
    assertThat(server.count(collection)).isZero();

    String statusUrl = server.apiRootUrl() + "status/" + status.get("id").asText() + "/";
    assertThat(JSON.readTree(get(statusUrl).body()).get("status").asText()).isEqualTo("pending");
    assertThat(JSON.readTree(get(statusUrl).body()).get("status").asText()).isEqualTo("pending");
    JsonNode done = JSON.readTree(get(statusUrl).body());
    assertThat(done.get("status").asText()).isEqualTo("complete");
    assertThat(done.get("success_count").asInt()).isEqualTo(2);
    assertThat(done.get("failure_count").asInt()).isEqualTo(1);
    assertThat(done.get("pending_count").asInt()).isZero();
    assertThat(done.has("pendings")).isFalse();
    assertThat(server.objects(collection)).containsExactly(a, b);

    // Both committed together: they share one date_added.
    HttpResponse<String> read = get(objectsUrl());
    assertThat(read.headers().firstValue("X-TAXII-Date-Added-First"))
        .isEqualTo(read.headers().firstValue("X-TAXII-Date-Added-Last"));

    server.setPendingPolls(0);
    JsonNode again = JSON.readTree(post(objectsUrl(), envelope(a), TAXII).body());
    assertThat(again.get("status").asText()).isEqualTo("complete");
    assertThat(again.get("success_count").asInt()).isEqualTo(1);
    assertThat(again.get("successes").get(0).get("message").asText())
        .isEqualTo("Object already added");
    assertThat(server.count(collection)).isEqualTo(2);
    assertThat(get(server.apiRootUrl() + "status/" + UUID.randomUUID() + "/").statusCode())
        .isEqualTo(404);

    server.clear(collection);
    assertThat(server.count(collection)).isZero();
  }

  @Test
  void missingOrWrongCredentialsGet401WithATaxiiError() throws Exception {
    HttpResponse<String> none =
        http.send(
            HttpRequest.newBuilder(server.discoveryUrl()).header("Accept", TAXII).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(none.headers().firstValue("Content-Type")).hasValue(TAXII);
    assertThat(JSON.readTree(none.body()).get("title").asText()).isNotEmpty();

    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(server.discoveryUrl())
                .header("Accept", TAXII)
                .header("Authorization", basic("alice", "guess"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @Test
  void acceptMustNameTheTaxiiMediaType() throws Exception {
    assertThat(get(server.apiRootUrl(), null).statusCode()).isEqualTo(406);
    assertThat(get(server.apiRootUrl(), "application/json").statusCode()).isEqualTo(406);
    assertThat(get(server.apiRootUrl(), "application/taxii+json;version=2.0").statusCode())
        .isEqualTo(406);
    assertThat(get(server.apiRootUrl(), "application/taxii+json").statusCode()).isEqualTo(200);
    assertThat(
            get(server.apiRootUrl(), "application/json, application/taxii+json; version=2.1")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void postNeedsTheTaxiiContentTypeAndABodyWithinMaxContentLength() throws Exception {
    assertThat(post(objectsUrl(), envelope(indicator(null)), "application/json").statusCode())
        .isEqualTo(415);

    ObjectNode big = indicator(null).put("description", "x".repeat(5000));
    HttpResponse<String> tooLarge = post(objectsUrl(), envelope(big), TAXII);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(tooLarge.body()).get("http_status").asText()).isEqualTo("413");

    ObjectNode fits = indicator(null).put("description", "x".repeat(3000));
    assertThat(post(objectsUrl(), envelope(fits), TAXII).statusCode()).isEqualTo(202);
    assertThat(post(objectsUrl(), "{not json", TAXII).statusCode()).isEqualTo(400);
  }

  @Test
  void collectionPermissionsAreEnforced() throws Exception {
    String readOnly = server.addCollection("Read only", true, false);
    String writeOnly = server.addCollection("Write only", false, true);
    String root = server.apiRootUrl() + "collections/";
    assertThat(post(root + readOnly + "/objects/", envelope(indicator(null)), TAXII).statusCode())
        .isEqualTo(403);
    assertThat(get(root + writeOnly + "/objects/").statusCode()).isEqualTo(403);
    assertThat(post(root + writeOnly + "/objects/", envelope(indicator(null)), TAXII).statusCode())
        .isEqualTo(202);
    assertThat(get(root + UUID.randomUUID() + "/objects/").statusCode()).isEqualTo(404);
    assertThat(get(server.apiRootUrl() + "collections").statusCode()).isEqualTo(404);
  }

  @Test
  void concurrentPostsAllLand() throws Exception {
    List<Thread> threads = new ArrayList<>();
    Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    for (int t = 0; t < 8; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 10; i++) {
                    ObjectNode o = indicator(null);
                    ids.add(o.get("id").asText());
                    assertThat(post(objectsUrl(), envelope(o), TAXII).statusCode()).isEqualTo(202);
                  }
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(server.count(collection)).isEqualTo(80);
    Set<String> stored = new HashSet<>();
    server.objects(collection).forEach(o -> stored.add(o.get("id").asText()));
    assertThat(stored).isEqualTo(ids);
  }

  // ---------------------------------------------------------------- helpers

  private String objectsUrl() {
    return server.apiRootUrl() + "collections/" + collection + "/objects/";
  }

  private List<String> modifieds(String url) throws Exception {
    List<String> out = new ArrayList<>();
    JSON.readTree(get(url).body())
        .path("objects")
        .forEach(o -> out.add(o.get("modified").asText()));
    return out;
  }

  private static ObjectNode indicator(String modified) {
    String ts = modified == null ? "2024-01-01T00:00:00.000Z" : modified;
    return JSON.createObjectNode()
        .put("type", "indicator")
        .put("spec_version", "2.1")
        .put("id", "indicator--" + UUID.randomUUID())
        .put("created", "2024-01-01T00:00:00.000Z")
        .put("modified", ts)
        .put("pattern", "[ipv4-addr:value = '198.51.100.1']")
        .put("pattern_type", "stix")
        .put("valid_from", "2024-01-01T00:00:00Z");
  }

  private static String envelope(JsonNode... objects) {
    ObjectNode e = JSON.createObjectNode();
    e.putArray("objects").addAll(List.of(objects));
    return e.toString();
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return get(url, TAXII);
  }

  private HttpResponse<String> get(String url, String accept) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url.replace("[", "%5B").replace("]", "%5D")))
            .header("Authorization", basic("alice", "s3cret"));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String body, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", basic("alice", "s3cret"))
            .header("Accept", TAXII)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
