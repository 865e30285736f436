package org.entente.store.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.entente.store.EntryRef;

/**
 * The SQL that keeps removed entries nameable by seq and looks entries up by seq (both dialects).
 */
public final class EntryRefSql {
  /** Copies one entry (by seq) into removed_entry; run before the entry is deleted. */
  public static final String KEEP_REMOVED =
      "INSERT INTO removed_entry (seq, collection_pk, id, version)"
          + " SELECT e.seq, e.collection_pk, e.id, v.version FROM collection_entry e"
          + " JOIN object_version v ON v.id = e.id AND v.version_key = e.version_key"
          + " WHERE e.seq = ?";

  /**
   * Seqs per lookup. The IN list has this fixed width (padded by repeating the last seq) so that
   * one prepared statement serves every lookup.
   */
  private static final int BATCH = 128;

  /**
   * The lookup of up to {@link #BATCH} seqs among live and removed entries: seq, id, version,
   * removed.
   */
  private static final String LOOKUP = lookup();

  private EntryRefSql() {}

  private static String lookup() {
    String in = "(" + String.join(",", java.util.Collections.nCopies(BATCH, "?")) + ")";
    return "SELECT e.seq, e.id, v.version, 0 AS removed FROM collection_entry e"
        + " JOIN object_version v ON v.id = e.id AND v.version_key = e.version_key"
        + " WHERE e.seq IN "
        + in
        + " UNION ALL SELECT r.seq, r.id, r.version, 1 AS removed FROM removed_entry r WHERE r.seq"
        + " IN "
        + in;
  }

  /** The parameters of {@link #LOOKUP} for seqs[from, from + BATCH), padded; both IN lists. */
  static Object[] params(long[] seqs, int from) {
    int to = Math.min(seqs.length, from + BATCH);
    Object[] p = new Object[2 * BATCH];
    for (int i = 0; i < BATCH; i++) {
      p[i] = seqs[Math.min(from + i, to - 1)];
    }
    System.arraycopy(p, 0, p, BATCH, BATCH);
    return p;
  }

  /** {@link org.entente.store.Store#entryRefs}: live and removed entries by seq, ascending. */
  public static List<EntryRef> read(Statements db, long[] seqs) throws SQLException {
    long[] wanted = Arrays.stream(seqs).sorted().distinct().toArray();
    List<EntryRef> refs = new ArrayList<>(wanted.length);
    for (int i = 0; i < wanted.length; i += BATCH) {
      refs.addAll(
          Sql.rows(
              db.prepare(LOOKUP),
              rs ->
                  new EntryRef(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1),
              params(wanted, i)));
    }
    refs.sort(Comparator.comparingLong(EntryRef::seq));
    return refs;
  }
}
