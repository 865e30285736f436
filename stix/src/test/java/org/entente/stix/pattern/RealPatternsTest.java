package org.entente.stix.pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.entente.stix.StixJson;
import org.junit.jupiter.api.Test;

/**
 * Every {@code pattern_type: stix} indicator in the shared real data parses and round-trips.
 * Skipped when the shared data folder is absent (a fresh clone has none).
 */
class RealPatternsTest {

  private static Path data(String relative) {
    String root = System.getProperty("entente.sharedData");
    assumeTrue(root != null, "entente.sharedData is not set");
    Path p = Path.of(root).resolve(relative);
    assumeTrue(Files.exists(p), p + " is absent");
    return p;
  }

  private static JsonNode read(Path p) throws IOException {
    try (InputStream in =
        p.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(p), 1 << 16)
            : Files.newInputStream(p)) {
      return StixJson.parse(in.readAllBytes());
    }
  }

  private static void collect(JsonNode n, List<String> out) {
    if (n.isObject()) {
      if ("indicator".equals(n.path("type").asText())
          && "stix".equals(n.path("pattern_type").asText())
          && n.path("pattern").isTextual()) {
        out.add(n.get("pattern").textValue());
      }
      n.forEach(c -> collect(c, out));
    } else if (n.isArray()) {
      n.forEach(c -> collect(c, out));
    }
  }

  private static void assertAllParse(List<String> patterns) {
    for (String p : patterns) {
      StixPattern parsed = StixPattern.parse(p);
      assertThat(StixPattern.parse(parsed.render())).as(p).isEqualTo(parsed);
    }
  }

  @Test
  void mitreAttackIndicatorsParse() throws IOException {
    List<String> patterns = new ArrayList<>();
    collect(read(data("mitre-attack/enterprise-attack-18.1.json.gz")), patterns);
    collect(read(data("mitre-attack/ics-attack-18.1.json")), patterns);
    // ATT&CK v18.1 carries no indicators; the test keeps watch in case a release adds some.
    assertAllParse(patterns);
  }

  @Test
  void oasisExampleIndicatorsParse() throws IOException {
    List<String> patterns = new ArrayList<>();
    for (String dir :
        List.of(
            "stix21-examples/cti-documentation-examples",
            "stix21-examples/cti-stix2-json-schemas-examples")) {
      Path root = data(dir);
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(x -> x.toString().endsWith(".json")).toList()) {
          collect(read(f), patterns);
        }
      }
    }
    assertThat(patterns).isNotEmpty();
    assertAllParse(patterns);
  }
}
