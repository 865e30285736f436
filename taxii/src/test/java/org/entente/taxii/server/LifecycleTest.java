package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.entente.stix.StixJson;
import org.entente.store.TestBackend;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {
  @TempDir Path dir;

  /** The store the node runs on; {@link LifecyclePostgresTest} runs these tests on PostgreSQL. */
  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  @AfterEach
  void discardStore() {
    backend().discard(dir);
  }

  @Test
  void stopsPromptlyWithIdleKeepAliveConnections() {
    try (TestNode node = TestNode.start(backend(), dir)) {
      node.http().get("/taxii2/").send();
      long t0 = System.nanoTime();
      node.server.stop();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(900));
    }
  }

  @Test
  void stopLetsARequestInFlightFinish() throws Exception {
    try (TestNode node =
        TestNode.start(
            backend(), dir, TestNode.Options.defaults().statusWait(Duration.ofMillis(800)))) {
      node.store.hold();
      CompletableFuture<HttpResponse<String>> post =
          CompletableFuture.supplyAsync(
              () ->
                  node.http()
                      .post(
                          TestNode.objectsPath(TestNode.OPEN),
                          "{\"objects\":[" + Samples.indicator(1) + "]}")
                      .send());
      Thread.sleep(300); // the POST is now waiting for its commit
      node.server.stop();
      HttpResponse<String> r = post.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(202);
      JsonNode status = StixJson.parse(r.body());
      assertThat(status.path("status").asText()).isEqualTo("pending");
      assertThat(status.path("pending_count").asInt()).isEqualTo(1);
    }
  }

  @Test
  void refusesConnectionsAfterStop() {
    TestNode node = TestNode.start(backend(), dir);
    var http = node.http();
    node.server.stop();
    assertThatThrownBy(() -> http.get("/taxii2/").send()).isInstanceOf(RuntimeException.class);
    node.close();
  }

  @Test
  void reportsItsEphemeralPortAndBaseUrl() {
    try (TestNode node = TestNode.start(backend(), dir)) {
      assertThat(node.server.port()).isPositive();
      assertThat(node.server.baseUrl()).isEqualTo("http://127.0.0.1:" + node.server.port());
    }
  }
}
