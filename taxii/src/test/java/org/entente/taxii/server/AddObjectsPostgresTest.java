package org.entente.taxii.server;

import org.entente.store.TestBackend;

/** {@link AddObjectsTest} on PostgreSQL. */
class AddObjectsPostgresTest extends AddObjectsTest {
  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}
