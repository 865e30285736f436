package org.entente.store;

import java.time.Instant;
import java.util.List;

/**
 * A TAXII status resource as stored.
 *
 * @param owner the user that made the request (only it and node admins may read it)
 */
public record StatusRecord(
    String id,
    String apiRoot,
    String owner,
    Instant requestTimestamp,
    int totalCount,
    List<Detail> successes,
    List<Detail> failures,
    List<Detail> pendings) {

  public StatusRecord {
    successes = List.copyOf(successes);
    failures = List.copyOf(failures);
    pendings = List.copyOf(pendings);
  }

  /** TAXII status-details: a STIX id, its version and an optional message. */
  public record Detail(String id, String version, String message) {}

  public boolean complete() {
    return pendings.isEmpty();
  }
}
