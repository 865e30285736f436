package org.entente.store.postgres;

import java.sql.SQLException;
import org.entente.store.AlreadyExistsException;
import org.entente.store.StoreException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** PostgreSQL's constraint errors, and their translation into the store's exceptions. */
final class PgErrors {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private PgErrors() {}

  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  static boolean isForeignKeyViolation(SQLException e) {
    return FOREIGN_KEY_VIOLATION.equals(e.getSQLState());
  }

  /** The name of the violated constraint (or unique index), or "" when the server did not say. */
  static String constraint(SQLException e) {
    if (e instanceof PSQLException pe) {
      ServerErrorMessage m = pe.getServerErrorMessage();
      if (m != null && m.getConstraint() != null) {
        return m.getConstraint();
      }
    }
    return "";
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
