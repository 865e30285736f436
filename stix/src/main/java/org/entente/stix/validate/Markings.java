package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.entente.stix.marking.TlpMarkings;

/**
 * Marking rules: the marking-definition object itself (statement, the fixed TLP 1.0 objects, the
 * TLP 2.0 extension markings) and markings applied to any object (no self-reference, selectors that
 * resolve).
 */
final class Markings {
  private Markings() {}

  static final Kind EXTENSION_TYPE =
      Kinds.enumOf(
          "extension-type-enum",
          "new-sdo",
          "new-sco",
          "new-sro",
          "property-extension",
          "toplevel-property-extension");

  /** Rule for marking-definition objects. */
  static void checkDefinition(JsonNode o, Ctx c) {
    JsonNode definitionType = o.get("definition_type");
    JsonNode definition = o.get("definition");
    JsonNode extensions = o.get("extensions");
    if (extensions == null || definitionType != null || definition != null) {
      // Deprecated pair: both are required without extensions, and they only come together.
      if (definitionType == null) {
        c.errorAt(
            "definition_type",
            "required-property",
            "definition_type is required with definition or when extensions is absent");
      }
      if (definition == null) {
        c.errorAt(
            "definition",
            "required-property",
            "definition is required with definition_type or when extensions is absent");
      }
    }
    String id = text(o.get("id"));
    boolean wellKnown = id != null && TlpMarkings.ofMarkingId(id).isPresent();
    JsonNode expected = wellKnown ? TlpMarkings.definition(id) : null;
    boolean tlp1 = expected != null && expected.has("definition_type");

    if (definitionType != null && definitionType.isTextual()) {
      switch (definitionType.textValue()) {
        case "statement" -> {
          if (definition != null && definition.isObject()) {
            JsonNode statement = definition.get("statement");
            if (statement == null || !statement.isTextual()) {
              c.push("definition");
              c.errorAt(
                  "statement",
                  "required-property",
                  "a statement marking needs a string 'statement'");
              c.pop();
            }
          }
        }
        case "tlp" -> {
          if (!tlp1) {
            c.errorAt(
                "definition_type",
                "tlp-definition",
                "only the four fixed TLP 1.0"
                    + " marking-definitions may have definition_type tlp; '"
                    + id
                    + "' is not one");
          } else {
            expectSame(o, expected, "created", c);
            expectSame(o, expected, "definition", c);
            if (o.has("name")) {
              expectSame(o, expected, "name", c);
            }
          }
        }
        default ->
            c.warnAt(
                "definition_type",
                "vocab",
                "definition_type should be statement or tlp; new kinds should be extensions");
      }
    } else if (definitionType != null) {
      c.push("definition_type");
      Kinds.wrongType(definitionType, c, "a string");
      c.pop();
    }
    if (tlp1 && !"tlp".equals(text(definitionType))) {
      c.errorAt(
          "definition_type",
          "tlp-definition",
          id + " is the fixed TLP 1.0 marking and must have definition_type tlp");
    }
    if (wellKnown && !tlp1) {
      checkTlp2(o, id, expected, c);
    } else if (extensions != null && extensions.has(TlpMarkings.TLP2_EXTENSION)) {
      c.warnAt(
          "extensions",
          "tlp-definition",
          "TLP 2.0 markings should use the five well-known marking-definition ids");
    }
  }

  private static void checkTlp2(JsonNode o, String id, JsonNode expected, Ctx c) {
    if (!o.has("name")) {
      c.errorAt("name", "tlp-definition", "the TLP 2.0 marking " + id + " needs its name");
    } else {
      expectSame(o, expected, "name", c);
    }
    expectSame(o, expected, "created", c);
    JsonNode extensions = o.get("extensions");
    JsonNode entry = extensions == null ? null : extensions.get(TlpMarkings.TLP2_EXTENSION);
    JsonNode expectedEntry = expected.get("extensions").get(TlpMarkings.TLP2_EXTENSION);
    if (!expectedEntry.equals(entry)) {
      c.push("extensions");
      c.errorAt(
          TlpMarkings.TLP2_EXTENSION,
          "tlp-definition",
          id + " must carry exactly " + expectedEntry);
      c.pop();
    }
    if (o.has("definition_type") || o.has("definition")) {
      c.errorAt(
          "definition_type",
          "tlp-definition",
          "TLP 2.0 markings carry no definition_type or definition");
    }
  }

  private static void expectSame(JsonNode o, JsonNode expected, String property, Ctx c) {
    if (!Objects.equals(o.get(property), expected.get(property))) {
      c.errorAt(
          property,
          "tlp-definition",
          "the well-known marking "
              + text(o.get("id"))
              + " must have "
              + property
              + " "
              + expected.get(property));
    }
  }

  /** Markings applied to any object: no self-reference and selectors that resolve. */
  static void checkApplied(JsonNode o, Ctx c) {
    JsonNode id = o.get("id");
    JsonNode omr = o.get("object_marking_refs");
    if (id != null && omr != null && omr.isArray()) {
      for (int i = 0; i < omr.size(); i++) {
        if (omr.get(i).equals(id)) {
          c.push("object_marking_refs");
          c.push(i);
          c.error("marking-circular", "an object must not mark itself");
          c.pop();
          c.pop();
        }
      }
    }
    JsonNode gm = o.get("granular_markings");
    if (gm == null || !gm.isArray()) {
      return;
    }
    for (int i = 0; i < gm.size(); i++) {
      JsonNode m = gm.get(i);
      if (!m.isObject()) {
        continue;
      }
      c.push("granular_markings");
      c.push(i);
      JsonNode ref = m.get("marking_ref");
      if (id != null && ref != null && ref.equals(id)) {
        c.errorAt("marking_ref", "marking-circular", "an object must not mark itself");
      }
      JsonNode selectors = m.get("selectors");
      if (selectors != null && selectors.isArray()) {
        c.push("selectors");
        for (int j = 0; j < selectors.size(); j++) {
          JsonNode s = selectors.get(j);
          if (s.isTextual()
              && Syntax.SELECTOR.matcher(s.textValue()).matches()
              && !resolves(o, s.textValue())) {
            c.push(j);
            c.error(
                "selector",
                "selector '" + s.textValue() + "' does not point at content of this object");
            c.pop();
          }
        }
        c.pop();
      }
      c.pop();
      c.pop();
    }
  }

  /** Whether a syntactically valid selector resolves to content of the object. */
  static boolean resolves(JsonNode o, String selector) {
    JsonNode cur = o;
    for (String step : selector.split("\\.")) {
      if (step.startsWith("[")) {
        if (!cur.isArray()) {
          return false;
        }
        int index;
        try {
          index = Integer.parseInt(step.substring(1, step.length() - 1));
        } catch (NumberFormatException e) {
          return false;
        }
        if (index >= cur.size()) {
          return false;
        }
        cur = cur.get(index);
      } else {
        if (!cur.isObject() || !cur.has(step)) {
          return false;
        }
        cur = cur.get(step);
      }
    }
    return true;
  }

  private static String text(JsonNode v) {
    return v != null && v.isTextual() ? v.textValue() : null;
  }
}
