package org.entente.stix.validate;

import java.util.List;

/** All findings for one object (or one document); valid means no errors, warnings allowed. */
public record ValidationReport(List<Finding> findings) {
  public ValidationReport {
    findings = List.copyOf(findings);
  }

  public boolean valid() {
    return errors().isEmpty();
  }

  public List<Finding> errors() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).toList();
  }

  public List<Finding> warnings() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).toList();
  }

  /** First error in a form fit for a TAXII status message, or null when valid. */
  public String firstErrorMessage() {
    var errors = errors();
    return errors.isEmpty() ? null : errors.get(0).path() + " [" + errors.get(0).rule() + "]: "
        + errors.get(0).message();
  }
}
