package org.entente.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A connection that asks {@code PRAGMA data_version} (its value changes whenever another
 * connection, this store's writer included, has committed since it last asked) and, when it did,
 * the directory counter that every change to users, grants, collections and the like bumps. Not
 * thread-safe.
 */
final class DataVersionWatch implements AutoCloseable {
  private final Connection connection;
  private final PreparedStatement pragma;
  private final PreparedStatement directory;

  DataVersionWatch(Connection connection) throws SQLException {
    this.connection = connection;
    this.pragma = connection.prepareStatement("PRAGMA data_version");
    this.directory =
        connection.prepareStatement("SELECT value FROM store_counter WHERE name = 'directory'");
  }

  /** How many directory changes were ever committed; -1 before the schema had the counter. */
  long directoryVersion() throws SQLException {
    try (ResultSet rs = directory.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  long dataVersion() throws SQLException {
    try (ResultSet rs = pragma.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  @Override
  public void close() {
    try {
      pragma.close();
      directory.close();
      connection.close();
    } catch (SQLException e) {
      // Closing: nothing left to do with it.
    }
  }
}
