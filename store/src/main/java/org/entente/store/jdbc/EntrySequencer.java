package org.entente.store.jdbc;

import java.time.Clock;

/**
 * Hands out seq and date_added (microseconds) to new entries. Both strictly increase across the
 * whole store and are never reused, so a reader's cursor or added_after value never skips an entry:
 * date_added is max(now, last + 1µs), which also rides out a clock stepping backwards. Used only by
 * the writer, under the write lock.
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

  public Mark mark() {
    return new Mark(lastSeq, lastDateAdded);
  }

  public void reset(Mark mark) {
    lastSeq = mark.lastSeq();
    lastDateAdded = mark.lastDateAdded();
  }
}
