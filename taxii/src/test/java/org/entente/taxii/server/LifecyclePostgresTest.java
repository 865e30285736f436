package org.entente.taxii.server;

import org.entente.store.TestBackend;

/** {@link LifecycleTest} on PostgreSQL. */
class LifecyclePostgresTest extends LifecycleTest {
  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}
