package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.taxii.testing.TestNode.HIDDEN;
import static org.entente.taxii.testing.TestNode.MISSING;
import static org.entente.taxii.testing.TestNode.OPEN;
import static org.entente.taxii.testing.TestNode.OPEN_ALIAS;
import static org.entente.taxii.testing.TestNode.READ_ONLY;
import static org.entente.taxii.testing.TestNode.WRITE_ONLY;
import static org.entente.taxii.testing.TestNode.manifestPath;
import static org.entente.taxii.testing.TestNode.objectPath;
import static org.entente.taxii.testing.TestNode.objectsPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.entente.stix.StixJson;
import org.entente.store.TestBackend;
import org.entente.taxii.Taxii;
import org.entente.taxii.testing.RawHttp;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TAXII 2.1 section by section, as an independent client would probe it: raw HTTP, checking status
 * codes, headers and resource properties against the specification's MUSTs.
 */
class ConformanceTest {
  private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

  @TempDir Path dir;
  TestNode node;
  RawHttp http;

  /** The store the node runs on; {@link ConformancePostgresTest} runs these tests on PostgreSQL. */
  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  @BeforeEach
  void start() {
    node = TestNode.start(backend(), dir);
    http = node.http();
  }

  @AfterEach
  void stop() {
    node.close();
    backend().discard(dir);
  }

  static JsonNode json(HttpResponse<String> r) {
    return StixJson.parse(r.body());
  }

  static void assertTaxiiError(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Taxii.MEDIA_TYPE);
    JsonNode e = json(r);
    assertThat(e.path("title").isTextual()).isTrue();
    assertThat(e.path("http_status").asText()).isEqualTo(Integer.toString(status));
  }

  HttpResponse<String> post(String collection, JsonNode... objects) {
    ObjectNode env = StixJson.mapper().createObjectNode();
    var list = env.putArray("objects");
    for (JsonNode o : objects) {
      list.add(o);
    }
    return http.post(objectsPath(collection), StixJson.write(env)).send();
  }

  JsonNode postOk(String collection, JsonNode... objects) {
    HttpResponse<String> r = post(collection, objects);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode status = json(r);
    assertThat(status.path("status").asText()).isEqualTo("complete");
    return status;
  }

  @Nested
  class Section1TransportAndMediaTypes {

    @Test
    void everyResponseCarriesTheTaxiiMediaTypeIncludingErrors() {
      List<HttpResponse<String>> responses = new ArrayList<>();
      responses.add(http.get("/taxii2/").send());
      responses.add(http.get("/taxii2/").authorization(null).send());
      responses.add(http.get("/taxii2/").accept("text/html").send());
      responses.add(http.get("/nowhere/").send());
      responses.add(http.get(objectsPath(OPEN) + "?limit=0").send());
      responses.add(post(OPEN, Samples.indicator(1)));
      responses.add(http.delete(objectPath(OPEN, Samples.indicatorId(1))).send());
      for (HttpResponse<String> r : responses) {
        assertThat(r.headers().allValues("Content-Type"))
            .as("%s %s", r.request().method(), r.uri())
            .containsExactly(Taxii.MEDIA_TYPE);
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "application/taxii+json;version=2.1",
          "application/taxii+json",
          "application/taxii+json; version=2.1",
          "application/taxii+json;version=2.1;q=0.8",
          "*/*",
          "application/*",
        })
    void servesEveryAcceptThatAllowsTaxii21(String accept) {
      assertThat(http.get("/taxii2/").accept(accept).send().statusCode()).isEqualTo(200);
      assertThat(http.get(objectsPath(OPEN)).accept(accept).send().statusCode()).isEqualTo(200);
    }

    @Test
    void servesARequestWithoutAccept() {
      assertThat(http.get("/taxii2/").accept(null).send().statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "application/json",
          "application/taxii+json;version=2.0",
          "application/vnd.oasis.taxii+json; version=2.0",
          "text/html"
        })
    void answers406ToAnAcceptWithoutTaxii21(String accept) {
      assertTaxiiError(http.get("/taxii2/").accept(accept).send(), 406);
      assertTaxiiError(http.get(objectsPath(OPEN)).accept(accept).send(), 406);
      assertTaxiiError(http.post(objectsPath(OPEN), "{\"objects\":[]}").accept(accept).send(), 406);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "/taxii2",
          "/api1",
          "/api1/collections",
          "/api1/collections/" + OPEN + "/objects"
        })
    void answers404ToAPathWithoutItsTrailingSlash(String path) {
      HttpResponse<String> r = http.get(path).send();
      assertTaxiiError(r, 404);
      assertThat(json(r).path("description").asText()).contains("end with '/'");
    }

    @Test
    void timestampsHaveMicrosecondPrecision() {
      JsonNode status = postOk(OPEN, Samples.indicator(1));
      assertThat(status.path("request_timestamp").asText()).matches(TIMESTAMP);
      HttpResponse<String> m = http.get(manifestPath(OPEN)).send();
      assertThat(json(m).path("objects").get(0).path("date_added").asText()).matches(TIMESTAMP);
      assertThat(m.headers().firstValue(Taxii.DATE_ADDED_FIRST).orElseThrow()).matches(TIMESTAMP);
    }
  }

  @Nested
  class Section4_1Discovery {
    @Test
    void describesTheServerAndItsApiRoots() {
      HttpResponse<String> r = http.get("/taxii2/").send();
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode d = json(r);
      assertThat(d.path("title").asText()).isEqualTo("Entente test node");
      assertThat(d.path("description").asText()).isEqualTo("TAXII tests");
      assertThat(d.path("contact").asText()).isEqualTo("csirt@example.org");
      List<String> roots = new ArrayList<>();
      d.path("api_roots").forEach(x -> roots.add(x.asText()));
      assertThat(roots).containsExactlyInAnyOrder("/api1/", "/small/");
      // default MUST be one of api_roots; relative URLs start with exactly one '/'
      assertThat(roots).contains(d.path("default").asText());
      assertThat(roots).allMatch(u -> u.startsWith("/") && !u.startsWith("//"));
    }

    @Test
    void needsAuthenticationToo() {
      HttpResponse<String> r = http.get("/taxii2/").authorization(null).send();
      assertTaxiiError(r, 401);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).contains("Basic").contains("Bearer"));
    }
  }

  @Nested
  class Section4_2ApiRoot {
    @Test
    void describesTheApiRoot() {
      JsonNode a = json(http.get("/api1/").send());
      assertThat(a.path("title").asText()).isEqualTo("Test API root");
      assertThat(a.path("description").asText()).isEqualTo("objects for the tests");
      assertThat(a.path("versions").toString()).isEqualTo("[\"" + Taxii.MEDIA_TYPE + "\"]");
      assertThat(a.path("max_content_length").asLong()).isEqualTo(TestNode.ROOT_MAX);
    }

    @Test
    void answers404ForAnUnknownApiRoot() {
      assertTaxiiError(http.get("/nope/").send(), 404);
      assertTaxiiError(http.get("/nope/collections/").send(), 404);
    }
  }

  @Nested
  class Section4_3Status {
    @Test
    void reportsAnAddRequestToItsRequester() {
      JsonNode posted = postOk(OPEN, Samples.indicator(1), Samples.malware(2));
      String id = posted.path("id").asText();
      assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      HttpResponse<String> r = http.get("/api1/status/" + id + "/").send();
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode s = json(r);
      assertThat(s.path("id").asText()).isEqualTo(id);
      assertThat(s.path("status").asText()).isEqualTo("complete");
      assertThat(s.path("total_count").asInt()).isEqualTo(2);
      assertThat(s.path("success_count").asInt()).isEqualTo(2);
      assertThat(s.path("failure_count").asInt()).isZero();
      assertThat(s.path("pending_count").asInt()).isZero();
      assertThat(s.has("failures")).isFalse();
      assertThat(s.has("pendings")).isFalse();
      assertThat(s.path("successes").get(0).path("id").asText()).isEqualTo(Samples.indicatorId(1));
      assertThat(s.path("successes").get(0).path("version").asText())
          .isEqualTo("2024-01-01T00:00:00.000Z");
    }

    @Test
    void hidesAStatusFromEveryoneButItsOwnerEvenNodeAdmins() {
      // A status names the objects and versions posted: only their poster may read it.
      String id = postOk(OPEN, Samples.indicator(1)).path("id").asText();
      HttpResponse<String> unknown = http.get("/api1/status/" + MISSING + "/").as("bob").send();
      for (String other : List.of("bob", "admin")) {
        HttpResponse<String> r = http.get("/api1/status/" + id + "/").as(other).send();
        assertTaxiiError(r, 404);
        assertThat(r.body()).isEqualTo(unknown.body());
      }
      assertThat(http.get("/api1/status/" + id + "/").send().statusCode()).isEqualTo(200);
    }

    @Test
    void answers404ForAStatusOfAnotherApiRoot() {
      String id = postOk(OPEN, Samples.indicator(1)).path("id").asText();
      assertTaxiiError(http.get("/small/status/" + id + "/").send(), 404);
    }
  }

  @Nested
  class Section5_1Collections {
    @Test
    void listsOnlyCollectionsTheRequesterCanReadOrWrite() {
      JsonNode c = json(http.get("/api1/collections/").send());
      List<String> ids = new ArrayList<>();
      c.path("collections").forEach(x -> ids.add(x.path("id").asText()));
      assertThat(ids).containsExactly(OPEN, READ_ONLY, WRITE_ONLY);
      JsonNode writeOnly = c.path("collections").get(2);
      assertThat(writeOnly.path("can_read").asBoolean()).isFalse();
      assertThat(writeOnly.path("can_write").asBoolean()).isTrue();
      assertThat(writeOnly.path("title").asText()).isEqualTo("Write only");
      assertThat(writeOnly.path("media_types").get(0).asText())
          .isEqualTo("application/stix+json;version=2.1");
    }

    @Test
    void answersAnEmptyObjectWhenNoCollectionIsVisible() {
      HttpResponse<String> r = http.get("/api1/collections/").as("carol").send();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{}");
    }
  }

  @Nested
  class Section5_2Collection {
    @Test
    void describesACollectionByIdOrAlias() {
      JsonNode byId = json(http.get("/api1/collections/" + OPEN + "/").send());
      JsonNode byAlias = json(http.get("/api1/collections/" + OPEN_ALIAS + "/").send());
      assertThat(byAlias).isEqualTo(byId);
      assertThat(byId.path("id").asText()).isEqualTo(OPEN);
      assertThat(byId.path("alias").asText()).isEqualTo(OPEN_ALIAS);
      assertThat(byId.path("title").asText()).isEqualTo("Open intel");
      assertThat(byId.path("description").asText()).isEqualTo("shared indicators");
      assertThat(byId.path("can_read").asBoolean()).isTrue();
      assertThat(byId.path("can_write").asBoolean()).isTrue();
    }

    @Test
    void aHiddenCollectionIsIndistinguishableFromAMissingOne() {
      for (String suffix :
          List.of(
              "",
              "objects/",
              "manifest/",
              "objects/" + Samples.indicatorId(1) + "/",
              "objects/" + Samples.indicatorId(1) + "/versions/")) {
        HttpResponse<String> hidden = http.get("/api1/collections/" + HIDDEN + "/" + suffix).send();
        HttpResponse<String> alias = http.get("/api1/collections/bobs/" + suffix).send();
        HttpResponse<String> missing =
            http.get("/api1/collections/" + MISSING + "/" + suffix).send();
        assertTaxiiError(hidden, 404);
        assertThat(hidden.body()).isEqualTo(missing.body()).isEqualTo(alias.body());
        assertThat(headersWithoutDate(hidden)).isEqualTo(headersWithoutDate(missing));
      }
      HttpResponse<String> postHidden = post(HIDDEN, Samples.indicator(1));
      HttpResponse<String> postMissing = post(MISSING, Samples.indicator(1));
      assertTaxiiError(postHidden, 404);
      assertThat(postHidden.body()).isEqualTo(postMissing.body());
      HttpResponse<String> delHidden =
          http.delete(objectPath(HIDDEN, Samples.indicatorId(1))).send();
      HttpResponse<String> delMissing =
          http.delete(objectPath(MISSING, Samples.indicatorId(1))).send();
      assertTaxiiError(delHidden, 404);
      assertThat(delHidden.body()).isEqualTo(delMissing.body());
    }

    private java.util.Map<String, List<String>> headersWithoutDate(HttpResponse<String> r) {
      var m = new java.util.TreeMap<>(r.headers().map());
      m.remove("date");
      return m;
    }
  }

  @Nested
  class Section5_3Manifest {
    @Test
    void listsOneRecordPerVersionWithItsDateAdded() {
      postOk(OPEN, Samples.indicator(Samples.indicatorId(1), "2024-01-01T00:00:00.000Z", "v1"));
      postOk(OPEN, Samples.indicator(Samples.indicatorId(1), "2024-02-01T00:00:00.000Z", "v2"));
      postOk(OPEN, Samples.malware(2));
      HttpResponse<String> r = http.get(manifestPath(OPEN) + "?match%5Bversion%5D=all").send();
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode m = json(r);
      assertThat(m.path("more").asBoolean(true)).isFalse();
      assertThat(m.path("objects")).hasSize(3);
      JsonNode first = m.path("objects").get(0);
      assertThat(first.path("id").asText()).isEqualTo(Samples.indicatorId(1));
      assertThat(first.path("version").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
      assertThat(first.path("media_type").asText()).isEqualTo(Taxii.STIX_MEDIA_TYPE);
      assertThat(r.headers().firstValue(Taxii.DATE_ADDED_FIRST))
          .hasValue(first.path("date_added").asText());
      assertThat(r.headers().firstValue(Taxii.DATE_ADDED_LAST))
          .hasValue(m.path("objects").get(2).path("date_added").asText());
      // the default is the last version only, and filters apply to the underlying objects
      JsonNode last =
          json(
              http.get(
                      manifestPath(OPEN)
                          + "?match[type]=indicator".replace("[", "%5B").replace("]", "%5D"))
                  .send());
      assertThat(last.path("objects")).hasSize(1);
      assertThat(last.path("objects").get(0).path("version").asText())
          .isEqualTo("2024-02-01T00:00:00.000Z");
    }

    @Test
    void isForbiddenWithoutReadAccess() {
      assertTaxiiError(http.get(manifestPath(WRITE_ONLY)).send(), 403);
    }
  }

  @Nested
  class Section5_4GetObjects {
    @Test
    void returnsTheStoredObjectsInDateAddedOrder() {
      postOk(OPEN, Samples.malware(2));
      postOk(OPEN, Samples.indicator(1));
      HttpResponse<String> r = http.get(objectsPath(OPEN)).send();
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode env = json(r);
      assertThat(env.path("more").asBoolean(true)).isFalse();
      assertThat(env.has("next")).isFalse();
      assertThat(env.path("objects").get(0)).isEqualTo(Samples.malware(2));
      assertThat(env.path("objects").get(1)).isEqualTo(Samples.indicator(1));
      assertThat(r.headers().firstValue(Taxii.DATE_ADDED_FIRST)).isPresent();
      assertThat(r.headers().firstValue(Taxii.DATE_ADDED_LAST)).isPresent();
    }

    @Test
    void anEmptyResultIsAnEnvelopeWithoutObjects() {
      HttpResponse<String> r = http.get(objectsPath(OPEN)).send();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"more\":false}");
      assertThat(r.headers().firstValue(Taxii.DATE_ADDED_FIRST)).isEmpty();
    }

    @Test
    void isForbiddenWithoutReadAccessAndHiddenWithoutAny() {
      assertTaxiiError(http.get(objectsPath(WRITE_ONLY)).send(), 403);
      assertTaxiiError(http.get(objectsPath(HIDDEN)).send(), 404);
      assertThat(http.get(objectsPath(HIDDEN)).as("bob").send().statusCode()).isEqualTo(200);
    }

    @Test
    void servesByAliasToo() {
      postOk(OPEN, Samples.indicator(1));
      JsonNode env = json(http.get("/api1/collections/" + OPEN_ALIAS + "/objects/").send());
      assertThat(env.path("objects")).hasSize(1);
    }
  }

  @Nested
  class Section5_5AddObjects {
    @Test
    void acceptsAnEnvelopeWith202AndACompleteStatus() {
      HttpResponse<String> r = post(OPEN, Samples.indicator(1));
      assertThat(r.statusCode()).isEqualTo(202);
      JsonNode s = json(r);
      assertThat(s.path("status").asText()).isEqualTo("complete");
      assertThat(s.path("total_count").asInt()).isEqualTo(1);
      assertThat(s.path("success_count").asInt()).isEqualTo(1);
    }

    @Test
    void reportsInvalidObjectsAsFailuresWithTheValidatorsReason() {
      ObjectNode bad = Samples.indicator(2);
      bad.remove("pattern");
      JsonNode s = postOk(OPEN, Samples.indicator(1), bad);
      assertThat(s.path("success_count").asInt()).isEqualTo(1);
      assertThat(s.path("failure_count").asInt()).isEqualTo(1);
      JsonNode f = s.path("failures").get(0);
      assertThat(f.path("id").asText()).isEqualTo(Samples.indicatorId(2));
      assertThat(f.path("version").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
      assertThat(f.path("message").asText()).contains("pattern");
      assertThat(json(http.get(objectsPath(OPEN)).send()).path("objects")).hasSize(1);
    }

    @Test
    void reportsObjectsThePolicyRefusesAsFailures() {
      JsonNode s =
          postOk(
              OPEN,
              Samples.indicator(Samples.indicatorId(3), "2024-01-01T00:00:00.000Z", "refuse me"));
      assertThat(s.path("failures").get(0).path("message").asText())
          .isEqualTo("the test policy refuses this object");
    }

    @Test
    void anExactDuplicateIsASuccessNotAnError() {
      postOk(OPEN, Samples.indicator(1));
      JsonNode s = postOk(OPEN, Samples.indicator(1));
      assertThat(s.path("success_count").asInt()).isEqualTo(1);
      assertThat(s.path("failure_count").asInt()).isZero();
      assertThat(s.path("successes").get(0).path("message").asText()).contains("already present");
    }

    @Test
    void aDifferentObjectWithTheSameIdAndVersionIsAFailure() {
      postOk(OPEN, Samples.indicator(Samples.indicatorId(1), "2024-01-01T00:00:00.000Z", "one"));
      JsonNode s =
          postOk(
              OPEN, Samples.indicator(Samples.indicatorId(1), "2024-01-01T00:00:00.000Z", "two"));
      assertThat(s.path("failure_count").asInt()).isEqualTo(1);
      assertThat(s.path("failures").get(0).path("message").asText()).isNotBlank();
    }

    @Test
    void anScoGetsAServerAssignedVersion() {
      JsonNode s = postOk(OPEN, Samples.ipv4(9, "198.51.100.9"));
      assertThat(s.path("successes").get(0).path("version").asText()).isNotBlank();
      JsonNode m = json(http.get(manifestPath(OPEN)).send());
      assertThat(m.path("objects").get(0).path("version").asText())
          .isEqualTo(s.path("successes").get(0).path("version").asText());
    }

    @Test
    void isForbiddenWithoutWriteAccess() {
      assertTaxiiError(post(READ_ONLY, Samples.indicator(1)), 403);
      assertThat(post(WRITE_ONLY, Samples.indicator(1)).statusCode()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "application/taxii+json;version=2.0"})
    void answers415ToAnotherContentType(String contentType) {
      assertTaxiiError(
          http.post(objectsPath(OPEN), "{\"objects\":[]}").contentType(contentType).send(), 415);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/taxii+json", "application/taxii+json; charset=utf-8"})
    void acceptsTheTaxiiContentTypeWithoutVersionOrWithCharset(String contentType) {
      HttpResponse<String> r =
          http.post(objectsPath(OPEN), "{\"objects\":[" + Samples.indicator(1) + "]}")
              .contentType(contentType)
              .send();
      assertThat(r.statusCode()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "not json",
          "{\"objects\": [",
          "[]",
          "{}",
          "{\"objects\": {}}",
          "{\"objects\": []}",
          "{\"objects\": [42]}",
          "{\"objects\": [{\"type\": \"indicator\"}]}",
          "{\"objects\": [], \"objects\": []}"
        })
    void answers422ToABodyThatIsNotANonEmptyEnvelope(String body) {
      assertTaxiiError(http.post(objectsPath(OPEN), body).send(), 422);
    }

    @Test
    void answers413AboveTheApiRootsMaxContentLength() {
      StringBuilder big = new StringBuilder("{\"objects\":[");
      for (int i = 0; big.length() <= TestNode.SMALL_MAX; i++) {
        big.append(i == 0 ? "" : ",").append(Samples.indicator(i));
      }
      big.append("]}");
      HttpResponse<String> r =
          http.post("/small/collections/" + TestNode.SMALL_COLL + "/objects/", big.toString())
              .send();
      assertTaxiiError(r, 413);
      String atLimit = "{\"objects\":[" + Samples.indicator(1) + "]}";
      atLimit = atLimit + " ".repeat((int) TestNode.SMALL_MAX - atLimit.length());
      assertThat(
              http.post("/small/collections/" + TestNode.SMALL_COLL + "/objects/", atLimit)
                  .send()
                  .statusCode())
          .isEqualTo(202);
    }
  }

  @Nested
  class Section5_6GetAnObject {
    @Test
    void returnsTheSelectedVersionsOfOneObject() {
      String id = Samples.indicatorId(1);
      postOk(OPEN, Samples.indicator(id, "2024-01-01T00:00:00.000Z", "v1"));
      postOk(OPEN, Samples.indicator(id, "2024-02-01T00:00:00.000Z", "v2"));
      postOk(OPEN, Samples.indicator(id, "2024-03-01T00:00:00.000Z", "v3"));
      postOk(OPEN, Samples.malware(2));
      assertThat(names(objectPath(OPEN, id))).containsExactly("v3");
      assertThat(names(objectPath(OPEN, id) + "?match%5Bversion%5D=all"))
          .containsExactly("v1", "v2", "v3");
      assertThat(names(objectPath(OPEN, id) + "?match%5Bversion%5D=first")).containsExactly("v1");
      assertThat(names(objectPath(OPEN, id) + "?match%5Bversion%5D=first,last"))
          .containsExactly("v1", "v3");
      assertThat(names(objectPath(OPEN, id) + "?match%5Bversion%5D=2024-02-01T00:00:00Z"))
          .containsExactly("v2");
      HttpResponse<String> r = http.get(objectPath(OPEN, id)).send();
      assertThat(r.headers().firstValue(Taxii.DATE_ADDED_FIRST)).isPresent();
    }

    @Test
    void answers404ForAnObjectNotInTheCollection() {
      assertTaxiiError(http.get(objectPath(OPEN, Samples.indicatorId(77))).send(), 404);
    }

    @Test
    void isForbiddenWithoutReadAccess() {
      assertTaxiiError(http.get(objectPath(WRITE_ONLY, Samples.indicatorId(1))).send(), 403);
    }

    private List<String> names(String path) {
      HttpResponse<String> r = http.get(path).send();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      List<String> names = new ArrayList<>();
      json(r).path("objects").forEach(o -> names.add(o.path("name").asText()));
      return names;
    }
  }

  @Nested
  class Section5_7DeleteAnObject {
    final String id = Samples.indicatorId(1);

    @BeforeEach
    void twoVersions() {
      postOk(OPEN, Samples.indicator(id, "2024-01-01T00:00:00.000Z", "v1"));
      postOk(OPEN, Samples.indicator(id, "2024-02-01T00:00:00.000Z", "v2"));
      postOk(OPEN, Samples.malware(2));
    }

    @Test
    void deletesEveryVersionAnswering200WithoutABody() {
      HttpResponse<String> r = http.delete(objectPath(OPEN, id)).send();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      assertThat(r.headers().firstValue("Content-Type")).hasValue(Taxii.MEDIA_TYPE);
      assertTaxiiError(http.get(objectPath(OPEN, id)).send(), 404);
      assertTaxiiError(http.get(objectPath(OPEN, id) + "?match%5Bversion%5D=all").send(), 404);
      assertTaxiiError(http.get(objectPath(OPEN, id) + "versions/").send(), 404);
      assertThat(http.get(objectsPath(OPEN)).send().body()).doesNotContain(id);
      assertThat(http.get(manifestPath(OPEN) + "?match%5Bversion%5D=all").send().body())
          .doesNotContain(id);
      assertTaxiiError(http.delete(objectPath(OPEN, id)).send(), 404);
    }

    @Test
    void deletesOnlyTheSelectedVersion() {
      HttpResponse<String> r =
          http.delete(objectPath(OPEN, id) + "?match%5Bversion%5D=2024-02-01T00:00:00.000Z").send();
      assertThat(r.statusCode()).isEqualTo(200);
      assertTaxiiError(
          http.get(objectPath(OPEN, id) + "?match%5Bversion%5D=2024-02-01T00:00:00.000Z").send(),
          404);
      JsonNode versions = json(http.get(objectPath(OPEN, id) + "versions/").send());
      assertThat(versions.path("versions").toString()).isEqualTo("[\"2024-01-01T00:00:00.000Z\"]");
    }

    @Test
    void needsBothReadAndWriteAccess() {
      assertTaxiiError(http.delete(objectPath(READ_ONLY, id)).send(), 403);
      assertTaxiiError(http.delete(objectPath(WRITE_ONLY, id)).send(), 403);
      assertTaxiiError(http.delete(objectPath(HIDDEN, id)).send(), 404);
      assertTaxiiError(http.delete(objectPath(OPEN, id)).as("bob").send(), 403);
      assertTaxiiError(http.delete(objectPath(OPEN, id)).as("carol").send(), 404);
    }

    @Test
    void refusesBadFilters() {
      assertTaxiiError(
          http.delete(objectPath(OPEN, id) + "?match%5Bversion%5D=all,first").send(), 400);
    }
  }

  @Nested
  class Section5_8Versions {
    @Test
    void listsEveryVersionInDateAddedOrder() {
      String id = Samples.indicatorId(1);
      postOk(OPEN, Samples.indicator(id, "2024-03-01T00:00:00.000Z", "v3"));
      postOk(OPEN, Samples.indicator(id, "2024-01-01T00:00:00.000Z", "v1"));
      HttpResponse<String> r = http.get(objectPath(OPEN, id) + "versions/").send();
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode v = json(r);
      assertThat(v.path("more").asBoolean(true)).isFalse();
      assertThat(v.path("versions").toString())
          .isEqualTo("[\"2024-03-01T00:00:00.000Z\",\"2024-01-01T00:00:00.000Z\"]");
      assertThat(r.headers().firstValue(Taxii.DATE_ADDED_FIRST)).isPresent();
      assertThat(r.headers().firstValue(Taxii.DATE_ADDED_LAST)).isPresent();
      JsonNode page = json(http.get(objectPath(OPEN, id) + "versions/?limit=1").send());
      assertThat(page.path("more").asBoolean()).isTrue();
      assertThat(page.path("next").asText()).isNotEmpty();
    }

    @Test
    void answers404ForAnUnknownObject() {
      assertTaxiiError(
          http.get(objectPath(OPEN, Samples.indicatorId(5)) + "versions/").send(), 404);
    }
  }

  @Nested
  class Section3_4Filtering {
    @BeforeEach
    void objects() {
      postOk(OPEN, Samples.indicator(1), Samples.malware(2), Samples.indicator(3));
    }

    @Test
    void matchesTypesAndIds() {
      assertThat(count("?match%5Btype%5D=malware")).isEqualTo(1);
      assertThat(count("?match%5Btype%5D=malware,indicator")).isEqualTo(3);
      assertThat(count("?match%5Btype%5D=report")).isZero();
      assertThat(count("?match%5Bid%5D=" + Samples.indicatorId(3))).isEqualTo(1);
      assertThat(count("?match%5Bid%5D=" + Samples.indicatorId(3) + "&match%5Btype%5D=malware"))
          .isZero();
      assertThat(count("?match%5Bspec_version%5D=2.1")).isEqualTo(3);
      assertThat(count("?match%5Bspec_version%5D=2.0")).isZero();
    }

    @Test
    void addedAfterIsStrictlyAfter() {
      HttpResponse<String> r = http.get(objectsPath(OPEN) + "?limit=1").send();
      String first = r.headers().firstValue(Taxii.DATE_ADDED_FIRST).orElseThrow();
      assertThat(count("?added_after=" + first)).isEqualTo(2);
      assertThat(count("?added_after=2000-01-01T00:00:00Z")).isEqualTo(3);
      assertThat(count("?added_after=" + Instant.now().plusSeconds(60))).isZero();
    }

    @Test
    void ignoresUnknownMatchFields() {
      assertThat(count("?match%5Bcolour%5D=red")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "?limit=0",
          "?limit=-2",
          "?limit=ten",
          "?added_after=yesterday",
          "?match%5Bversion%5D=all,last",
          "?match%5Bversion%5D=last,last",
          "?match%5Bversion%5D=latest",
          "?match%5Btype%5D=indicator&match%5Btype%5D=malware",
          "?limit=1&limit=2",
          "?next=forged",
          "?match%5Bspec_version%5D=two"
        })
    void answers400ToABadParameter(String query) {
      assertTaxiiError(http.get(objectsPath(OPEN) + query).send(), 400);
      assertTaxiiError(http.get(manifestPath(OPEN) + query).send(), 400);
    }

    @Test
    void capsALimitAboveTheServerMaximum() {
      assertThat(count("?limit=100000000")).isEqualTo(3);
    }

    private int count(String query) {
      HttpResponse<String> r = http.get(objectsPath(OPEN) + query).send();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return json(r).path("objects").size();
    }
  }

  @Nested
  class Section3_5Pagination {
    @BeforeEach
    void fiveObjects() {
      for (int i = 1; i <= 5; i++) {
        postOk(OPEN, Samples.indicator(i));
      }
    }

    @Test
    void followsNextThroughEveryPage() {
      List<String> ids = new ArrayList<>();
      String query = "?limit=2";
      int pages = 0;
      while (true) {
        HttpResponse<String> r = http.get(objectsPath(OPEN) + query).send();
        JsonNode env = json(r);
        pages++;
        env.path("objects").forEach(o -> ids.add(o.path("id").asText()));
        assertThat(r.headers().firstValue(Taxii.DATE_ADDED_FIRST)).isPresent();
        if (!env.path("more").asBoolean()) {
          assertThat(env.has("next")).isFalse();
          break;
        }
        query = "?limit=2&next=" + env.path("next").asText();
      }
      assertThat(pages).isEqualTo(3);
      assertThat(ids)
          .containsExactly(
              Samples.indicatorId(1),
              Samples.indicatorId(2),
              Samples.indicatorId(3),
              Samples.indicatorId(4),
              Samples.indicatorId(5));
    }

    @Test
    void resumesFromTheLastDateAddedHeaderWithoutNext() {
      HttpResponse<String> first = http.get(objectsPath(OPEN) + "?limit=2").send();
      String last = first.headers().firstValue(Taxii.DATE_ADDED_LAST).orElseThrow();
      JsonNode rest = json(http.get(objectsPath(OPEN) + "?added_after=" + last).send());
      assertThat(rest.path("objects")).hasSize(3);
      assertThat(rest.path("objects").get(0).path("id").asText()).isEqualTo(Samples.indicatorId(3));
    }

    @Test
    void refusesANextUsedWithOtherFiltersAnotherCollectionOrUser() {
      String next = json(http.get(objectsPath(OPEN) + "?limit=2").send()).path("next").asText();
      assertThat(http.get(objectsPath(OPEN) + "?limit=3&next=" + next).send().statusCode())
          .as("a different page size is fine")
          .isEqualTo(200);
      assertThat(http.get(objectsPath(OPEN_ALIAS) + "?next=" + next).send().statusCode())
          .as("the alias names the same collection")
          .isEqualTo(200);
      assertTaxiiError(
          http.get(objectsPath(OPEN) + "?limit=2&match%5Btype%5D=indicator&next=" + next).send(),
          400);
      assertTaxiiError(http.get(objectsPath(READ_ONLY) + "?next=" + next).send(), 400);
      assertTaxiiError(http.get(manifestPath(OPEN) + "?next=" + next).send(), 400);
      assertTaxiiError(http.get(objectsPath(OPEN) + "?next=" + next).as("bob").send(), 400);
      String tampered = (next.charAt(3) == 'A' ? "B" : "A");
      tampered = next.substring(0, 3) + tampered + next.substring(4);
      assertTaxiiError(http.get(objectsPath(OPEN) + "?next=" + tampered).send(), 400);
    }

    @Test
    void pagesTheManifestToo() {
      JsonNode m = json(http.get(manifestPath(OPEN) + "?limit=4").send());
      assertThat(m.path("objects")).hasSize(4);
      assertThat(m.path("more").asBoolean()).isTrue();
      JsonNode rest =
          json(http.get(manifestPath(OPEN) + "?limit=4&next=" + m.path("next").asText()).send());
      assertThat(rest.path("objects")).hasSize(1);
      assertThat(rest.path("more").asBoolean()).isFalse();
    }
  }

  @Nested
  class Section3_6Errors {
    @Test
    void errorBodiesNameNoInternals() {
      List<HttpResponse<String>> errors = new ArrayList<>();
      errors.add(http.get("/taxii2/").authorization("Basic !!!").send());
      errors.add(http.get("/api1/collections/" + HIDDEN + "/").send());
      errors.add(http.get(objectsPath(OPEN) + "?limit=x").send());
      errors.add(http.post(objectsPath(OPEN), "{\"objects\": [").send());
      errors.add(http.method("PUT", objectsPath(OPEN)).send());
      errors.add(http.get("/api1/collections/%2e%2e/").send());
      for (HttpResponse<String> r : errors) {
        assertThat(r.statusCode()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(Taxii.MEDIA_TYPE);
        assertThat(r.body().toLowerCase())
            .doesNotContain("exception")
            .doesNotContain("org.entente")
            .doesNotContain("jetty")
            .doesNotContain("javalin")
            .doesNotContain("sqlite")
            .doesNotContain("\tat ");
        assertThat(json(r).path("http_status").asText())
            .isEqualTo(Integer.toString(r.statusCode()));
      }
    }

    @Test
    void anUnexpectedFailureIsA500WithAnErrorIdOnly() {
      postOk(OPEN, Samples.indicator(1));
      node.store.failWrites(true);
      HttpResponse<String> r = http.delete(objectPath(OPEN, Samples.indicatorId(1))).send();
      node.store.failWrites(false);
      assertTaxiiError(r, 500);
      JsonNode e = json(r);
      assertThat(e.path("error_id").asText()).isNotBlank();
      assertThat(r.body()).doesNotContain("disk on fire").doesNotContain("StoreException");
    }
  }
}
