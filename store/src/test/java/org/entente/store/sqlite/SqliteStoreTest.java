package org.entente.store.sqlite;

import java.nio.file.Path;
import org.entente.store.Store;
import org.entente.store.StoreContractTest;

/** The store contract against real SQLite files. */
class SqliteStoreTest extends StoreContractTest {
  @Override
  protected Store newStore(Path dir) {
    return SqliteStore.open(dir);
  }
}
