package org.entente.stix.marking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.entente.stix.StixJson;
import org.junit.jupiter.api.Test;

class EffectiveTlpTest {
  private static JsonNode object(String markings) {
    return StixJson.parse(
        "{\"type\":\"indicator\",\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\""
            + markings
            + "}");
  }

  @Test
  void unmarkedObjectsTakeTheCollectionDefault() {
    assertThat(EffectiveTlp.of(object(""), Map.of(), Tlp.AMBER)).isEqualTo(Tlp.AMBER);
  }

  @Test
  void tlp1AndTlp2IdsAreRecognisedAndTheMostRestrictiveWins() {
    assertThat(
            EffectiveTlp.of(
                object(",\"object_marking_refs\":[\"" + TlpMarkings.TLP1_WHITE + "\"]"),
                Map.of(),
                Tlp.RED))
        .isEqualTo(Tlp.CLEAR);
    assertThat(
            EffectiveTlp.of(
                object(
                    ",\"object_marking_refs\":[\""
                        + TlpMarkings.TLP2_GREEN
                        + "\",\""
                        + TlpMarkings.TLP2_AMBER_STRICT
                        + "\"]"),
                Map.of(),
                Tlp.CLEAR))
        .isEqualTo(Tlp.AMBER_STRICT);
  }

  @Test
  void aGranularMarkingAboveTheObjectLevelRaisesTheWholeObject() {
    JsonNode o =
        object(
            ",\"object_marking_refs\":[\""
                + TlpMarkings.TLP2_GREEN
                + "\"],\"granular_markings\":[{"
                + "\"marking_ref\":\""
                + TlpMarkings.TLP1_RED
                + "\",\"selectors\":[\"description\"]}]");
    assertThat(EffectiveTlp.of(o, Map.of(), Tlp.CLEAR)).isEqualTo(Tlp.RED);
  }

  @Test
  void tlpMarkingDefinitionsCarriedInTheEnvelopeAreResolved() {
    JsonNode customTlp2 =
        StixJson.parse(
            "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                + "\"id\":\"marking-definition--11111111-2222-4333-8444-555555555555\","
                + "\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:AMBER\",\"extensions\":{\""
                + TlpMarkings.TLP2_EXTENSION
                + "\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"amber\"}}}");
    JsonNode statement =
        StixJson.parse(
            "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                + "\"id\":\"marking-definition--22222222-2222-4333-8444-555555555555\","
                + "\"created\":\"2022-10-01T00:00:00.000Z\",\"definition_type\":\"statement\","
                + "\"definition\":{\"statement\":\"Copyright CERT-A\"}}");
    Map<String, Tlp> markings = EffectiveTlp.markingsIn(List.of(customTlp2, statement));
    assertThat(markings)
        .containsOnlyKeys("marking-definition--11111111-2222-4333-8444-555555555555");
    JsonNode o =
        object(
            ",\"object_marking_refs\":[\"marking-definition--11111111-2222-4333-8444-555555555555\","
                + "\"marking-definition--22222222-2222-4333-8444-555555555555\"]");
    assertThat(EffectiveTlp.of(o, markings, Tlp.CLEAR)).isEqualTo(Tlp.AMBER);
    // a statement marking alone does not decide sharing: the default applies
    JsonNode onlyStatement =
        object(
            ",\"object_marking_refs\":[\"marking-definition--22222222-2222-4333-8444-555555555555\"]");
    assertThat(EffectiveTlp.of(onlyStatement, markings, Tlp.GREEN)).isEqualTo(Tlp.GREEN);
  }
}
