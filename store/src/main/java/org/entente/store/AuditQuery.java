package org.entente.store;

import java.time.Instant;

/**
 * A page of the audit log in seq order; null fields do not filter.
 *
 * @param afterSeq only events after this position (the paging cursor); 0 from the start
 * @param since only events at or after this instant
 * @param actorUser only this user's events
 * @param actionPrefix only actions starting with this (e.g. {@code objects.})
 */
public record AuditQuery(
    long afterSeq, Instant since, String actorUser, String actionPrefix, int limit) {
  public AuditQuery {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
  }
}
