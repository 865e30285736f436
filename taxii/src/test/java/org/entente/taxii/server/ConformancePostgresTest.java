package org.entente.taxii.server;

import org.entente.store.TestBackend;

/** {@link ConformanceTest} on PostgreSQL. */
class ConformancePostgresTest extends ConformanceTest {
  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}
