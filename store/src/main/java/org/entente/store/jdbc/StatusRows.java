package org.entente.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.entente.store.StatusRecord;

/** The status table's SQL, the same on SQLite and PostgreSQL. */
public final class StatusRows {
  private StatusRows() {}

  public static final String COLUMNS =
      "SELECT id, api_root, owner, request_timestamp, total_count, details FROM status";

  private static final String INSERT =
      "INSERT INTO status (id, api_root, owner, request_timestamp, total_count,"
          + " success_count, failure_count, pending_count, details, holder)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Creates or replaces a status. */
  public static void save(Statements db, StatusRecord status) throws SQLException {
    PreparedStatement ps =
        db.prepare(
            INSERT
                + " ON CONFLICT (id) DO UPDATE SET api_root = excluded.api_root,"
                + " owner = excluded.owner, request_timestamp = excluded.request_timestamp,"
                + " total_count = excluded.total_count,"
                + " success_count = excluded.success_count,"
                + " failure_count = excluded.failure_count,"
                + " pending_count = excluded.pending_count, details = excluded.details,"
                + " holder = NULL");
    bind(ps, status, null);
    ps.executeUpdate();
  }

  /** Creates a status unless one with its id exists (then keeps that one); true if created. */
  public static boolean saveIfAbsent(Statements db, StatusRecord status, String holder)
      throws SQLException {
    PreparedStatement ps = db.prepare(INSERT + " ON CONFLICT (id) DO NOTHING");
    bind(ps, status, holder);
    return ps.executeUpdate() > 0;
  }

  /** Replaces a status only while the stored one is still pending; true if replaced. */
  public static boolean replacePending(Statements db, StatusRecord status) throws SQLException {
    PreparedStatement ps =
        db.prepare(
            "UPDATE status SET total_count = ?, success_count = ?, failure_count = ?, pending_count"
                + " = ?, details = ?, holder = NULL WHERE id = ? AND pending_count > 0");
    Sql.bind(
        ps,
        status.totalCount(),
        status.successes().size(),
        status.failures().size(),
        status.pendings().size(),
        StatusDetailsJson.write(status.successes(), status.failures(), status.pendings()),
        status.id());
    return ps.executeUpdate() > 0;
  }

  public static int expire(Statements db, Instant olderThan) throws SQLException {
    PreparedStatement ps = db.prepare("DELETE FROM status WHERE request_timestamp < ?");
    Sql.bind(ps, Sql.instant(olderThan));
    return ps.executeUpdate();
  }

  /** See {@link org.entente.store.Store#abandonedStatuses}. */
  public static List<StatusRecord> abandoned(
      Statements db, Instant now, Instant requestedBefore, int limit) throws SQLException {
    return Sql.rows(
        db.prepare(
            COLUMNS
                + " s WHERE s.pending_count > 0 AND (s.request_timestamp < ?"
                + " OR (s.holder IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lease l"
                + " WHERE l.name = ? || s.holder AND l.until >= ?)))"
                + " ORDER BY s.request_timestamp LIMIT ?"),
        StatusRows::read,
        Sql.instant(requestedBefore),
        org.entente.store.Store.processLease(""),
        Sql.instant(now),
        limit);
  }

  public static StatusRecord read(ResultSet rs) throws SQLException {
    StatusDetailsJson.Details d = StatusDetailsJson.read(rs.getString("details"));
    return new StatusRecord(
        rs.getString("id"),
        rs.getString("api_root"),
        rs.getString("owner"),
        Sql.instant(rs, "request_timestamp"),
        rs.getInt("total_count"),
        d.successes(),
        d.failures(),
        d.pendings());
  }

  private static void bind(PreparedStatement ps, StatusRecord status, String holder)
      throws SQLException {
    if (status.requestTimestamp() == null) {
      throw new IllegalArgumentException("a status needs its request timestamp");
    }
    Sql.bind(
        ps,
        status.id(),
        status.apiRoot(),
        status.owner(),
        Sql.instant(status.requestTimestamp()),
        status.totalCount(),
        status.successes().size(),
        status.failures().size(),
        status.pendings().size(),
        StatusDetailsJson.write(status.successes(), status.failures(), status.pendings()),
        holder);
  }
}
