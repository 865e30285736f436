package org.entente.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.entente.stix.StixTimestamp;
import org.entente.store.AlreadyExistsException;
import org.entente.store.StoreException;
import org.sqlite.SQLiteException;

/** Column encodings and error translation shared by the SQLite store's reads and writes. */
final class Sql {
  private static final int SQLITE_CONSTRAINT = 19;

  private Sql() {}

  /** Instants are stored in sort-key form: fixed width, so text order is time order. */
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A list of strings as a JSON array (how list-valued columns are stored); null stays null. */
  static String jsonArray(List<String> values) {
    if (values == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The strings of a JSON array column; empty for null. */
  static List<String> stringList(String json) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    try {
      return List.of(JSON.readValue(json, String[].class));
    } catch (JsonProcessingException e) {
      throw new StoreException("a list column holds malformed JSON: " + json, e);
    }
  }

  /** A map of longs as a JSON object; read back with {@link #longMap}. */
  static String jsonLongMap(Map<String, Long> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Long> longMap(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, Long> m = new java.util.LinkedHashMap<>();
      JSON.readTree(json).fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
      return m;
    } catch (JsonProcessingException e) {
      throw new StoreException("a map column holds malformed JSON: " + json, e);
    }
  }

  static String instant(Instant instant) {
    return instant == null ? null : StixTimestamp.sortKey(instant);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    return text == null ? null : StixTimestamp.fromSortKey(text);
  }

  /** date_added as microseconds since the epoch, rounded down. */
  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      bindOne(ps, i + 1, values[i]);
    }
  }

  static void bindOne(PreparedStatement ps, int index, Object v) throws SQLException {
    if (v instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else {
      ps.setObject(index, v);
    }
  }

  static boolean isUniqueViolation(SQLException e) {
    return isConstraint(e)
        && (e.getMessage().contains("UNIQUE") || e.getMessage().contains("PRIMARY KEY"));
  }

  static boolean isForeignKeyViolation(SQLException e) {
    return isConstraint(e) && e.getMessage().contains("FOREIGN KEY");
  }

  private static boolean isConstraint(SQLException e) {
    return e instanceof SQLiteException se
        && se.getResultCode() != null
        && (se.getResultCode().code & 0xff) == SQLITE_CONSTRAINT
        && e.getMessage() != null;
  }

  /**
   * Turns a driver exception into the store's own: callers see what went wrong in their terms,
   * never a raw SQLException.
   */
  static StoreException translate(SQLException e, String doing) {
    if (isUniqueViolation(e)) {
      return new AlreadyExistsException(doing + ": already exists", e);
    }
    if (isForeignKeyViolation(e)) {
      return new StoreException(doing + ": refers to something that does not exist", e);
    }
    return new StoreException(doing + " failed: " + e.getMessage(), e);
  }
}
