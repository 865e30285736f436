package org.entente.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.entente.store.AlreadyExistsException;
import org.entente.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class PgErrorsTest {
  @Test
  void aServerThatCannotBeReachedIsUnavailableNotAFailure() {
    // Connection refused or broken, the server shutting down or starting, no slot free.
    for (String state : new String[] {"08001", "08006", "57P01", "57P02", "57P03", "53300"}) {
      assertThat(PgErrors.translate(new SQLException("down", state), "reading"))
          .as(state)
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("reading");
    }
    // HikariCP gave up waiting for a connection (with or without a SQLState).
    assertThat(
            PgErrors.translate(
                new SQLTransientConnectionException("pool - Connection is not available"),
                "writing"))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void aStatementTheServerRefusesIsNotUnavailability() {
    assertThat(PgErrors.translate(new SQLException("dup", "23505"), "adding"))
        .isInstanceOf(AlreadyExistsException.class);
    for (String state : new String[] {"23503", "40001", "57014", "42P01", null}) {
      assertThat(PgErrors.translate(new SQLException("no", state), "adding"))
          .as(state)
          .isNotInstanceOf(StoreUnavailableException.class);
    }
  }
}
