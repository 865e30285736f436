package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The deprecated observed-data {@code objects} container: a dictionary of SCOs whose refs name
 * other keys of the same container rather than identifiers.
 */
final class ObservedObjects {
  private ObservedObjects() {}

  static final Kind KIND = ObservedObjects::check;

  private static void check(JsonNode v, Ctx c) {
    if (!v.isObject()) {
      Kinds.wrongType(v, c, "a dictionary of SCOs");
      return;
    }
    if (v.isEmpty()) {
      c.error("empty-dict", "objects must have at least one entry");
      return;
    }
    c.warn("deprecated-property", "observed-data objects is deprecated; use object_refs");
    JsonNode outer = c.container;
    c.container = v;
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      c.push(e.getKey());
      if (!isNonNegativeInteger(e.getKey())) {
        c.warn("objects-key", "observed-data objects keys should be integers (\"0\", \"1\", ...)");
      }
      ObjectChecker.checkObject(e.getValue(), c);
      c.pop();
    }
    c.container = outer;
  }

  private static boolean isNonNegativeInteger(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
