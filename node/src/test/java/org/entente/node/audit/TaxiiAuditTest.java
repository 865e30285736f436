package org.entente.node.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.stix.StixJson;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TAXII writes, deletes and reads of AMBER and above land in the append-only audit log. */
class TaxiiAuditTest {
  private static final String TAXII = "application/taxii+json;version=2.1";
  private static final String GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
  private static final String AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(Node node, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .header("Accept", TAXII)
            .header(
                "Authorization",
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString("admin:audit-test-pw".getBytes()));
    if (body != null) {
      b.header("Content-Type", TAXII).method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String indicator(String id, String marking) {
    return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\""
        + id
        + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\","
        + "\"pattern\":\"[ipv4-addr:value = '198.51.100.1']\",\"pattern_type\":\"stix\","
        + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\""
        + marking
        + "\"]}";
  }

  @Test
  void writesDeletesAndAmberReadsAreAuditedWithWhoAndWhere() throws Exception {
    NodeConfig config = NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0);
    try (Node node = Node.start(config, Map.of("ENTENTE_ADMIN_PASSWORD", "audit-test-pw"))) {
      String amber = "indicator--" + UUID.randomUUID();
      String green = "indicator--" + UUID.randomUUID();
      String objects = "/api/collections/default/objects/";
      var posted =
          send(
              node,
              "POST",
              objects,
              "{\"objects\":[" + indicator(amber, AMBER) + "," + indicator(green, GREEN) + "]}");
      assertThat(posted.statusCode()).isEqualTo(202);
      String statusId = StixJson.parse(posted.body()).path("id").asText();
      // The write's record is committed with the objects: there before any flush.
      assertThat(node.store().audit(new AuditQuery(0, null, "admin", "objects.add", 10)))
          .singleElement()
          .satisfies(e -> assertThat(e.detail()).contains(statusId));

      assertThat(send(node, "GET", objects + green + "/", null).statusCode()).isEqualTo(200);
      node.flushAudit();
      List<AuditEvent> afterGreen = node.store().audit(new AuditQuery(0, null, "admin", null, 100));
      assertThat(afterGreen).extracting(AuditEvent::action).containsExactly("objects.add");
      AuditEvent add = afterGreen.get(0);
      assertThat(add.actorOrg()).isEqualTo("home");
      assertThat(add.address()).isIn("127.0.0.1", "[0:0:0:0:0:0:0:1]", "0:0:0:0:0:0:0:1");
      assertThat(add.detail()).contains(statusId).contains("\"success\":2");

      assertThat(send(node, "GET", objects + amber + "/", null).statusCode()).isEqualTo(200);
      assertThat(send(node, "GET", objects, null).statusCode()).isEqualTo(200);
      assertThat(send(node, "DELETE", objects + amber + "/", null).statusCode()).isEqualTo(200);
      node.flushAudit();
      List<AuditEvent> events =
          node.store().audit(new AuditQuery(add.seq(), null, null, null, 100));
      assertThat(events)
          .extracting(AuditEvent::action)
          .containsExactly("objects.read", "objects.read", "objects.delete");
      // Reads are stored as the seqs they served; the log's readers name the versions again,
      // also after the DELETE removed the entry.
      assertThat(events.get(0).detail()).matches("\\{\"entries\":\\{\"TLP:AMBER\":\"\\d+\"}}");
      // the listing also served the home organisation's identity, AMBER by the default TLP
      assertThat(events.get(1).detail()).matches("\\{\"entries\":\\{\"TLP:AMBER\":\"\\d+-\\d+\"}}");
      assertThat(events.get(2).detail()).contains(amber);
      for (AuditEvent e : events) {
        assertThat(StixJson.parse(e.detail()).isObject()).as(e.detail()).isTrue();
      }
      assertThat(events).allSatisfy(e -> assertThat(e.actorUser()).isEqualTo("admin"));
      JsonNode listed =
          StixJson.parse(send(node, "GET", "/admin/audit/?after=" + add.seq(), null).body())
              .path("events");
      assertThat(listed).hasSize(3);
      String amberVersion = amber + "@2026-01-01T00:00:00.000Z";
      assertThat(listed.get(0).path("detail").path("objects").toString())
          .isEqualTo("{\"TLP:AMBER\":[\"" + amberVersion + "\"]}");
      assertThat(listed.get(1).path("detail").path("objects").path("TLP:AMBER"))
          .hasSize(2)
          .extracting(JsonNode::asText)
          .contains(amberVersion)
          .anyMatch(name -> name.startsWith("identity--"));
      for (int i = 0; i < 2; i++) {
        assertThat(listed.get(i).path("action").asText()).isEqualTo("objects.read");
        assertThat(listed.get(i).path("detail").toString()).doesNotContain(green);
      }
    }
    // Append-only at the database: neither UPDATE nor DELETE gets through, whoever asks.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("entente.db"));
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_event SET actor_user = 'mallory'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_event"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
    }
  }

  @Test
  void aReadOfAThousandAmberObjectsIsRecordedInAFewBytesAndListedInFull() throws Exception {
    NodeConfig config = NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0);
    try (Node node = Node.start(config, Map.of("ENTENTE_ADMIN_PASSWORD", "audit-test-pw"))) {
      List<String> ids = new java.util.ArrayList<>();
      StringBuilder envelope = new StringBuilder("{\"objects\":[");
      for (int i = 0; i < 1000; i++) {
        String id = "indicator--" + UUID.randomUUID();
        ids.add(id + "@2026-01-01T00:00:00.000Z");
        envelope.append(i == 0 ? "" : ",").append(indicator(id, AMBER));
      }
      String objects = "/api/collections/default/objects/";
      assertThat(send(node, "POST", objects, envelope.append("]}").toString()).statusCode())
          .isEqualTo(202);
      assertThat(
              send(node, "GET", objects + "?match[type]=indicator&limit=1000", null).statusCode())
          .isEqualTo(200);
      node.flushAudit();

      AuditEvent read =
          node.store().audit(new AuditQuery(0, null, null, "objects.read", 10)).get(0);
      assertThat(read.detail().length()).as(read.detail()).isLessThan(64);
      JsonNode listed =
          StixJson.parse(send(node, "GET", "/admin/audit/?action=objects.read", null).body())
              .path("events");
      List<String> named = new java.util.ArrayList<>();
      listed
          .get(0)
          .path("detail")
          .path("objects")
          .path("TLP:AMBER")
          .forEach(n -> named.add(n.asText()));
      assertThat(named).containsExactlyInAnyOrderElementsOf(ids);
    }
  }
}
