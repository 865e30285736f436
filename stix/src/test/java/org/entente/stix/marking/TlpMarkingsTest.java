package org.entente.stix.marking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.entente.stix.StixJson;
import org.entente.stix.validate.StixValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlpMarkingsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9, CLEAR",
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da, GREEN",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82, AMBER",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed, RED",
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487, CLEAR",
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb, GREEN",
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421, AMBER",
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003, AMBER_STRICT",
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1, RED",
  })
  void mapsTheNineWellKnownIds(String id, Tlp tlp) {
    assertThat(TlpMarkings.ofMarkingId(id)).contains(tlp);
    JsonNode def = TlpMarkings.definition(id);
    assertThat(def.get("id").asText()).isEqualTo(id);
    assertThat(new StixValidator().validate(def).findings()).isEmpty();
  }

  @Test
  void knowsNothingElse() {
    assertThat(TlpMarkings.ids()).hasSize(9);
    assertThat(TlpMarkings.ofMarkingId("marking-definition--00000000-0000-4000-8000-000000000000"))
        .isEmpty();
    assertThat(TlpMarkings.ofMarkingId(null)).isEmpty();
    assertThatThrownBy(() -> TlpMarkings.definition("identity--x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void definitionsAreTheCanonicalObjects() {
    assertThat(StixJson.write(TlpMarkings.definition(TlpMarkings.TLP1_WHITE)))
        .isEqualTo(
            "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                + "\"id\":\"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9\","
                + "\"created\":\"2017-01-20T00:00:00.000Z\",\"name\":\"TLP:WHITE\","
                + "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"white\"}}");
    assertThat(StixJson.write(TlpMarkings.definition(TlpMarkings.TLP2_AMBER_STRICT)))
        .isEqualTo(
            "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                + "\"id\":\"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003\","
                + "\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:AMBER+STRICT\","
                + "\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":"
                + "{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"amber+strict\"}}}");
  }

  @Test
  void definitionsAreFreshCopies() {
    ((com.fasterxml.jackson.databind.node.ObjectNode) TlpMarkings.definition(TlpMarkings.TLP2_RED))
        .put("name", "changed");
    assertThat(TlpMarkings.definition(TlpMarkings.TLP2_RED).get("name").asText())
        .isEqualTo("TLP:RED");
  }

  @Test
  void highestTakesTheMostRestrictiveOfObjectAndGranularMarkings() {
    JsonNode o =
        StixJson.parse(
            "{\"type\":\"indicator\","
                + "\"object_marking_refs\":[\""
                + TlpMarkings.TLP2_GREEN
                + "\",\""
                + "marking-definition--00000000-0000-4000-8000-000000000000\"],"
                + "\"granular_markings\":[{\"selectors\":[\"name\"],\"marking_ref\":\""
                + TlpMarkings.TLP1_AMBER
                + "\"},{\"selectors\":[\"pattern\"],\"lang\":\"en\"}]}");
    assertThat(TlpMarkings.highest(o)).contains(Tlp.AMBER);

    JsonNode strict =
        StixJson.parse(
            "{\"object_marking_refs\":[\""
                + TlpMarkings.TLP2_AMBER_STRICT
                + "\",\""
                + TlpMarkings.TLP1_AMBER
                + "\"]}");
    assertThat(TlpMarkings.highest(strict)).contains(Tlp.AMBER_STRICT);
    assertThat(TlpMarkings.highest(StixJson.parse("{\"type\":\"tool\"}"))).isEmpty();
  }

  @Test
  void givesTheTlp2IdForEachLevel() {
    for (Tlp t : Tlp.values()) {
      assertThat(TlpMarkings.ofMarkingId(TlpMarkings.markingId(t))).contains(t);
      assertThat(TlpMarkings.definition(TlpMarkings.markingId(t)).has("extensions")).isTrue();
    }
  }
}
