package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.entente.node.auth.PasswordHasher;
import org.entente.stix.StixJson;
import org.entente.taxii.client.Credentials;
import org.entente.taxii.client.Query;
import org.entente.taxii.client.Status;
import org.entente.taxii.client.TaxiiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole MITRE ATT&CK enterprise bundle (24,772 objects, custom x-mitre types included) goes in
 * through TAXII with our client and comes back out identical. Skips where the shared data is
 * absent.
 */
class AttackRoundTripTest {
  @TempDir Path dir;

  @Test
  void attackEnterpriseIsIngestedAndServedLosslessly() throws Exception {
    Path bundle =
        Path.of(System.getProperty("entente.sharedData", "../../shared/data"))
            .resolve("mitre-attack/enterprise-attack-18.1.json.gz");
    assumeTrue(Files.isReadable(bundle), "shared data not present: " + bundle);
    JsonNode doc;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(bundle))) {
      doc = StixJson.parse(in.readAllBytes());
    }
    List<JsonNode> objects = new ArrayList<>();
    doc.get("objects").forEach(objects::add);
    assertThat(objects).hasSize(24_772);

    NodeConfig config = NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0);
    try (Node node =
        Node.start(config, Map.of("ENTENTE_ADMIN_PASSWORD", "pw"), new PasswordHasher(1024, 1))) {
      TaxiiClient client = new TaxiiClient(URI.create(node.baseUrl()), Credentials.basic("admin", "pw"));
      int failures = 0;
      for (int from = 0; from < objects.size(); from += 2_000) {
        Status s =
            client.addObjects(
                "api", "default", objects.subList(from, Math.min(objects.size(), from + 2_000)));
        if (!s.complete()) {
          s = client.waitForStatus("api", s.id(), Duration.ofSeconds(60));
        }
        failures += s.failureCount();
      }
      assertThat(failures).isZero();

      Map<String, JsonNode> served = new HashMap<>();
      client
          .getAllObjects("api", "default", Query.none().withLimit(5_000))
          .forEach(o -> served.put(o.get("id").asText(), o));
      for (JsonNode original : objects) {
        assertThat(served.get(original.get("id").asText()))
            .as(original.get("id").asText())
            .isEqualTo(original);
      }
      // ATT&CK plus the home organisation's identity, nothing else
      assertThat(served).hasSize(objects.size() + 1);
    }
  }
}
