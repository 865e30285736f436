package org.entente.stix.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.entente.stix.StixJson;
import org.entente.stix.marking.TlpMarkings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Valid objects and variants must pass; SHOULD rules must warn without failing. */
class ValidVariantsTest {
  private static final StixValidator VALIDATOR = new StixValidator();

  /** Fixtures that legitimately draw a warning. */
  private static final Map<String, List<String>> EXPECTED_WARNINGS =
      Map.of("observed-data-container", List.of("deprecated-property"));

  @TestFactory
  Stream<DynamicTest> acceptsEveryFixtureWithoutFindings() {
    return Fixtures.names().stream()
        .map(
            name ->
                dynamicTest(
                    name,
                    () -> {
                      ValidationReport report = VALIDATOR.validate(Fixtures.get(name));
                      assertThat(report.errors()).isEmpty();
                      assertThat(report.warnings())
                          .extracting(Finding::rule)
                          .containsExactlyInAnyOrderElementsOf(
                              EXPECTED_WARNINGS.getOrDefault(name, List.of()));
                    }));
  }

  record Variant(String fixture, String... edits) {
    String name() {
      return fixture + " " + String.join(" ; ", edits);
    }
  }

  static final List<Variant> VALID =
      List.of(
          new Variant(
              "campaign",
              "x_acme_score=5",
              "x_acme_tags=[`a`]",
              "x_acme_source_ref=`identity--%U`",
              "x_acme_blob_bin=`aGVsbG8=`",
              "x_acme_digest_hex=`00ff`"),
          new Variant(
              "campaign",
              "created=`2024-01-02T03:04:05.678123Z`",
              "modified=`2024-01-02T03:04:05.678123Z`"),
          new Variant(
              "campaign",
              "created=`2016-12-31T23:59:60.000Z`",
              "modified=`2016-12-31T23:59:60.500Z`"),
          new Variant(
              "campaign",
              "created=`2024-02-29T00:00:00.000Z`",
              "modified=`2024-02-29T00:00:00.000Z`"),
          new Variant(
              "campaign",
              "first_seen=`2023-01-01T00:00:00Z`",
              "last_seen=`2023-01-01T00:00:00.000Z`"),
          new Variant(
              "campaign",
              "object_marking_refs=[`"
                  + TlpMarkings.TLP2_AMBER_STRICT
                  + "`,`"
                  + Fixtures.TLP_WHITE
                  + "`]"),
          new Variant(
              "campaign",
              "granular_markings=[{`selectors`:[`aliases.[0]`,`id`],"
                  + "`marking_ref`:`"
                  + TlpMarkings.TLP2_RED
                  + "`}]"),
          new Variant(
              "campaign",
              "extensions={`extension-definition--%U`:"
                  + "{`extension_type`:`property-extension`,`score`:3}}"),
          new Variant(
              "campaign",
              "extensions={`extension-definition--%U`:"
                  + "{`extension_type`:`toplevel-property-extension`}}",
              "acme_score=3"),
          new Variant("campaign", "lang=`de-CH`", "confidence=0"),
          new Variant("campaign", "revoked=true"),
          new Variant(
              "campaign",
              "external_references=[{`source_name`:`x`,`description`:`d`,"
                  + "`hashes`:{`SHA-256`:`"
                  + "b".repeat(64)
                  + "`,`SSDEEP`:`3:abc:def`}}]"),
          new Variant("indicator", "pattern_type=`sigma`", "pattern=`title: anything goes`"),
          new Variant(
              "indicator",
              "pattern=`([file:hashes.'SHA-256' = 'ab'] OR "
                  + "[file:name = 'a]b']) REPEATS 5 TIMES WITHIN 600 SECONDS`"),
          new Variant(
              "indicator",
              "pattern=`[network-traffic:extensions.'http-request-ext'"
                  + ".request_header.x[*] = 'y']`"),
          new Variant("location", "-latitude", "-longitude", "-precision", "-country"),
          new Variant("location", "-region", "-country"),
          new Variant("malware", "is_family=false", "-name"),
          new Variant("malware-analysis", "-result", "analysis_sco_refs=[`file--%U`]"),
          new Variant("observed-data", "object_refs=[`x-acme-thing--%U`]"),
          new Variant(
              "relationship", "relationship_type=`related-to`", "target_ref=`x-acme-widget--%U`"),
          new Variant(
              "relationship",
              "relationship_type=`mitigates`",
              "source_ref=`course-of-action--%U`",
              "target_ref=`vulnerability--%U`"),
          new Variant("sighting", "sighting_of_ref=`x-mitre-tactic--%U`", "count=0"),
          new Variant("file", "extensions.x-acme-ext={`rank`:1}"),
          new Variant(
              "file",
              "extensions.pdf-ext={`version`:`1.7`,`is_optimized`:false,"
                  + "`document_info_dict`:{`Title`:`x`}}"),
          new Variant(
              "file",
              "extensions.raster-image-ext={`image_height`:10,"
                  + "`exif_tags`:{`Make`:`Nikon`,`XResolution`:4928}}"),
          new Variant("ipv4-addr", "-spec_version"),
          new Variant("network-traffic", "is_active=true", "-end"),
          new Variant(
              "network-traffic",
              "extensions={`icmp-ext`:{`icmp_type_hex`:`08`,`icmp_code_hex`:`00`}}"),
          new Variant("email-message", "additional_header_fields={`Received`:[`a`]}"),
          new Variant("marking-statement", "-created_by_ref"),
          new Variant("marking-tlp1-white", "-name"),
          new Variant(
              "custom-object",
              "extensions={`extension-definition--%U`:" + "{`extension_type`:`new-sdo`}}"),
          new Variant(
              "custom-object",
              "type=`x-acme-sco`",
              "id=`x-acme-sco--%U`",
              "-created",
              "-modified",
              "extensions={`extension-definition--%U`:{`extension_type`:`new-sco`}}"),
          new Variant(
              "x509-certificate",
              "-serial_number",
              "-issuer",
              "-subject",
              "-validity_not_before",
              "-validity_not_after",
              "id=`x509-certificate--%U`"));

  @TestFactory
  Stream<DynamicTest> acceptsValidVariants() {
    return VALID.stream()
        .map(
            v ->
                dynamicTest(
                    v.name(),
                    () -> {
                      JsonNode o = Fixtures.edited(v.fixture(), v.edits());
                      assertThat(VALIDATOR.validate(o).errors()).isEmpty();
                    }));
  }

  record Warn(String fixture, String rule, String... edits) {
    String name() {
      return fixture + " " + String.join(" ; ", edits) + " -> warns " + rule;
    }
  }

  static final List<Warn> WARNINGS =
      List.of(
          new Warn("campaign", "custom-property-prefix", "foo_bar=`x`"),
          new Warn(
              "custom-object",
              "custom-object-prefix",
              "type=`acme-widget`",
              "id=`acme-widget--%U`"),
          new Warn("identity", "vocab", "identity_class=`alien`"),
          new Warn("malware", "vocab", "malware_types=[`cryptominer`]"),
          new Warn("location", "vocab", "region=`mars`"),
          new Warn("relationship", "relationship-type", "relationship_type=`owns`"),
          new Warn("relationship", "relationship-type", "relationship_type=`derived-from`"),
          new Warn(
              "campaign", "uuid-version", "id=`campaign--5e8b4c5a-1111-1a2a-8b3c-0123456789ab`"),
          new Warn("ipv4-addr", "uuid-version", "id=`ipv4-addr--%U`"),
          new Warn("ipv4-addr", "deterministic-id", "value=`198.51.100.4`"),
          new Warn("file", "hash-algorithm", "hashes.X-FOO=`abc`"),
          new Warn("file", "custom-extension-prefix", "extensions.acme-ext={`a_b`:1}"),
          new Warn(
              "attack-pattern",
              "kill-chain-phase",
              "kill_chain_phases[0].phase_name=`Initial Access`"),
          new Warn(
              "marking-statement",
              "vocab",
              "definition_type=`copyright`",
              "definition={`text`:`x`}"),
          new Warn(
              "observed-data-container",
              "objects-key",
              "objects={`a`:{`type`:`mutex`,`name`:`m`}}"),
          new Warn(
              "marking-statement",
              "tlp-definition",
              "extensions={`"
                  + Fixtures.TLP2_EXT
                  + "`:{`extension_type`:`property-extension`,"
                  + "`tlp_2_0`:`red`}}"),
          new Warn("campaign", "ref-format", "x_acme_ref=`nope`"),
          new Warn(
              "bundle",
              "duplicate-object",
              "objects[2]=" + "{`type`:`ipv4-addr`," + "`id`:`ipv4-addr--%U`,`value`:`1.2.3.4`}",
              "objects[1].id=`ipv4-addr--%U`"));

  @TestFactory
  Stream<DynamicTest> warnsAboutShouldRules() {
    return WARNINGS.stream()
        .map(
            w ->
                dynamicTest(
                    w.name(),
                    () -> {
                      ValidationReport report =
                          VALIDATOR.validate(Fixtures.edited(w.fixture(), w.edits()));
                      assertThat(report.errors()).isEmpty();
                      assertThat(report.warnings()).extracting(Finding::rule).contains(w.rule());
                    }));
  }

  @Test
  void reportsPathAndObjectIdOfEachFinding() {
    ObjectNode bundle = Fixtures.edited("bundle", "-objects[0].external_references[0].url");
    ValidationReport report = VALIDATOR.validateDocument(bundle);
    assertThat(report.errors()).hasSize(1);
    Finding f = report.errors().get(0);
    assertThat(f.rule()).isEqualTo("external-reference");
    assertThat(f.path()).isEqualTo("$.objects[0].external_references[0]");
    assertThat(f.objectId()).isEqualTo(bundle.get("objects").get(0).get("id").asText());
    assertThat(report.firstErrorMessage()).contains("[external-reference]");
  }

  @Test
  void reportsMissingPropertyAtItsPath() {
    ValidationReport report = VALIDATOR.validate(Fixtures.edited("campaign", "-name"));
    assertThat(report.errors())
        .singleElement()
        .satisfies(f -> assertThat(f.path()).isEqualTo("$.name"));
  }

  @Test
  void validatesEnvelopesArraysAndSingleObjects() {
    ArrayNode objects =
        StixJson.mapper()
            .createArrayNode()
            .add(Fixtures.get("campaign"))
            .add(Fixtures.edited("tool", "-name"));
    ObjectNode envelope = StixJson.mapper().createObjectNode();
    envelope.set("objects", objects);
    envelope.put("more", false);

    assertThat(VALIDATOR.validateDocument(envelope).errors())
        .singleElement()
        .satisfies(f -> assertThat(f.path()).isEqualTo("$.objects[1].name"));
    assertThat(VALIDATOR.validateDocument(objects).errors())
        .singleElement()
        .satisfies(f -> assertThat(f.path()).isEqualTo("$[1].name"));
    assertThat(VALIDATOR.validateDocument(Fixtures.get("campaign")).valid()).isTrue();
    assertThat(VALIDATOR.validateDocument(StixJson.parse("[]")).valid()).isTrue();
    assertThat(VALIDATOR.validateDocument(StixJson.parse("{\"objects\":[]}")).valid()).isTrue();
    assertThat(VALIDATOR.validateDocument(StixJson.parse("\"campaign\"")).valid()).isFalse();
  }

  @Test
  void sharesOneReportForValidObjects() {
    assertThat(VALIDATOR.validate(Fixtures.get("tool")))
        .isSameAs(VALIDATOR.validate(Fixtures.get("campaign")));
  }

  @Test
  void givesTheSameAnswersFromManyThreads() {
    List<JsonNode> inputs = new java.util.ArrayList<>();
    for (String name : Fixtures.names()) {
      inputs.add(Fixtures.get(name));
    }
    for (InvalidVariantsTest.Case c : InvalidVariantsTest.CASES) {
      inputs.add(Fixtures.edited(c.fixture(), c.edits()));
    }
    List<List<Finding>> sequential =
        inputs.stream().map(o -> VALIDATOR.validate(o).findings()).toList();
    for (int round = 0; round < 20; round++) {
      List<List<Finding>> parallel =
          inputs.parallelStream().map(o -> VALIDATOR.validate(o).findings()).toList();
      assertThat(parallel).isEqualTo(sequential);
    }
  }
}
