package org.entente.store;

import java.util.List;

/**
 * A stretch of the change feed, in seq order.
 *
 * @param throughSeq every entry with a seq up to this one has been looked at (those of other types
 *     were skipped): the next read starts after it
 */
public record CommittedEntries(List<CommittedEntry> entries, long throughSeq) {
  public CommittedEntries {
    entries = List.copyOf(entries);
  }
}
