package org.entente.store.jdbc;

import java.time.Clock;

/**
 * Hands out seq and date_added (microseconds) to new entries. Both strictly increase across the
 * whole store and are never reused, so a reader's cursor or added_after value never skips an entry:
 * date_added is max(now, last + 1µs), which also rides out a clock stepping backwards.
 *
 * <p>Used only by a writer holding the database's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
 * the store_counter row lock), starting from the high-water marks committed in store_counter, so
 * that several processes writing one database draw increasing numbers in commit order.
 */
public final class EntrySequencer {
  private final Clock clock;
  private long lastSeq;
  private long lastDateAdded;

  /** The values at some point, to restore when a transaction rolls back. */
  public record Mark(long lastSeq, long lastDateAdded) {}

  public EntrySequencer(Clock clock, long lastSeq, long lastDateAdded) {
    this.clock = clock;
    this.lastSeq = lastSeq;
    this.lastDateAdded = lastDateAdded;
  }

  public long nextSeq() {
    return ++lastSeq;
  }

  public long nextDateAdded() {
    long now = Sql.micros(clock.instant());
    lastDateAdded = Math.max(now, lastDateAdded + 1);
    return lastDateAdded;
  }

  public java.time.Instant now() {
    return clock.instant();
  }

  /** Never hands out {@code seq} or {@code dateAdded} or below again (no-op when already past). */
  public void raiseTo(long seq, long dateAdded) {
    lastSeq = Math.max(lastSeq, seq);
    lastDateAdded = Math.max(lastDateAdded, dateAdded);
  }

  public Mark mark() {
    return new Mark(lastSeq, lastDateAdded);
  }

  public void reset(Mark mark) {
    lastSeq = mark.lastSeq();
    lastDateAdded = mark.lastDateAdded();
  }
}
