package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.entente.taxii.server.AddObjectsTest.envelope;
import static org.entente.taxii.server.AddObjectsTest.json;
import static org.entente.taxii.server.AddObjectsTest.status;
import static org.entente.taxii.testing.TestNode.OPEN;
import static org.entente.taxii.testing.TestNode.objectsPath;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.entente.taxii.testing.RawHttp;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot reach its database (StoreUnavailableException) is a 503 with Retry-After and
 * a TAXII error, for reads and writes alike, never a 500; and a status already answered "pending"
 * turns into failures that do not claim nothing was stored. (PostgreSQL stopped for real under
 * load: the node's PostgresOutageTest.)
 */
class StoreUnavailableTest {
  @TempDir Path dir;

  private static void assertUnavailable(HttpResponse<String> r) {
    ConformanceTest.assertTaxiiError(r, 503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(json(r).path("error_code").asText()).isEqualTo("store-unavailable");
    assertThat(r.body()).doesNotContain("(test)").doesNotContain("connection refused");
  }

  @Test
  void readsAndWritesAre503WithRetryAfterUntilTheDatabaseIsBack() {
    try (TestNode node = TestNode.start(dir)) {
      RawHttp http = node.http();
      node.store.unavailable(true);
      assertUnavailable(http.post(objectsPath(OPEN), envelope(Samples.indicator(1))).send());
      assertUnavailable(http.get(objectsPath(OPEN)).send());

      node.store.unavailable(false);
      HttpResponse<String> r = http.post(objectsPath(OPEN), envelope(Samples.indicator(1))).send();
      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(json(r).path("success_count").asInt()).isEqualTo(1);
      assertThat(http.get(objectsPath(OPEN)).send().statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aPendingStatusWhoseCommitFindsTheDatabaseUnavailableTellsTheClientToSubmitAgain() {
    try (TestNode node =
        TestNode.start(dir, TestNode.Options.defaults().statusWait(Duration.ofMillis(100)))) {
      RawHttp http = node.http();
      node.store.hold();
      JsonNode pending = json(http.post(objectsPath(OPEN), envelope(Samples.indicator(1))).send());
      assertThat(pending.path("status").asText()).isEqualTo("pending");
      String id = pending.path("id").asText();
      node.store.unavailable(true);
      node.store.open();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> status(http, id).path("status").asText().equals("complete"));
      node.store.unavailable(false);
      JsonNode s = status(http, id);
      assertThat(s.path("success_count").asInt()).isZero();
      // A COMMIT cut off by the outage may have been applied: no claim that nothing was stored.
      assertThat(s.path("failures").get(0).path("message").asText())
          .contains("database was unavailable")
          .contains("submit this object again")
          .doesNotContain("nothing was stored");
    }
  }
}
