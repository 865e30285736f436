package org.entente.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import org.entente.store.Store;
import org.entente.store.StoreContractTest;
import org.junit.jupiter.api.Test;

/** The store contract against real SQLite files, plus what only SQLite has. */
class SqliteStoreContractTest extends StoreContractTest {
  @Override
  protected Store newStore(Path dir, Clock clock) {
    return new SqliteStore(dir.resolve(SqliteStore.FILE_NAME), clock, 2);
  }

  @Override
  protected Store newStore(Path dir) {
    return SqliteStore.open(dir);
  }

  @Override
  protected String databaseUrl(Path dir) {
    return null;
  }

  private SqliteStore sqlite() {
    return (SqliteStore) store;
  }

  @Test
  void commitsAreDurableAndForeignKeysEnforced() {
    assertThat(sqlite().writerPragma("journal_mode")).isEqualTo("wal");
    // 2 = FULL: the WAL is fsynced at every commit, so a commit survives power loss.
    assertThat(sqlite().writerPragma("synchronous")).isEqualTo("2");
    assertThat(sqlite().writerPragma("foreign_keys")).isEqualTo("1");
    assertThat(Integer.parseInt(sqlite().writerPragma("busy_timeout"))).isPositive();
    assertThat(sqlite().file()).isEqualTo(dir.resolve(SqliteStore.FILE_NAME).toAbsolutePath());
  }
}
