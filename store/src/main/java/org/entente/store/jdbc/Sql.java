package org.entente.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.entente.stix.StixTimestamp;
import org.entente.store.StoreException;

/**
 * Column encodings shared by the SQL backends' reads and writes (the same text in SQLite and
 * PostgreSQL): JSON lists and maps, instants in sort-key form, date_added in microseconds.
 */
public final class Sql {
  private Sql() {}

  /** Instants are stored in sort-key form: fixed width, so text order is time order. */
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A list of strings as a JSON array (how list-valued columns are stored); null stays null. */
  public static String jsonArray(List<String> values) {
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
  public static List<String> stringList(String json) {
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
  public static String jsonLongMap(Map<String, Long> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, Long> longMap(String json) {
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

  public static String instant(Instant instant) {
    return instant == null ? null : StixTimestamp.sortKey(instant);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    return text == null ? null : StixTimestamp.fromSortKey(text);
  }

  /** date_added as microseconds since the epoch, rounded down. */
  public static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  public static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  public static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      bindOne(ps, i + 1, values[i]);
    }
  }

  public static void bindOne(PreparedStatement ps, int index, Object v) throws SQLException {
    if (v instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else {
      ps.setObject(index, v);
    }
  }

  /** Maps one row; may throw SQLException. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs a prepared query with these parameters and maps every row. */
  public static <T> List<T> rows(PreparedStatement ps, Row<T> row, Object... params)
      throws SQLException {
    bind(ps, params);
    List<T> out = new java.util.ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row.map(rs));
      }
    }
    return out;
  }
}
