package org.entente.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Where a write transaction's statements come from (each backend caches its own). */
@FunctionalInterface
public interface Statements {
  PreparedStatement prepare(String sql) throws SQLException;
}
