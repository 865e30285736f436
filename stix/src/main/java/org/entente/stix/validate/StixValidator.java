package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Validates STIX 2.1 objects and documents against the spec: MUST rules give errors, SHOULD rules
 * warnings. Immutable and thread-safe; one instance can serve the whole node.
 */
public final class StixValidator {
  private static final ValidationReport VALID = new ValidationReport(List.of());

  public StixValidator() {}

  /** Validates one STIX object (a bundle is validated with everything in it). */
  public ValidationReport validate(JsonNode object) {
    Ctx c = new Ctx();
    if (object == null) {
      c.error("property-type", "no object");
    } else {
      ObjectChecker.checkObject(object, c);
    }
    return report(c);
  }

  /**
   * Validates a document: a bundle, a TAXII envelope ({@code {"objects": [...]}}), a JSON array of
   * objects, or a single object. Paths are relative to the document root.
   */
  public ValidationReport validateDocument(JsonNode doc) {
    Ctx c = new Ctx();
    if (doc == null) {
      c.error("property-type", "no document");
    } else if (doc.isArray()) {
      checkAll(doc, c);
    } else if (doc.isObject() && !doc.has("type") && doc.has("objects")) {
      JsonNode objects = doc.get("objects");
      c.push("objects");
      if (objects.isArray()) {
        checkAll(objects, c);
      } else {
        Kinds.wrongType(objects, c, "a list of STIX objects");
      }
      c.pop();
    } else {
      ObjectChecker.checkObject(doc, c);
    }
    return report(c);
  }

  /** An empty envelope or array holds nothing invalid (TAXII allows empty envelopes). */
  private static void checkAll(JsonNode array, Ctx c) {
    for (int i = 0; i < array.size(); i++) {
      c.push(i);
      ObjectChecker.checkObject(array.get(i), c);
      c.pop();
    }
  }

  private static ValidationReport report(Ctx c) {
    List<Finding> findings = c.findings();
    return findings.isEmpty() ? VALID : new ValidationReport(findings);
  }
}
