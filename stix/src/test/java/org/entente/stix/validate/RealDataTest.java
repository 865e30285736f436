package org.entente.stix.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.entente.stix.StixJson;
import org.entente.stix.StixParseException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Real, published STIX content must pass; the known-invalid samples must not. */
class RealDataTest {
  private static final StixValidator VALIDATOR = new StixValidator();

  static Path data(String relative) {
    String root = System.getProperty("entente.sharedData");
    assumeTrue(root != null, "entente.sharedData is not set");
    Path p = Path.of(root).resolve(relative);
    assumeTrue(Files.exists(p), p + " is absent");
    return p;
  }

  static JsonNode read(Path p) throws IOException {
    try (InputStream in =
        p.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(p), 1 << 16)
            : Files.newInputStream(p)) {
      return StixJson.parse(in.readAllBytes());
    }
  }

  static JsonNode enterprise() throws IOException {
    return read(data("mitre-attack/enterprise-attack-18.1.json.gz"));
  }

  private static void assertNoErrors(JsonNode doc) {
    ValidationReport report = VALIDATOR.validateDocument(doc);
    assertThat(report.errors()).as("errors").isEmpty();
  }

  @Test
  void acceptsEveryObjectOfEnterpriseAttack() throws IOException {
    JsonNode bundle = enterprise();
    assertThat(bundle.get("objects").size()).isEqualTo(24_772);
    ValidationReport report = VALIDATOR.validateDocument(bundle);
    assertThat(report.errors()).isEmpty();
    System.out.println("ATT&CK enterprise warnings by rule: " + countByRule(report.warnings()));
  }

  @Test
  void acceptsIcsAttack() throws IOException {
    JsonNode bundle = read(data("mitre-attack/ics-attack-18.1.json"));
    ValidationReport report = VALIDATOR.validateDocument(bundle);
    assertThat(report.errors()).isEmpty();
    System.out.println("ATT&CK ICS warnings by rule: " + countByRule(report.warnings()));
  }

  @Test
  void acceptsDisarm() throws IOException {
    JsonNode bundle = read(data("disarm/DISARM.json"));
    ValidationReport report = VALIDATOR.validateDocument(bundle);
    assertThat(report.errors()).isEmpty();
    System.out.println("DISARM warnings by rule: " + countByRule(report.warnings()));
  }

  @TestFactory
  Stream<DynamicTest> acceptsOasisExamples() throws IOException {
    Path docs = data("stix21-examples");
    List<Path> files;
    try (Stream<Path> s =
        Stream.concat(
            Files.list(docs.resolve("cti-documentation-examples")),
            Files.list(docs.resolve("cti-stix2-json-schemas-examples")))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(19);
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getParent().getFileName() + "/" + f.getFileName(),
                    () -> assertNoErrors(read(f))));
  }

  @TestFactory
  Stream<DynamicTest> acceptsValidValidatorExamples() {
    Path dir = data("stix21-examples/validator-test-examples");
    return Stream.of(
            "identity",
            "identity_custom",
            "identity_unicode",
            "identity_warning",
            "tlp-amber",
            "tool")
        .map(
            n ->
                DynamicTest.dynamicTest(
                    n,
                    () -> assertNoErrors(read(dir.resolve("v21_test_examples_" + n + ".json")))));
  }

  @Test
  void rejectsInvalidValidatorExamples() throws IOException {
    Path dir = data("stix21-examples/validator-test-examples");
    for (String notJson : List.of("invalid_braces", "invalid_comma")) {
      assertThatThrownBy(() -> read(dir.resolve("v21_test_examples_" + notJson + ".json")))
          .as(notJson)
          .isInstanceOf(StixParseException.class);
    }
    assertThat(rules(read(dir.resolve("v21_test_examples_invalid_identity.json"))))
        .contains("required-property");
    assertThat(rules(read(dir.resolve("v21_test_examples_invalid_timestamp.json"))))
        .contains("modified-before-created");
  }

  @Test
  void warnsAboutCustomPropertiesWithoutPrefix() throws IOException {
    Path dir = data("stix21-examples/validator-test-examples");
    ValidationReport report =
        VALIDATOR.validateDocument(read(dir.resolve("v21_test_examples_tool.json")));
    assertThat(report.valid()).isTrue();
    assertThat(report.warnings()).extracting(Finding::rule).containsOnly("custom-property-prefix");
  }

  @Test
  void roundTripKeepsEveryPropertyOfEnterpriseAttack() throws IOException {
    JsonNode bundle = enterprise();
    JsonNode again = StixJson.parse(StixJson.write(bundle));
    assertThat(again).isEqualTo(bundle);
    for (JsonNode o : bundle.get("objects")) {
      JsonNode copy = StixJson.parse(StixJson.write(o));
      if (!copy.equals(o)) {
        throw new AssertionError("round trip changed " + o.get("id"));
      }
    }
  }

  @Test
  void roundTripKeepsIcsAttackAsParsed() throws IOException {
    JsonNode bundle = read(data("mitre-attack/ics-attack-18.1.json"));
    assertThat(StixJson.parse(StixJson.writeBytes(bundle))).isEqualTo(bundle);
  }

  @Test
  void measuresSingleThreadThroughputOnEnterpriseAttack() throws IOException {
    JsonNode bundle = enterprise();
    JsonNode objects = bundle.get("objects");
    long errors = 0;
    // Enough rounds for the JIT to settle; the real benchmark lives in the bench module.
    for (int warm = 0; warm < 10; warm++) {
      for (JsonNode o : objects) {
        errors += VALIDATOR.validate(o).valid() ? 0 : 1;
      }
    }
    int rounds = 5;
    long start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      for (JsonNode o : objects) {
        errors += VALIDATOR.validate(o).valid() ? 0 : 1;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "validate: %.0f objects/s single thread (ATT&CK enterprise)%n",
        rounds * objects.size() / seconds);
    assertThat(errors).isZero();
  }

  private static List<String> rules(JsonNode doc) {
    return VALIDATOR.validateDocument(doc).errors().stream().map(Finding::rule).toList();
  }

  static Map<String, Long> countByRule(List<Finding> findings) {
    return findings.stream()
        .collect(Collectors.groupingBy(Finding::rule, TreeMap::new, Collectors.counting()));
  }
}
