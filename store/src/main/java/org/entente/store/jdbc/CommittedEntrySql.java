package org.entente.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.entente.stix.marking.Tlp;
import org.entente.store.CommittedEntry;
import org.entente.store.Entry;

/**
 * The change feed's SQL, the same on both backends. Entries commit in seq order in every process
 * (see the schema), and the store's seq counter commits with them, so every entry up to the counter
 * read first is committed and visible to the query that follows.
 */
public final class CommittedEntrySql {
  private CommittedEntrySql() {}

  public static final String HIGH_WATER_MARK = "SELECT value FROM store_counter WHERE name = 'seq'";

  /**
   * The entries of {@code types} with afterSeq &lt; seq &lt;= upTo, at most limit, in seq order.
   */
  public static String query(int types) {
    return "SELECT e.seq, e.id, e.type, v.version, e.spec_version, e.date_added, e.producer_org,"
        + " e.tlp_rank, v.json, c.id, e.producer_user"
        + " FROM collection_entry e"
        + " JOIN object_version v ON v.id = e.id AND v.version_key = e.version_key"
        + " JOIN collection c ON c.pk = e.collection_pk"
        + " WHERE e.seq > ? AND e.seq <= ? AND e.type IN ("
        + String.join(", ", java.util.Collections.nCopies(types, "?"))
        + ") ORDER BY e.seq LIMIT ?";
  }

  public static Object[] params(long afterSeq, long upTo, Set<String> types, int limit) {
    List<Object> p = new ArrayList<>(types.size() + 3);
    p.add(afterSeq);
    p.add(upTo);
    p.addAll(types.stream().sorted().toList());
    p.add(limit);
    return p.toArray();
  }

  public static CommittedEntry row(ResultSet rs) throws SQLException {
    int rank = rs.getInt(8);
    Tlp[] levels = Tlp.values();
    return new CommittedEntry(
        rs.getString(10),
        rs.getString(11),
        new Entry(
            rs.getLong(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            Sql.fromMicros(rs.getLong(6)),
            rs.getString(7),
            // producers-only entries (federated AMBER, AMBER+STRICT) report the stricter level
            rank < levels.length ? levels[rank] : Tlp.AMBER_STRICT,
            rs.getBytes(9)));
  }
}
