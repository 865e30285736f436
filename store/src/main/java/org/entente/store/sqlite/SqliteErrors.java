package org.entente.store.sqlite;

import java.sql.SQLException;
import org.entente.store.AlreadyExistsException;
import org.entente.store.StoreException;
import org.sqlite.SQLiteException;

/** SQLite's constraint errors, and their translation into the store's exceptions. */
final class SqliteErrors {
  private static final int SQLITE_CONSTRAINT = 19;

  private SqliteErrors() {}

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
