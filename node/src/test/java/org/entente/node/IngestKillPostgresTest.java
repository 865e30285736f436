package org.entente.node;

import org.entente.store.TestBackend;

/** {@link IngestKillTest} on PostgreSQL: the node killed, the database server left running. */
class IngestKillPostgresTest extends IngestKillTest {
  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}
