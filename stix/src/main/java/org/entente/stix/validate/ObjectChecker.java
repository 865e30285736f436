package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.entente.stix.id.DeterministicId;

/**
 * The generic layer: everything that applies to objects of every type (type name, id, spec_version
 * and created/modified per object class, custom properties, extensions, markings, timestamp order,
 * UUID versions). Type-specific properties come from the {@link Registry}.
 */
final class ObjectChecker {
  private ObjectChecker() {}

  /** Property pairs whose second timestamp must not be before (or, if strict, equal) the first. */
  private static final String[][] ORDERED = {
    {"first_seen", "last_seen", ""},
    {"valid_from", "valid_until", "strict"},
    {"start_time", "stop_time", "strict"},
    {"first_observed", "last_observed", ""},
    {"start", "end", ""},
  };

  static void checkObject(JsonNode o, Ctx c) {
    if (!o.isObject()) {
      Kinds.wrongType(o, c, "a STIX object (JSON object)");
      return;
    }
    String outerId = c.objectId;
    JsonNode idNode = o.get("id");
    c.objectId = idNode != null && idNode.isTextual() ? idNode.textValue() : null;
    checkBody((ObjectNode) o, c);
    c.objectId = outerId;
  }

  private static void checkBody(ObjectNode o, Ctx c) {
    boolean contained = c.container != null;
    JsonNode typeNode = o.get("type");
    if (typeNode == null) {
      c.errorAt("type", "required-property", "every STIX object needs 'type'");
      return;
    }
    if (!typeNode.isTextual()) {
      c.push("type");
      Kinds.wrongType(typeNode, c, "a type name");
      c.pop();
      return;
    }
    String type = typeNode.textValue();
    TypeSpec spec = Registry.get(type);
    ObjectClass cls;
    if (spec != null) {
      cls = spec.objectClass();
    } else {
      if (!Syntax.isTypeName(type) || type.equals("action")) {
        c.errorAt(
            "type",
            "type-name",
            "'"
                + type
                + "' is not a valid type name"
                + " (^([a-z][a-z0-9]*)+(-[a-z0-9]+)*-?$, 3-250 characters, not 'action')");
        return;
      }
      if (!type.startsWith("x-")) {
        c.warnAt(
            "type",
            "custom-object-prefix",
            "custom object type '" + type + "' should start with x-");
      }
      cls = customClass(o);
    }
    if (contained) {
      if (cls != ObjectClass.SCO) {
        c.errorAt("type", "ref-type", "observed-data objects may only hold SCOs");
        return;
      }
    } else {
      checkId(o, type, c);
    }
    checkSpecVersion(o, cls, c);
    checkCreatedModified(o, cls, c);

    boolean toplevelExtension = false;
    JsonNode extensions = o.get("extensions");
    if (extensions != null) {
      c.push("extensions");
      toplevelExtension = checkExtensions(extensions, spec, cls, c);
      c.pop();
    }

    Map<String, Kind> common = Common.forClass(cls);
    // Properties of a custom type are its own, so only standard types expect the x_ prefix.
    boolean warnPrefix = spec != null && !toplevelExtension;
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      String key = e.getKey();
      if (Common.GENERIC.contains(key)) {
        continue;
      }
      JsonNode v = e.getValue();
      c.push(key);
      Shape.Prop p = spec == null ? null : spec.shape().prop(key);
      if (p != null) {
        p.kind().check(v, c);
      } else {
        Kind k = common.get(key);
        if (k != null) {
          k.check(v, c);
        } else if (Common.ALL.contains(key)) {
          c.error(
              "custom-property-name",
              "'" + key + "' is a common property that " + describe(cls) + " objects do not have");
        } else {
          Kinds.customProperty(key, v, c, warnPrefix);
        }
      }
      c.pop();
    }
    if (spec != null) {
      spec.shape().checkRequiredAndRules(o, c);
    }
    checkTimestampOrder(o, c);
    Markings.checkApplied(o, c);
    if (!contained) {
      checkUuidVersion(o, type, spec, cls, c);
    }
  }

  /**
   * An unknown type is an extension-defined object when its extensions say so (new-sdo, new-sco,
   * new-sro); otherwise a legacy custom object, SDO-like when it is versioned.
   */
  private static ObjectClass customClass(ObjectNode o) {
    JsonNode ext = o.get("extensions");
    if (ext != null && ext.isObject()) {
      for (JsonNode entry : ext) {
        JsonNode t = entry.get("extension_type");
        if (t != null && t.isTextual()) {
          switch (t.textValue()) {
            case "new-sdo":
              return ObjectClass.SDO;
            case "new-sco":
              return ObjectClass.SCO;
            case "new-sro":
              return ObjectClass.SRO;
            default:
              break;
          }
        }
      }
    }
    return o.has("created") || o.has("modified") ? ObjectClass.SDO : ObjectClass.SCO;
  }

  private static void checkId(ObjectNode o, String type, Ctx c) {
    JsonNode id = o.get("id");
    if (id == null) {
      c.errorAt("id", "required-property", "every STIX object needs 'id'");
      return;
    }
    c.push("id");
    if (!id.isTextual()) {
      Kinds.wrongType(id, c, "an identifier");
    } else {
      String s = id.textValue();
      int t = Syntax.identifierTypeLength(s);
      if (t < 0) {
        c.error("id-format", "'" + s + "' is not <type>--<RFC 4122 UUID>");
      } else if (t != type.length() || !s.startsWith(type)) {
        c.error("id-prefix", "id '" + s + "' must start with '" + type + "--'");
      }
    }
    c.pop();
  }

  private static void checkSpecVersion(ObjectNode o, ObjectClass cls, Ctx c) {
    JsonNode sv = o.get("spec_version");
    if (cls == ObjectClass.BUNDLE) {
      if (sv != null) {
        c.errorAt("spec_version", "spec-version", "a STIX 2.1 bundle has no spec_version");
      }
      return;
    }
    if (sv == null) {
      if (cls != ObjectClass.SCO) {
        c.errorAt(
            "spec_version", "required-property", describe(cls) + " objects need spec_version");
      }
      return;
    }
    if (!sv.isTextual() || !sv.textValue().equals("2.1")) {
      c.errorAt("spec_version", "spec-version", "spec_version must be \"2.1\", got " + sv);
    }
  }

  private static void checkCreatedModified(ObjectNode o, ObjectClass cls, Ctx c) {
    boolean createdAllowed = cls != ObjectClass.SCO && cls != ObjectClass.BUNDLE;
    boolean modifiedAllowed = createdAllowed && cls != ObjectClass.MARKING_DEFINITION;
    boolean created = checkTimestampProperty(o, "created", createdAllowed, cls, c);
    boolean modified = checkTimestampProperty(o, "modified", modifiedAllowed, cls, c);
    if (created
        && modified
        && Syntax.compareTimestamps(o.get("modified").textValue(), o.get("created").textValue())
            < 0) {
      c.errorAt(
          "modified",
          "modified-before-created",
          "modified "
              + o.get("modified").textValue()
              + " is before created "
              + o.get("created").textValue());
    }
  }

  /** Returns true when the property is present and a valid millisecond timestamp. */
  private static boolean checkTimestampProperty(
      ObjectNode o, String name, boolean allowed, ObjectClass cls, Ctx c) {
    JsonNode v = o.get(name);
    if (v == null) {
      if (allowed) {
        c.errorAt(name, "required-property", describe(cls) + " objects need " + name);
      }
      return false;
    }
    c.push(name);
    boolean ok = false;
    if (!allowed) {
      c.error(
          "custom-property-name",
          "'" + name + "' is a common property that " + describe(cls) + " objects do not have");
    } else if (!v.isTextual()) {
      Kinds.wrongType(v, c, "a timestamp string");
    } else {
      ok = Kinds.checkTimestamp(v.textValue(), true, c);
    }
    c.pop();
    return ok;
  }

  private static void checkTimestampOrder(ObjectNode o, Ctx c) {
    for (String[] pair : ORDERED) {
      JsonNode first = o.get(pair[0]);
      if (first == null) {
        continue;
      }
      JsonNode last = o.get(pair[1]);
      if (last == null || !first.isTextual() || !last.isTextual()) {
        continue;
      }
      String a = first.textValue();
      String b = last.textValue();
      if (Syntax.timestamp(a) != Syntax.TS_OK || Syntax.timestamp(b) != Syntax.TS_OK) {
        continue;
      }
      int cmp = Syntax.compareTimestamps(b, a);
      boolean strict = !pair[2].isEmpty();
      if (cmp < 0 || (strict && cmp == 0)) {
        c.errorAt(
            pair[1],
            "timestamp-order",
            pair[1]
                + " "
                + b
                + " must be "
                + (strict ? "later than " : "no earlier than ")
                + pair[0]
                + " "
                + a);
      }
    }
  }

  /** Checks the extensions dictionary; returns whether a toplevel-property-extension is used. */
  private static boolean checkExtensions(JsonNode ext, TypeSpec spec, ObjectClass cls, Ctx c) {
    if (cls == ObjectClass.EXTENSION_DEFINITION || cls == ObjectClass.BUNDLE) {
      c.error("custom-property-name", describe(cls) + " objects have no extensions");
      return false;
    }
    if (!ext.isObject()) {
      Kinds.wrongType(ext, c, "a dictionary of extensions");
      return false;
    }
    if (ext.isEmpty()) {
      c.error("empty-dict", "extensions must have at least one entry");
      return false;
    }
    boolean toplevel = false;
    for (Map.Entry<String, JsonNode> e : ext.properties()) {
      String key = e.getKey();
      JsonNode entry = e.getValue();
      c.push(key);
      if (key.startsWith("extension-definition--")) {
        if (!Syntax.isUuid(key, 22)) {
          c.error("extension-key", "'" + key + "' is not extension-definition--<uuid>");
        }
        toplevel |= checkDefinedExtension(entry, c);
      } else if (key.endsWith("-ext") && Syntax.isTypeName(key)) {
        Shape predefined = spec == null ? null : spec.extensions().get(key);
        if (predefined != null) {
          predefined.check(entry, c);
        } else {
          if (!key.startsWith("x-")) {
            c.warn(
                "custom-extension-prefix",
                "'"
                    + key
                    + "' is not predefined for this type; custom extensions should start"
                    + " with x-");
          }
          checkCustomContent(entry, c);
        }
      } else {
        c.error(
            "extension-key",
            "'"
                + key
                + "' is neither a predefined <name>-ext nor"
                + " extension-definition--<uuid>");
      }
      c.pop();
    }
    return toplevel;
  }

  private static boolean checkDefinedExtension(JsonNode entry, Ctx c) {
    if (!entry.isObject()) {
      Kinds.wrongType(entry, c, "an extension object");
      return false;
    }
    JsonNode type = entry.get("extension_type");
    if (type == null) {
      c.errorAt(
          "extension_type",
          "required-property",
          "an extension-definition entry needs extension_type");
    } else {
      c.push("extension_type");
      Markings.EXTENSION_TYPE.check(type, c);
      c.pop();
    }
    for (Map.Entry<String, JsonNode> e : entry.properties()) {
      if (!e.getKey().equals("extension_type")) {
        c.push(e.getKey());
        Kinds.customProperty(e.getKey(), e.getValue(), c, false);
        c.pop();
      }
    }
    boolean toplevel = type != null && "toplevel-property-extension".equals(type.asText());
    if (toplevel && entry.size() > 1) {
      c.error(
          "extension-type",
          "a toplevel-property-extension entry holds only extension_type; its properties go"
              + " on the object");
    }
    return toplevel;
  }

  private static void checkCustomContent(JsonNode entry, Ctx c) {
    if (!entry.isObject()) {
      Kinds.wrongType(entry, c, "an extension object");
      return;
    }
    if (entry.isEmpty()) {
      c.error("empty-dict", "an extension must have at least one property");
      return;
    }
    for (Map.Entry<String, JsonNode> e : entry.properties()) {
      c.push(e.getKey());
      Kinds.customProperty(e.getKey(), e.getValue(), c, false);
      c.pop();
    }
  }

  private static void checkUuidVersion(
      ObjectNode o, String type, TypeSpec spec, ObjectClass cls, Ctx c) {
    JsonNode idNode = o.get("id");
    if (idNode == null || !idNode.isTextual()) {
      return;
    }
    String id = idNode.textValue();
    int t = Syntax.identifierTypeLength(id);
    if (t != type.length() || !id.startsWith(type)) {
      return;
    }
    int version = Syntax.uuidVersion(id);
    if (cls != ObjectClass.SCO) {
      if (version != 4) {
        c.warnAt("id", "uuid-version", describe(cls) + " ids should use UUIDv4, not v" + version);
      }
      return;
    }
    if (spec == null) {
      return;
    }
    if (type.equals("process") || !DeterministicId.hasContributingProperty(o)) {
      if (version != 4) {
        c.errorAt(
            "id",
            "uuid-version",
            "this "
                + type
                + " has no ID-contributing properties, so its id must be UUIDv4, not v"
                + version);
      }
      return;
    }
    if (version != 5) {
      c.warnAt("id", "uuid-version", "SCO ids should be deterministic UUIDv5, not v" + version);
      return;
    }
    Optional<String> expected = DeterministicId.compute(o);
    if (expected.isPresent() && !expected.get().equals(id)) {
      c.warnAt(
          "id",
          "deterministic-id",
          "UUIDv5 id differs from the deterministic id " + expected.get());
    }
  }

  /** Bundle rule: the same (id, modified) twice is undefined (validator check 203). */
  static void bundleDuplicates(JsonNode bundle, Ctx c) {
    JsonNode objects = bundle.get("objects");
    if (objects == null || !objects.isArray() || objects.size() < 2) {
      return;
    }
    Map<String, Integer> seen = new HashMap<>(objects.size() * 2);
    for (int i = 0; i < objects.size(); i++) {
      JsonNode obj = objects.get(i);
      JsonNode id = obj.get("id");
      if (id == null || !id.isTextual()) {
        continue;
      }
      JsonNode modified = obj.get("modified");
      String key = id.textValue() + '|' + (modified == null ? "" : modified.asText());
      Integer first = seen.putIfAbsent(key, i);
      if (first != null) {
        c.push("objects");
        c.push(i);
        c.warn("duplicate-object", "same id and modified as objects[" + first + "]");
        c.pop();
        c.pop();
      }
    }
  }

  static String describe(ObjectClass cls) {
    return switch (cls) {
      case SDO -> "SDO";
      case SRO -> "SRO";
      case SCO -> "SCO";
      case MARKING_DEFINITION -> "marking-definition";
      case LANGUAGE_CONTENT -> "language-content";
      case EXTENSION_DEFINITION -> "extension-definition";
      case BUNDLE -> "bundle";
    };
  }
}
