package org.entente.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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
    connection.close();
  }
}
