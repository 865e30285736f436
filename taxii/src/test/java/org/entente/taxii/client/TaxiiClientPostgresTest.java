package org.entente.taxii.client;

import org.entente.store.TestBackend;

/** {@link TaxiiClientTest} on PostgreSQL. */
class TaxiiClientPostgresTest extends TaxiiClientTest {
  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}
