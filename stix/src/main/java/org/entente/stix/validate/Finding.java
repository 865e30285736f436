package org.entente.stix.validate;

/**
 * One validation result: which object, where in it (JSON path such as {@code
 * $.external_references[0].source_name}), which rule, and what is wrong.
 */
public record Finding(
    Severity severity, String objectId, String path, String rule, String message) {

  /** MUST rules are errors; SHOULD rules are warnings. */
  public enum Severity {
    ERROR,
    WARNING
  }

  @Override
  public String toString() {
    return severity.name().toLowerCase()
        + " "
        + (objectId == null ? "(no id)" : objectId)
        + " "
        + path
        + " ["
        + rule
        + "]: "
        + message;
  }
}
