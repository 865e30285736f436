package org.entente.stix.marking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The nine well-known TLP marking-definitions (four fixed TLP 1.0 objects of the spec, five TLP 2.0
 * extension markings of OASIS cti-stix-common-objects) and TLP lookups on objects.
 */
public final class TlpMarkings {
  public static final String TLP1_WHITE =
      "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
  public static final String TLP1_GREEN =
      "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
  public static final String TLP1_AMBER =
      "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
  public static final String TLP1_RED = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

  public static final String TLP2_CLEAR =
      "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
  public static final String TLP2_GREEN =
      "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
  public static final String TLP2_AMBER =
      "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
  public static final String TLP2_AMBER_STRICT =
      "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
  public static final String TLP2_RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

  /** The extension-definition that TLP 2.0 marking-definitions use. */
  public static final String TLP2_EXTENSION =
      "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

  private static final Map<String, Tlp> LEVELS = new LinkedHashMap<>();
  private static final Map<String, ObjectNode> DEFINITIONS = new LinkedHashMap<>();
  private static final Map<Tlp, String> TLP2_IDS = new LinkedHashMap<>();

  static {
    tlp1(TLP1_WHITE, "white", Tlp.CLEAR);
    tlp1(TLP1_GREEN, "green", Tlp.GREEN);
    tlp1(TLP1_AMBER, "amber", Tlp.AMBER);
    tlp1(TLP1_RED, "red", Tlp.RED);
    tlp2(TLP2_CLEAR, Tlp.CLEAR, "clear");
    tlp2(TLP2_GREEN, Tlp.GREEN, "green");
    tlp2(TLP2_AMBER, Tlp.AMBER, "amber");
    tlp2(TLP2_AMBER_STRICT, Tlp.AMBER_STRICT, "amber+strict");
    tlp2(TLP2_RED, Tlp.RED, "red");
  }

  private TlpMarkings() {}

  private static void tlp1(String id, String level, Tlp tlp) {
    ObjectNode o = base(id, "2017-01-20T00:00:00.000Z");
    o.put("name", "TLP:" + level.toUpperCase(java.util.Locale.ROOT));
    o.put("definition_type", "tlp");
    o.putObject("definition").put("tlp", level);
    LEVELS.put(id, tlp);
    DEFINITIONS.put(id, o);
  }

  private static void tlp2(String id, Tlp tlp, String value) {
    ObjectNode o = base(id, "2022-10-01T00:00:00.000Z");
    o.put("name", tlp.label());
    o.putObject("extensions")
        .putObject(TLP2_EXTENSION)
        .put("extension_type", "property-extension")
        .put("tlp_2_0", value);
    LEVELS.put(id, tlp);
    DEFINITIONS.put(id, o);
    TLP2_IDS.put(tlp, id);
  }

  private static ObjectNode base(String id, String created) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", "marking-definition");
    o.put("spec_version", "2.1");
    o.put("id", id);
    o.put("created", created);
    return o;
  }

  /** The nine well-known ids. */
  public static Set<String> ids() {
    return Set.copyOf(LEVELS.keySet());
  }

  /** The TLP level of a well-known marking-definition id. */
  public static Optional<Tlp> ofMarkingId(String id) {
    return Optional.ofNullable(id == null ? null : LEVELS.get(id));
  }

  /** The TLP 2.0 marking-definition id to apply for a level. */
  public static String markingId(Tlp tlp) {
    return TLP2_IDS.get(tlp);
  }

  /**
   * The most restrictive TLP among an object's {@code object_marking_refs} and its granular
   * markings' {@code marking_ref}s; empty when it carries no well-known TLP marking.
   */
  public static Optional<Tlp> highest(JsonNode object) {
    Tlp best = null;
    JsonNode refs = object == null ? null : object.get("object_marking_refs");
    if (refs != null && refs.isArray()) {
      for (JsonNode r : refs) {
        best = max(best, r);
      }
    }
    JsonNode granular = object == null ? null : object.get("granular_markings");
    if (granular != null && granular.isArray()) {
      for (JsonNode g : granular) {
        best = max(best, g.get("marking_ref"));
      }
    }
    return Optional.ofNullable(best);
  }

  private static Tlp max(Tlp best, JsonNode ref) {
    if (ref == null || !ref.isTextual()) {
      return best;
    }
    Tlp t = LEVELS.get(ref.textValue());
    return t != null && (best == null || t.isMoreRestrictiveThan(best)) ? t : best;
  }

  /**
   * The canonical marking-definition object for a well-known id (a fresh copy).
   *
   * @throws IllegalArgumentException if the id is not one of the nine
   */
  public static JsonNode definition(String id) {
    ObjectNode o = DEFINITIONS.get(id);
    if (o == null) {
      throw new IllegalArgumentException("not a well-known TLP marking-definition: " + id);
    }
    return o.deepCopy();
  }
}
