package org.entente.node.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.entente.stix.StixTimestamp;
import org.entente.stix.id.DeterministicId;
import org.entente.stix.marking.TlpMarkings;

/**
 * Turns one simple event ({@code timestamp} plus any of {@code ip}, {@code domain}, {@code url},
 * {@code hashes}, {@code email}) into an observed-data object and the SCOs it references.
 *
 * @param observedData the observed-data, with {@code object_refs} naming every SCO
 * @param scos the SCOs, each with its deterministic id
 */
public record SimpleEvent(ObjectNode observedData, List<ObjectNode> scos) {
  private static final Set<String> FIELDS =
      Set.of("timestamp", "ip", "domain", "url", "hashes", "email");

  public SimpleEvent {
    scos = List.copyOf(scos);
  }

  /**
   * Converts one event line.
   *
   * @param createdByRef the reporting organisation's identity id
   * @param now when the observed-data is created
   * @throws IllegalArgumentException with a reason fit for the user when the event is not valid
   */
  public static SimpleEvent of(JsonNode event, String createdByRef, Instant now) {
    if (event == null || !event.isObject()) {
      throw new IllegalArgumentException("an event must be a JSON object");
    }
    for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        // A misspelt field would otherwise be silently unobserved.
        throw new IllegalArgumentException("unknown field '" + f + "'");
      }
    }
    Instant at = timestamp(event.get("timestamp"));
    List<ObjectNode> scos = new ArrayList<>();
    String ip = text(event, "ip");
    if (ip != null) {
      scos.add(sco(ip.contains(":") ? "ipv6-addr" : "ipv4-addr", "value", ip));
    }
    String domain = text(event, "domain");
    if (domain != null) {
      scos.add(sco("domain-name", "value", domain));
    }
    String url = text(event, "url");
    if (url != null) {
      scos.add(sco("url", "value", url));
    }
    String email = text(event, "email");
    if (email != null) {
      scos.add(sco("email-addr", "value", email));
    }
    JsonNode hashes = event.get("hashes");
    if (hashes != null) {
      if (!hashes.isObject() || hashes.isEmpty()) {
        throw new IllegalArgumentException("'hashes' must be a non-empty object");
      }
      ObjectNode file = JsonNodeFactory.instance.objectNode();
      file.put("type", "file");
      file.put("spec_version", "2.1");
      ObjectNode h = file.putObject("hashes");
      for (Iterator<Map.Entry<String, JsonNode>> it = hashes.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
          throw new IllegalArgumentException("hash '" + e.getKey() + "' must be a string");
        }
        h.put(e.getKey(), e.getValue().asText());
      }
      DeterministicId.assignIfMissing(file);
      scos.add(file);
    }
    if (scos.isEmpty()) {
      throw new IllegalArgumentException("no observable (ip, domain, url, hashes or email)");
    }
    String created = StixTimestamp.of(now, 3).text();
    String seen = StixTimestamp.of(at, 3).text();
    ObjectNode od = JsonNodeFactory.instance.objectNode();
    od.put("type", "observed-data");
    od.put("spec_version", "2.1");
    od.put("id", "observed-data--" + UUID.randomUUID());
    od.put("created", created);
    od.put("modified", created);
    od.put("created_by_ref", createdByRef);
    od.put("first_observed", seen);
    od.put("last_observed", seen);
    od.put("number_observed", 1);
    ArrayNode refs = od.putArray("object_refs");
    scos.forEach(s -> refs.add(s.get("id").asText()));
    od.putArray("object_marking_refs").add(TlpMarkings.TLP2_AMBER);
    return new SimpleEvent(od, scos);
  }

  private static Instant timestamp(JsonNode t) {
    if (t == null || !t.isTextual()) {
      throw new IllegalArgumentException("'timestamp' (RFC 3339) is required");
    }
    try {
      return OffsetDateTime.parse(t.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'timestamp' is not RFC 3339: " + t.asText());
    }
  }

  private static String text(JsonNode event, String field) {
    JsonNode v = event.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
    }
    return v.asText().trim();
  }

  private static ObjectNode sco(String type, String property, String value) {
    ObjectNode sco = JsonNodeFactory.instance.objectNode();
    sco.put("type", type);
    sco.put("spec_version", "2.1");
    sco.put(property, value);
    DeterministicId.assignIfMissing(sco);
    return sco;
  }
}
