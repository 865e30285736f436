package org.entente.store.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.entente.store.AlreadyExistsException;
import org.entente.store.StoreException;
import org.entente.store.StoreUnavailableException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL's constraint and connection errors, and their translation into the store's exceptions.
 */
final class PgErrors {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  /**
   * Besides class 08 (connection exception): the server is shutting down, crashed or still starting
   * (admin_shutdown, crash_shutdown, cannot_connect_now), or has no connection slot free.
   */
  private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300");

  private PgErrors() {}

  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  static boolean isForeignKeyViolation(SQLException e) {
    return FOREIGN_KEY_VIOLATION.equals(e.getSQLState());
  }

  /**
   * Whether the database could not be reached rather than refused the statement: the server is
   * down, restarting, or the pool gave up waiting for a connection (HikariCP's timeout is a {@link
   * SQLTransientConnectionException}, with the SQLState of the last failed connection attempt, if
   * any).
   */
  static boolean isUnavailable(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException
        || (state != null && (state.startsWith("08") || UNAVAILABLE.contains(state)));
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
    if (isUnavailable(e)) {
      return new StoreUnavailableException(
          doing + " failed: the database is unavailable (" + e.getMessage() + ")", e);
    }
    if (isUniqueViolation(e)) {
      return new AlreadyExistsException(doing + ": already exists", e);
    }
    if (isForeignKeyViolation(e)) {
      return new StoreException(doing + ": refers to something that does not exist", e);
    }
    return new StoreException(doing + " failed: " + e.getMessage(), e);
  }
}
