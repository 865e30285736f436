package org.entente.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.entente.store.CommittedEntries;
import org.entente.store.CommittedEntry;

/**
 * The change feed's SQL, the same on both backends. Entries commit in seq order in every process
 * (see the schema), and the store's seq counter commits with them, so every entry up to the counter
 * read first is committed and visible to the query that follows.
 */
public final class CommittedEntrySql {
  private CommittedEntrySql() {}

  private static final String HIGH_WATER_MARK =
      "SELECT value FROM store_counter WHERE name = 'seq'";

  /**
   * The entries of {@code types} with afterSeq &lt; seq &lt;= upTo, at most limit, in seq order.
   */
  private static String query(int types) {
    // The entries first, the bodies joined to those rows alone: a large backlog (a new leader,
    // a restart) must not let a planner hash join it with the whole object table.
    return "SELECT e.seq, e.id, e.type, v.version, e.spec_version, e.date_added, e.producer_org,"
        + " e.tlp_rank, v.json, c.id, e.producer_user"
        + " FROM (SELECT e.seq, e.id, e.type, e.version_key, e.spec_version, e.date_added,"
        + " e.producer_org, e.tlp_rank, e.collection_pk, e.producer_user"
        + " FROM collection_entry e"
        + " WHERE e.seq > ? AND e.seq <= ? AND e.type IN ("
        + String.join(", ", java.util.Collections.nCopies(types, "?"))
        + ") ORDER BY e.seq LIMIT ?) e"
        + " JOIN object_version v ON v.id = e.id AND v.version_key = e.version_key"
        + " JOIN collection c ON c.pk = e.collection_pk"
        + " ORDER BY e.seq";
  }

  /** The entries of {@code types} after {@code afterSeq}, at most {@code limit}. */
  public static CommittedEntries read(Statements db, long afterSeq, Set<String> types, int limit)
      throws SQLException {
    if (types.isEmpty() || limit < 1) {
      throw new IllegalArgumentException("committedEntries needs types and a positive limit");
    }
    long upTo = lastSeq(db);
    if (upTo <= afterSeq) {
      return new CommittedEntries(List.of(), afterSeq);
    }
    List<CommittedEntry> rows =
        Sql.rows(
            db.prepare(query(types.size())),
            CommittedEntrySql::row,
            params(afterSeq, upTo, types, limit));
    long through = rows.size() == limit ? rows.get(rows.size() - 1).entry().seq() : upTo;
    return new CommittedEntries(rows, through);
  }

  public static long lastSeq(Statements db) throws SQLException {
    List<Long> v = Sql.rows(db.prepare(HIGH_WATER_MARK), rs -> rs.getLong(1));
    return v.isEmpty() ? 0 : v.get(0);
  }

  private static Object[] params(long afterSeq, long upTo, Set<String> types, int limit) {
    List<Object> p = new ArrayList<>(types.size() + 3);
    p.add(afterSeq);
    p.add(upTo);
    p.addAll(types.stream().sorted().toList());
    p.add(limit);
    return p.toArray();
  }

  private static CommittedEntry row(ResultSet rs) throws SQLException {
    return new CommittedEntry(rs.getString(10), rs.getString(11), EntryPageSql.entry(rs, true));
  }
}
