package org.entente.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The one connection all writes go through, with its prepared statements kept across transactions
 * (an ingest batch runs the same few statements thousands of times). Transactions are begun
 * explicitly with BEGIN IMMEDIATE so the write lock is taken up front and held only while a
 * transaction runs.
 */
final class WriterConnection implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  /**
   * Multi-row statements by shape: building their text and hashing it on every batch cost the
   * writer more than binding the rows.
   */
  private final Map<Shape, PreparedStatement> shapes = new HashMap<>();

  /** {@code prefix} is a constant, so its hash is computed once. */
  private record Shape(String prefix, int width, int count, String suffix) {}

  WriterConnection(Connection connection) {
    this.connection = connection;
  }

  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /**
   * {@code prefix} followed by {@code count} groups of {@code width} parameters, then {@code
   * suffix}: {@code (?, ?), (?, ?)} for a multi-row INSERT (width > 0), or {@code ?, ?, ?} for an
   * {@code IN} list (width 0). Prepared once per shape.
   */
  PreparedStatement prepareRepeated(String prefix, int width, int count, String suffix)
      throws SQLException {
    Shape shape = new Shape(prefix, width, count, suffix);
    PreparedStatement ps = shapes.get(shape);
    if (ps == null) {
      String unit =
          width == 0 ? "?" : "(" + String.join(", ", Collections.nCopies(width, "?")) + ")";
      ps =
          connection.prepareStatement(
              prefix + String.join(", ", Collections.nCopies(count, unit)) + suffix);
      shapes.put(shape, ps);
    }
    return ps;
  }

  void begin() throws SQLException {
    prepare("BEGIN IMMEDIATE").execute();
  }

  void commit() throws SQLException {
    prepare("COMMIT").execute();
  }

  /** Rolls back if a transaction is open; some errors (disk full, I/O) already ended it. */
  void rollbackQuietly() {
    try {
      execute("ROLLBACK");
    } catch (SQLException e) {
      // "no transaction is active": SQLite rolled it back itself.
    }
  }

  void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  Connection connection() {
    return connection;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement ps : statements.values()) {
      ps.close();
    }
    statements.clear();
    for (PreparedStatement ps : shapes.values()) {
      ps.close();
    }
    shapes.clear();
    connection.close();
  }
}
