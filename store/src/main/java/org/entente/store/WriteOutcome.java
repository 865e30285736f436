package org.entente.store;

import java.time.Instant;

/**
 * What {@link WriteTransaction#put} did with one object.
 *
 * @param version the TAXII version string reported for it (modified, created, or the
 *     server-assigned one for SCOs)
 * @param dateAdded the entry's date_added (the existing one for DUPLICATE, null for CONFLICT)
 */
public record WriteOutcome(
    String id, String version, Kind kind, String message, Instant dateAdded) {

  public enum Kind {
    ADDED,
    DUPLICATE,
    CONFLICT
  }

  public boolean success() {
    return kind != Kind.CONFLICT;
  }
}
