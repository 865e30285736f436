package org.entente.store;

import java.util.List;

/**
 * A page of entries in date_added order, and whether more entries matched the query after it (at
 * the time of the read).
 */
public record EntryPage(List<Entry> entries, boolean more) {
  public EntryPage {
    entries = List.copyOf(entries);
  }

  /** Sequence number of the last entry, the cursor for the next page; 0 when empty. */
  public long lastSeq() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seq();
  }
}
