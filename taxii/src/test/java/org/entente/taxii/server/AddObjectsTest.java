package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.entente.taxii.testing.TestNode.OPEN;
import static org.entente.taxii.testing.TestNode.objectsPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.entente.stix.StixJson;
import org.entente.store.TestBackend;
import org.entente.taxii.testing.RawHttp;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** §5.5 and §4.3: what a POST reports before, at and after its commit. */
class AddObjectsTest {
  @TempDir Path dir;

  /** The store the node runs on; {@link AddObjectsPostgresTest} runs these tests on PostgreSQL. */
  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  @AfterEach
  void discardStore() {
    backend().discard(dir);
  }

  static String envelope(JsonNode... objects) {
    ObjectNode env = StixJson.mapper().createObjectNode();
    var list = env.putArray("objects");
    for (JsonNode o : objects) {
      list.add(o);
    }
    return StixJson.write(env);
  }

  static JsonNode json(HttpResponse<String> r) {
    return StixJson.parse(r.body());
  }

  static JsonNode status(RawHttp http, String id) {
    HttpResponse<String> r = http.get("/api1/status/" + id + "/").send();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  static ObjectNode invalid(long n) {
    ObjectNode o = Samples.indicator(n);
    o.put("valid_from", "not a timestamp");
    return o;
  }

  @Test
  void answersPendingWhenTheCommitTakesLongerThanTheStatusWaitAndNeverClaimsSuccessEarly() {
    try (TestNode node =
        TestNode.start(
            backend(), dir, TestNode.Options.defaults().statusWait(Duration.ofMillis(200)))) {
      RawHttp http = node.http();
      node.store.hold();
      HttpResponse<String> r =
          http.post(
                  objectsPath(OPEN), envelope(Samples.indicator(1), invalid(2), Samples.malware(3)))
              .send();
      assertThat(r.statusCode()).isEqualTo(202);
      JsonNode pending = json(r);
      assertThat(pending.path("status").asText()).isEqualTo("pending");
      assertThat(pending.path("total_count").asInt()).isEqualTo(3);
      assertThat(pending.path("success_count").asInt()).isZero();
      assertThat(pending.path("failure_count").asInt()).isEqualTo(1);
      assertThat(pending.path("pending_count").asInt()).isEqualTo(2);
      assertThat(pending.has("successes")).isFalse();
      assertThat(pending.path("pendings").get(0).path("id").asText())
          .isEqualTo(Samples.indicatorId(1));
      String id = pending.path("id").asText();
      for (int i = 0; i < 5; i++) {
        JsonNode s = status(http, id);
        assertThat(s.path("status").asText()).isEqualTo("pending");
        assertThat(s.path("success_count").asInt()).isZero();
      }
      assertThat(json(http.get(objectsPath(OPEN)).send()).has("objects")).isFalse();

      node.store.open();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> status(http, id).path("status").asText().equals("complete"));
      JsonNode done = status(http, id);
      assertThat(done.path("success_count").asInt()).isEqualTo(2);
      assertThat(done.path("failure_count").asInt()).isEqualTo(1);
      assertThat(done.path("pending_count").asInt()).isZero();
      assertThat(done.path("request_timestamp")).isEqualTo(pending.path("request_timestamp"));
      assertThat(json(http.get(objectsPath(OPEN)).send()).path("objects")).hasSize(2);
    }
  }

  @Test
  void aFullIngestQueueAnswers503WithRetryAfterAndStoresNothing() {
    try (TestNode node =
        TestNode.start(
            backend(),
            dir,
            TestNode.Options.defaults().queueCapacity(3).statusWait(Duration.ofMillis(100)))) {
      RawHttp http = node.http();
      node.store.hold();
      HttpResponse<String> first =
          http.post(
                  objectsPath(OPEN),
                  envelope(Samples.indicator(1), Samples.indicator(2), Samples.indicator(3)))
              .send();
      assertThat(json(first).path("status").asText()).isEqualTo("pending");
      HttpResponse<String> refused =
          http.post(objectsPath(OPEN), envelope(Samples.indicator(4))).send();
      ConformanceTest.assertTaxiiError(refused, 503);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("3");

      node.store.open();
      await().atMost(Duration.ofSeconds(10)).until(() -> node.writer.pendingObjects() == 0);
      HttpResponse<String> retried =
          http.post(objectsPath(OPEN), envelope(Samples.indicator(4))).send();
      assertThat(json(retried).path("status").asText()).isEqualTo("complete");
      assertThat(json(http.get(objectsPath(OPEN)).send()).path("objects")).hasSize(4);
    }
  }

  @Test
  void anEnvelopeLargerThanTheWholeQueueIs422() {
    try (TestNode node =
        TestNode.start(backend(), dir, TestNode.Options.defaults().queueCapacity(3))) {
      HttpResponse<String> r =
          node.http()
              .post(
                  objectsPath(OPEN),
                  envelope(
                      Samples.indicator(1),
                      Samples.indicator(2),
                      Samples.indicator(3),
                      Samples.indicator(4)))
              .send();
      ConformanceTest.assertTaxiiError(r, 422);
    }
  }

  @Test
  void aFailedCommitIsReportedAsFailuresNeverAsSuccess() {
    try (TestNode node = TestNode.start(backend(), dir)) {
      RawHttp http = node.http();
      node.store.failWrites(true);
      HttpResponse<String> r =
          http.post(objectsPath(OPEN), envelope(Samples.indicator(1), invalid(2))).send();
      node.store.failWrites(false);
      assertThat(r.statusCode()).isEqualTo(202);
      JsonNode s = json(r);
      assertThat(s.path("status").asText()).isEqualTo("complete");
      assertThat(s.path("success_count").asInt()).isZero();
      assertThat(s.path("failure_count").asInt()).isEqualTo(2);
      assertThat(s.path("failures").get(0).path("message").asText()).contains("submit it again");
      assertThat(r.body()).doesNotContain("disk on fire");
      assertThat(status(http, s.path("id").asText())).isEqualTo(s);
    }
  }

  @Test
  void aCommitFailingAfterThePendingAnswerTurnsTheStatusIntoFailures() {
    try (TestNode node =
        TestNode.start(
            backend(), dir, TestNode.Options.defaults().statusWait(Duration.ofMillis(100)))) {
      RawHttp http = node.http();
      node.store.hold();
      String id =
          json(http.post(objectsPath(OPEN), envelope(Samples.indicator(1))).send())
              .path("id")
              .asText();
      node.store.failWrites(true);
      node.store.open();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> status(http, id).path("status").asText().equals("complete"));
      node.store.failWrites(false);
      JsonNode s = status(http, id);
      assertThat(s.path("success_count").asInt()).isZero();
      assertThat(s.path("failure_count").asInt()).isEqualTo(1);
    }
  }

  @Test
  void anEnvelopeOfOnlyInvalidObjectsStillGetsAStoredStatus() {
    String id;
    try (TestNode node = TestNode.start(backend(), dir)) {
      JsonNode s = json(node.http().post(objectsPath(OPEN), envelope(invalid(1))).send());
      assertThat(s.path("status").asText()).isEqualTo("complete");
      assertThat(s.path("failure_count").asInt()).isEqualTo(1);
      assertThat(s.path("failures").get(0).path("message").asText()).contains("valid_from");
      id = s.path("id").asText();
    }
    try (TestNode restarted = TestNode.start(backend(), dir)) {
      assertThat(status(restarted.http(), id).path("failure_count").asInt()).isEqualTo(1);
    }
  }

  @Test
  void aCommittedStatusSurvivesARestart() {
    JsonNode before;
    try (TestNode node = TestNode.start(backend(), dir)) {
      before = json(node.http().post(objectsPath(OPEN), envelope(Samples.indicator(1))).send());
    }
    try (TestNode restarted = TestNode.start(backend(), dir)) {
      assertThat(status(restarted.http(), before.path("id").asText())).isEqualTo(before);
    }
  }

  @Test
  void concurrentPostsAreAllCommittedAndReported() throws Exception {
    try (TestNode node = TestNode.start(backend(), dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<JsonNode>> results = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        int base = t * 50;
        results.add(
            pool.submit(
                () -> {
                  List<JsonNode> objects = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    objects.add(Samples.indicator(base + i));
                  }
                  return json(
                      node.http()
                          .post(objectsPath(OPEN), envelope(objects.toArray(JsonNode[]::new)))
                          .send());
                }));
      }
      for (Future<JsonNode> f : results) {
        JsonNode s = f.get();
        assertThat(s.path("status").asText()).isEqualTo("complete");
        assertThat(s.path("success_count").asInt()).isEqualTo(50);
      }
      pool.shutdown();
      assertThat(
              node.client("alice")
                  .getAllObjects(
                      TestNode.ROOT, OPEN, org.entente.taxii.client.Query.none().withLimit(500)))
          .hasSize(32 * 50);
    }
  }
}
