package org.entente.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the append-only audit log: who did what, when and from where.
 *
 * @param seq position in the log, assigned by the store (0 before it is appended)
 * @param action e.g. {@code objects.add}, {@code objects.read}, {@code grant.add}
 * @param target what it was done to (a collection id, user name, ...), or null
 * @param detail a JSON document with the specifics (object ids and versions, counts), or null
 */
public record AuditEvent(
    long seq,
    Instant at,
    String actorUser,
    String actorOrg,
    String address,
    String action,
    String target,
    String detail) {
  public AuditEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
  }

  /** An event to append (the store assigns seq). */
  public static AuditEvent of(
      Instant at,
      String actorUser,
      String actorOrg,
      String address,
      String action,
      String target,
      String detail) {
    return new AuditEvent(0, at, actorUser, actorOrg, address, action, target, detail);
  }

  /** This event at position {@code seq} of the log. */
  public AuditEvent withSeq(long seq) {
    return new AuditEvent(seq, at, actorUser, actorOrg, address, action, target, detail);
  }

  /** This event with another detail document (e.g. a read's objects named). */
  public AuditEvent withDetail(String detail) {
    return new AuditEvent(seq, at, actorUser, actorOrg, address, action, target, detail);
  }
}
