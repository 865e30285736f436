package org.entente.stix.id;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.UUID;
import org.entente.stix.StixJson;
import org.junit.jupiter.api.Test;

class DeterministicIdTest {

  private static ObjectNode sco(String json) {
    return (ObjectNode) StixJson.parse(json);
  }

  @Test
  void matchesTheSpecTestVectors() {
    assertThat(DeterministicId.compute(sco("{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"}")))
        .contains("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
    assertThat(DeterministicId.compute(sco("{\"type\":\"domain-name\",\"value\":\"example.com\"}")))
        .contains("domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
  }

  @Test
  void ignoresNonContributingProperties() {
    assertThat(
            DeterministicId.compute(
                sco(
                    "{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\","
                        + "\"spec_version\":\"2.1\",\"defanged\":true,\"resolves_to_refs\":"
                        + "[\"mac-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4\"]}")))
        .contains("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
  }

  @Test
  void usesOneHashInPreferenceOrder() {
    String md5 = "d41d8cd98f00b204e9800998ecf8427e";
    String sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    var withBoth =
        sco(
            "{\"type\":\"file\",\"hashes\":{\"SHA-256\":\""
                + sha256
                + "\",\"MD5\":\""
                + md5
                + "\"}}");
    var onlyMd5 = sco("{\"type\":\"file\",\"hashes\":{\"MD5\":\"" + md5 + "\"}}");
    var onlySha256 = sco("{\"type\":\"file\",\"hashes\":{\"SHA-256\":\"" + sha256 + "\"}}");
    assertThat(DeterministicId.compute(withBoth)).isEqualTo(DeterministicId.compute(onlyMd5));
    assertThat(DeterministicId.compute(onlySha256)).isNotEqualTo(DeterministicId.compute(onlyMd5));
    var custom = sco("{\"type\":\"file\",\"hashes\":{\"X-B\":\"1\",\"X-A\":\"2\"}}");
    var first = sco("{\"type\":\"file\",\"hashes\":{\"X-B\":\"1\"}}");
    assertThat(DeterministicId.compute(custom)).isEqualTo(DeterministicId.compute(first));
  }

  @Test
  void isEmptyWithoutContributingProperties() {
    assertThat(DeterministicId.compute(sco("{\"type\":\"process\",\"pid\":4}"))).isEmpty();
    assertThat(DeterministicId.compute(sco("{\"type\":\"user-account\",\"display_name\":\"x\"}")))
        .isEmpty();
    assertThat(DeterministicId.compute(sco("{\"type\":\"x-unknown\",\"value\":\"x\"}"))).isEmpty();
  }

  @Test
  void assignsDeterministicOrRandomIdsOnlyWhenMissing() {
    var ip = sco("{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"}");
    assertThat(DeterministicId.assignIfMissing(ip))
        .isEqualTo("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
    assertThat(ip.get("id").asText()).isEqualTo("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");

    var process = sco("{\"type\":\"process\",\"pid\":4}");
    String id = DeterministicId.assignIfMissing(process);
    assertThat(id).startsWith("process--");
    assertThat(UUID.fromString(id.substring(9)).version()).isEqualTo(4);

    var given = sco("{\"type\":\"url\",\"id\":\"url--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061\"}");
    assertThat(DeterministicId.assignIfMissing(given))
        .isEqualTo("url--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061");
  }

  @Test
  void agreesWithIdsComputedByPythonForEveryScoFixture() throws Exception {
    // The fixtures' v5 ids were computed with Python's uuid5 over json.dumps(sort_keys=True).
    JsonNode all;
    try (InputStream in =
        getClass().getResourceAsStream("/org/entente/stix/validate/valid-objects.json")) {
      all = StixJson.parse(in.readAllBytes());
    }
    int checked = 0;
    for (JsonNode o : all) {
      String id = o.path("id").asText();
      if (id.length() > 36 && id.charAt(id.length() - 22) == '5') {
        assertThat(DeterministicId.compute(o)).as(id).contains(id);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(15);
  }

  @Test
  void computesUuid5PerRfc4122() {
    // RFC 4122 DNS namespace example as computed by Python's uuid.uuid5.
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertThat(DeterministicId.uuid5(dns, "python.org"))
        .isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
  }
}
