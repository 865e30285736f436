package org.entente.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Leases and node settings: what the processes of one node share to divide work and agree on
 * values. The same SQL on SQLite and PostgreSQL.
 */
public final class CoordinationRows {
  private CoordinationRows() {}

  public static boolean lease(Statements db, String name, String owner, Instant now, Instant until)
      throws SQLException {
    PreparedStatement ps =
        db.prepare(
            "INSERT INTO lease (name, owner, until) VALUES (?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,"
                + " until = excluded.until"
                + " WHERE lease.until < ? OR lease.owner = excluded.owner");
    Sql.bind(ps, name, owner, Sql.instant(until), Sql.instant(now));
    return ps.executeUpdate() > 0;
  }

  public static void release(Statements db, String name, String owner) throws SQLException {
    PreparedStatement ps = db.prepare("DELETE FROM lease WHERE name = ? AND owner = ?");
    Sql.bind(ps, name, owner);
    ps.executeUpdate();
  }

  public static void saveSetting(Statements db, String name, String value) throws SQLException {
    PreparedStatement ps =
        db.prepare(
            "INSERT INTO node_setting (name, value) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    Sql.bind(ps, name, value);
    ps.executeUpdate();
  }

  /** The stored value of a setting, after storing {@code value} if it had none. */
  public static String initSetting(Statements db, String name, String value) throws SQLException {
    PreparedStatement insert =
        db.prepare(
            "INSERT INTO node_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
    Sql.bind(insert, name, value);
    insert.executeUpdate();
    PreparedStatement select = db.prepare("SELECT value FROM node_setting WHERE name = ?");
    Sql.bind(select, name);
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  public static void recordLoginFailure(Statements db, String key, Instant at) throws SQLException {
    PreparedStatement ps = db.prepare("INSERT INTO login_failure (key, at) VALUES (?, ?)");
    Sql.bind(ps, key, Sql.instant(at));
    ps.executeUpdate();
  }

  public static void clearLoginFailures(Statements db, String key) throws SQLException {
    PreparedStatement ps = db.prepare("DELETE FROM login_failure WHERE key = ?");
    Sql.bind(ps, key);
    ps.executeUpdate();
  }

  public static int expireLoginFailures(Statements db, Instant before) throws SQLException {
    PreparedStatement ps = db.prepare("DELETE FROM login_failure WHERE at < ?");
    Sql.bind(ps, Sql.instant(before));
    return ps.executeUpdate();
  }

  public static java.util.Optional<String> setting(Statements db, String name) throws SQLException {
    List<String> v =
        Sql.rows(
            db.prepare("SELECT value FROM node_setting WHERE name = ?"),
            rs -> rs.getString(1),
            name);
    return v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(v.get(0));
  }

  public static List<Instant> loginFailures(Statements db, String key, Instant since)
      throws SQLException {
    return Sql.rows(
        db.prepare("SELECT at FROM login_failure WHERE key = ? AND at >= ? ORDER BY at"),
        rs -> Sql.instant(rs, "at"),
        key,
        Sql.instant(since));
  }
}
