package org.entente.stix.validate;

import static org.entente.stix.validate.Kinds.BOOLEAN;
import static org.entente.stix.validate.Kinds.LANG;
import static org.entente.stix.validate.Kinds.STRICT_HASHES;
import static org.entente.stix.validate.Kinds.STRING;
import static org.entente.stix.validate.Kinds.STRINGS;
import static org.entente.stix.validate.Kinds.integer;
import static org.entente.stix.validate.Kinds.list;
import static org.entente.stix.validate.Kinds.ref;
import static org.entente.stix.validate.Kinds.refs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Common properties per object class (spec section 3.2) and the shared embedded types. */
final class Common {
  private Common() {}

  private static final Pattern CAPEC_ID = Pattern.compile("^CAPEC-\\d+$");
  private static final Pattern CVE_ID = Pattern.compile("^CVE-\\d{4}-(0\\d{3}|[1-9]\\d{3,})$");

  static final Shape EXTERNAL_REFERENCE =
      Shape.shape("external-reference")
          .req("source_name", STRING)
          .opt("description", STRING)
          .opt("url", STRING)
          .opt("hashes", STRICT_HASHES)
          .opt("external_id", STRING)
          .rule(Common::externalReference)
          .build();

  static final Shape KILL_CHAIN_PHASE =
      Shape.shape("kill-chain-phase")
          .req("kill_chain_name", STRING)
          .req("phase_name", STRING)
          .rule(Common::killChainNames)
          .build();

  static final Shape GRANULAR_MARKING =
      Shape.shape("granular-marking")
          .req("selectors", list(Kinds.string(Syntax.SELECTOR, "selector", "a valid selector")))
          .opt("marking_ref", ref(Targets.of("marking-definition")))
          .opt("lang", LANG)
          .rule(Common::markingRefXorLang)
          .build();

  static final Kind EXTERNAL_REFERENCES = list(EXTERNAL_REFERENCE);
  static final Kind KILL_CHAIN_PHASES = list(KILL_CHAIN_PHASE);
  static final Kind GRANULAR_MARKINGS = list(GRANULAR_MARKING);
  static final Kind MARKING_REFS = refs(Targets.of("marking-definition"));
  static final Kind IDENTITY_REF = ref(Targets.of("identity"));
  static final Kind CONFIDENCE = integer(0, 100);

  /** Properties every class handles in the generic layer (presence rules differ by class). */
  static final Set<String> GENERIC =
      Set.of("type", "id", "spec_version", "created", "modified", "extensions");

  static final Map<String, Kind> SDO_SRO =
      Map.of(
          "created_by_ref", IDENTITY_REF,
          "revoked", BOOLEAN,
          "labels", STRINGS,
          "confidence", CONFIDENCE,
          "lang", LANG,
          "external_references", EXTERNAL_REFERENCES,
          "object_marking_refs", MARKING_REFS,
          "granular_markings", GRANULAR_MARKINGS);

  static final Map<String, Kind> SCO =
      Map.of(
          "object_marking_refs", MARKING_REFS,
          "granular_markings", GRANULAR_MARKINGS,
          "defanged", BOOLEAN);

  static final Map<String, Kind> MARKING_DEFINITION =
      Map.of(
          "created_by_ref", IDENTITY_REF,
          "external_references", EXTERNAL_REFERENCES,
          "object_marking_refs", MARKING_REFS,
          "granular_markings", GRANULAR_MARKINGS);

  static final Map<String, Kind> LANGUAGE_CONTENT =
      Map.of(
          "created_by_ref", IDENTITY_REF,
          "revoked", BOOLEAN,
          "labels", STRINGS,
          "confidence", CONFIDENCE,
          "external_references", EXTERNAL_REFERENCES,
          "object_marking_refs", MARKING_REFS,
          "granular_markings", GRANULAR_MARKINGS);

  static final Map<String, Kind> EXTENSION_DEFINITION =
      Map.of(
          "created_by_ref", IDENTITY_REF,
          "revoked", BOOLEAN,
          "labels", STRINGS,
          "external_references", EXTERNAL_REFERENCES,
          "object_marking_refs", MARKING_REFS,
          "granular_markings", GRANULAR_MARKINGS);

  /** Every common property name; one used where its class lacks it is not a custom property. */
  static final Set<String> ALL;

  static {
    Set<String> all = new HashSet<>(GENERIC);
    all.addAll(SDO_SRO.keySet());
    all.addAll(SCO.keySet());
    ALL = Set.copyOf(all);
  }

  static Map<String, Kind> forClass(ObjectClass c) {
    return switch (c) {
      case SDO, SRO -> SDO_SRO;
      case SCO -> SCO;
      case MARKING_DEFINITION -> MARKING_DEFINITION;
      case LANGUAGE_CONTENT -> LANGUAGE_CONTENT;
      case EXTENSION_DEFINITION -> EXTENSION_DEFINITION;
      case BUNDLE -> Map.of();
    };
  }

  private static void externalReference(JsonNode o, Ctx c) {
    if (!o.has("description") && !o.has("url") && !o.has("external_id")) {
      c.error(
          "external-reference",
          "an external reference needs description, url or external_id besides source_name");
    }
    JsonNode source = o.get("source_name");
    if (source == null || !source.isTextual()) {
      return;
    }
    Pattern idForm =
        switch (source.textValue()) {
          case "capec" -> CAPEC_ID;
          case "cve" -> CVE_ID;
          default -> null;
        };
    if (idForm == null) {
      return;
    }
    JsonNode id = o.get("external_id");
    if (id == null || !id.isTextual() || !idForm.matcher(id.textValue()).matches()) {
      c.errorAt(
          "external_id",
          "external-id-format",
          "a '"
              + source.textValue()
              + "' reference needs external_id of the form "
              + (idForm == CAPEC_ID ? "CAPEC-<n>" : "CVE-<year>-<n>"));
    }
  }

  private static void killChainNames(JsonNode o, Ctx c) {
    for (String p : new String[] {"kill_chain_name", "phase_name"}) {
      JsonNode v = o.get(p);
      if (v != null && v.isTextual() && !isLowerHyphenated(v.textValue())) {
        c.warnAt(p, "kill-chain-phase", "'" + v.textValue() + "' should be lowercase with hyphens");
      }
    }
  }

  static boolean isLowerHyphenated(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static void markingRefXorLang(JsonNode o, Ctx c) {
    if (o.has("marking_ref") == o.has("lang")) {
      c.error("granular-marking", "a granular marking needs exactly one of marking_ref or lang");
    }
  }
}
