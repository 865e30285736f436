package org.entente.detect;

import java.time.Instant;
import java.util.Objects;
import org.entente.stix.pattern.StixPattern;

/** The parts of an indicator that matching needs: id, parsed pattern and validity. */
public record IndexedIndicator(
    String id, StixPattern pattern, Instant validFrom, Instant validUntil, boolean revoked) {
  public IndexedIndicator {
    Objects.requireNonNull(id);
    Objects.requireNonNull(pattern);
    Objects.requireNonNull(validFrom);
  }

  /**
   * True when the indicator is valid at some instant of {@code [first, last]}: an observation only
   * says its instances happened somewhere in that window, so any overlap with {@code [valid_from,
   * valid_until)} may be a hit (candidates must be a superset of matches).
   */
  public boolean validDuring(Instant first, Instant last) {
    return !revoked
        && !validFrom.isAfter(last)
        && (validUntil == null || validUntil.isAfter(first));
  }
}
