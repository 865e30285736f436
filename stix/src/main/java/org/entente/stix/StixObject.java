package org.entente.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One STIX object as received: its JSON tree (kept exactly, custom properties included) and the few
 * top-level facts the store and TAXII need. Construction checks only what makes it addressable (a
 * type and an id of that type); the validator checks everything else.
 */
public record StixObject(ObjectNode json, String type, String id, String specVersion) {

  /** The spec version an SCO without {@code spec_version} has by default. */
  public static final String DEFAULT_SPEC_VERSION = "2.1";

  public StixObject {
    if (json == null || type == null || id == null) {
      throw new StixParseException("a STIX object needs type and id");
    }
  }

  /**
   * Wraps a JSON node as a STIX object.
   *
   * @throws StixParseException if it is not a JSON object with string {@code type} and {@code id}
   */
  public static StixObject of(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new StixParseException("a STIX object must be a JSON object");
    }
    JsonNode type = node.get("type");
    JsonNode id = node.get("id");
    if (type == null || !type.isTextual()) {
      throw new StixParseException("object has no string 'type'");
    }
    if (id == null || !id.isTextual()) {
      throw new StixParseException("object has no string 'id'");
    }
    if (!id.asText().startsWith(type.asText() + "--")) {
      throw new StixParseException(
          "id '" + id.asText() + "' does not start with its type '" + type.asText() + "--'");
    }
    JsonNode sv = node.get("spec_version");
    String specVersion = sv != null && sv.isTextual() ? sv.asText() : DEFAULT_SPEC_VERSION;
    return new StixObject((ObjectNode) node, type.asText(), id.asText(), specVersion);
  }

  /** {@code modified}, when the object has one and it parses. */
  public Optional<StixTimestamp> modified() {
    return timestamp("modified");
  }

  /** {@code created}, when the object has one and it parses. */
  public Optional<StixTimestamp> created() {
    return timestamp("created");
  }

  /**
   * The TAXII version of this object: {@code modified}, else {@code created}; empty for objects
   * with neither (SCOs), whose version the server assigns.
   */
  public Optional<StixTimestamp> version() {
    return modified().or(this::created);
  }

  private Optional<StixTimestamp> timestamp(String property) {
    JsonNode v = json.get(property);
    if (v == null || !v.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(StixTimestamp.parse(v.asText()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Compact JSON text of the object, as it will be stored and served. */
  public String toJson() {
    return StixJson.write(json);
  }
}
