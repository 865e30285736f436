package org.entente.taxii.server;

import org.entente.store.TestBackend;

/** {@link PaginationUnderLoadTest} on PostgreSQL. */
class PaginationUnderLoadPostgresTest extends PaginationUnderLoadTest {
  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}
