package org.entente.node.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.entente.node.Fixtures;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.stix.StixJson;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.CollectionGrant.GranteeKind;
import org.entente.store.Organisation;
import org.entente.store.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real HTTP: an ally posts what it observed into an observation-input collection; the node
 * matches it against the home organisation's indicator and the home organisation reads the
 * aggregated sighting, while an unrelated organisation sees nothing.
 */
class ObservationInputsTest {
  private static final String TAXII = "application/taxii+json;version=2.1";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  private HttpResponse<String> send(
      Node node, String token, String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .header("Accept", TAXII)
            .header("Authorization", "Bearer " + token);
    b =
        body == null
            ? b.GET()
            : b.header("Content-Type", TAXII)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAllysObservationBecomesASightingTheProducerReads() throws Exception {
    NodeConfig config = NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0);
    try (Node node = Node.start(config, Map.of("ENTENTE_ADMIN_PASSWORD", "detect-test-pw"))) {
      String inputs = UUID.randomUUID().toString();
      node.store()
          .write(
              tx -> {
                tx.createOrganisation(
                    new Organisation("ally", "identity--" + UUID.randomUUID(), "XB", false));
                tx.createOrganisation(
                    new Organisation("other", "identity--" + UUID.randomUUID(), "XC", false));
                tx.createCollection(
                    new Collection(inputs, "api", "Ally reports", null, "inputs", "amber", null));
                tx.grant(new CollectionGrant(inputs, GranteeKind.ORG, "ally", false, true));
                tx.setObservationInput(inputs, true);
                return null;
              });
      String home = Fixtures.token(node.store(), "analyst", "home", User.Role.ANALYST);
      String ally = Fixtures.token(node.store(), "ally-analyst", "ally", User.Role.ANALYST);
      String other = Fixtures.token(node.store(), "other-analyst", "other", User.Role.ANALYST);
      // The home organisation's indicator, in its default collection, which "other" may not read:
      // the sighting (AMBER, in the indicator's collection) follows the sharing policy there.
      String indicator = "indicator--" + UUID.randomUUID();
      var posted =
          send(
              node,
              home,
              "POST",
              "/api/collections/default/objects/",
              "{\"objects\":[{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\""
                  + indicator
                  + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value"
                  + " = '198.51.100.7']\",\"pattern_type\":\"stix\","
                  + "\"valid_from\":\"2026-01-01T00:00:00Z\"}]}");
      assertThat(posted.statusCode()).isEqualTo(202);

      for (String t :
          List.of(
              "2026-03-01T10:00:00.000Z", "2026-03-01T09:00:00.000Z", "2026-03-02T08:00:00.000Z")) {
        var r =
            send(
                node,
                ally,
                "POST",
                "/api/collections/inputs/objects/",
                Fixtures.observation("198.51.100.7", t));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      }
      var miss =
          send(
              node,
              ally,
              "POST",
              "/api/collections/inputs/objects/",
              Fixtures.observation("192.0.2.99", "2026-03-01T11:00:00.000Z"));
      assertThat(miss.statusCode()).isEqualTo(202);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                List<JsonNode> sightings = sightings(node, home);
                assertThat(sightings).hasSize(1);
                JsonNode s = sightings.get(0);
                assertThat(s.path("sighting_of_ref").asText()).isEqualTo(indicator);
                assertThat(s.path("count").asInt()).isEqualTo(3);
                assertThat(s.path("first_seen").asText()).startsWith("2026-03-01T09:00:00");
                assertThat(s.path("last_seen").asText()).startsWith("2026-03-02T08:00:00");
                assertThat(s.path("observed_data_refs")).hasSize(3);
                assertThat(s.path("where_sighted_refs").get(0).asText())
                    .isEqualTo(node.store().organisation("ally").orElseThrow().identityId());
              });
      var forOther =
          send(node, other, "GET", "/api/collections/default/objects/?match[type]=sighting", null);
      assertThat(forOther.statusCode()).isEqualTo(404);
      // The ally reads its own report back (it produced it), though it cannot read the collection
      // otherwise: producers always see their entries, once they may open the collection at all.
      assertThat(
              node.store()
                  .entries(
                      org.entente.store.ObjectQuery.all(
                          node.store().collection("api", "default").orElseThrow().id(),
                          100,
                          org.entente.store.Visibility.of("ally", null)))
                  .entries())
          .extracting(org.entente.store.Entry::type)
          .contains("sighting", "observed-data", "ipv4-addr");
    }
  }

  private List<JsonNode> sightings(Node node, String token) throws Exception {
    var r =
        send(node, token, "GET", "/api/collections/default/objects/?match[type]=sighting", null);
    assertThat(r.statusCode()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    StixJson.parse(r.body()).path("objects").forEach(out::add);
    return out;
  }
}
