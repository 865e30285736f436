package org.entente.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.entente.stix.pattern.StixPattern;

/** Small builders shared by the detect tests. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private Fixtures() {}

  static IndexedIndicator indicator(String id, String pattern) {
    return new IndexedIndicator(id, StixPattern.parse(pattern), T0, null, false);
  }

  /** SCO JSON texts (each with an "id"), observed at {@code at} for one second. */
  static Observation observation(String id, Instant at, String... scos) {
    Map<String, JsonNode> objects = new LinkedHashMap<>();
    for (String s : scos) {
      try {
        JsonNode n = JSON.readTree(s);
        objects.put(n.get("id").asText(), n);
      } catch (Exception e) {
        throw new IllegalArgumentException(s, e);
      }
    }
    return new Observation(id, at, at.plusSeconds(1), 1, objects);
  }
}
