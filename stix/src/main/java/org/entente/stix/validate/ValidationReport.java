package org.entente.stix.validate;

import java.util.List;

/** All findings for one object (or one document); valid means no errors, warnings allowed. */
public record ValidationReport(List<Finding> findings) {
  public ValidationReport {
    findings = List.copyOf(findings);
  }

  /** True when there is no ERROR finding (checked without allocating: it runs per object). */
  public boolean valid() {
    for (Finding f : findings) {
      if (f.severity() == Finding.Severity.ERROR) {
        return false;
      }
    }
    return true;
  }

  public List<Finding> errors() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).toList();
  }

  public List<Finding> warnings() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).toList();
  }

  /** First error in a form fit for a TAXII status message, or null when valid. */
  public String firstErrorMessage() {
    for (Finding f : findings) {
      if (f.severity() == Finding.Severity.ERROR) {
        return f.path() + " [" + f.rule() + "]: " + f.message();
      }
    }
    return null;
  }
}
