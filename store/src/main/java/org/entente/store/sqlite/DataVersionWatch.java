package org.entente.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A connection that only asks {@code PRAGMA data_version}: its value changes whenever another
 * connection (this store's writer included) has committed since it last asked. Not thread-safe.
 */
final class DataVersionWatch implements AutoCloseable {
  private final Connection connection;
  private final PreparedStatement pragma;

  DataVersionWatch(Connection connection) throws SQLException {
    this.connection = connection;
    this.pragma = connection.prepareStatement("PRAGMA data_version");
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
      connection.close();
    } catch (SQLException e) {
      // Closing: nothing left to do with it.
    }
  }
}
