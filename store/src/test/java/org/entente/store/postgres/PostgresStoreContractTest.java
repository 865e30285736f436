package org.entente.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.entente.store.StoreTestObjects.id;
import static org.entente.store.StoreTestObjects.indicator;
import static org.entente.store.StoreTestObjects.query;
import static org.entente.store.StoreTestObjects.write;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.entente.store.Store;
import org.entente.store.StoreContractTest;
import org.entente.store.Stores;
import org.junit.jupiter.api.Test;

/**
 * The store contract against a real PostgreSQL server ({@link TestPostgres}: embedded, or the one
 * {@code ENTENTE_TEST_POSTGRES_URL} names), a database per test, plus what only PostgreSQL has.
 */
class PostgresStoreContractTest extends StoreContractTest {
  /** The database of each test's directory. */
  private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();

  @Override
  protected Store newStore(Path dir, Clock clock) {
    return PostgresStore.open(databaseUrl(dir), clock, 2);
  }

  @Override
  protected Store newStore(Path dir) {
    return PostgresStore.open(databaseUrl(dir));
  }

  @Override
  protected String databaseUrl(Path dir) {
    return DATABASES.computeIfAbsent(dir, d -> TestPostgres.get().newDatabase());
  }

  @Override
  protected void discard(Path dir) {
    String url = DATABASES.remove(dir);
    if (url != null) {
      TestPostgres.get().drop(url);
    }
  }

  private PostgresStore postgres() {
    return (PostgresStore) store;
  }

  private Connection connect() throws SQLException {
    PostgresUrl url = PostgresUrl.parse(databaseUrl(dir));
    return DriverManager.getConnection(url.jdbcUrl());
  }

  @Test
  void commitsAreDurableAndWritersWaitBoundedly() {
    // The embedded server runs with synchronous_commit off; the writer's session raises it.
    assertThat(postgres().writerSetting("synchronous_commit"))
        .isIn("on", "remote_write", "remote_apply");
    assertThat(postgres().writerSetting("lock_timeout")).isEqualTo("1min");
    assertThat(postgres().location()).doesNotContainPattern("password=(?!\\*\\*\\*)");
  }

  @Test
  void theAuditLogIsAppendOnlyWhoeverAsks() throws Exception {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    store.write(
        tx -> tx.appendAudit(List.of(AuditEvent.of(t, "alice", "org-a", null, "x", null, null))));
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql :
          List.of(
              "UPDATE audit_event SET action = 'y'",
              "DELETE FROM audit_event",
              "TRUNCATE audit_event")) {
        assertThatThrownBy(() -> s.execute(sql)).hasMessageContaining("append-only");
      }
    }
    assertThat(store.audit(new AuditQuery(0, null, null, null, 10))).hasSize(1);
  }

  @Test
  void aLibpqUriOpensTheSameDatabase() {
    put(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z"));
    String uri = TestPostgres.get().libpqUri(databaseUrl(dir));

    try (Store other = Stores.open(uri, dir)) {
      assertThat(other).isInstanceOf(PostgresStore.class);
      assertThat(other.entries(query(A).get()).entries()).hasSize(1);
      assertThat(((PostgresStore) other).location())
          .doesNotContain(":" + PostgresUrl.parse(uri).password() + "@");
    }
  }

  @Test
  void twoStoresOnOneDatabaseShareTheCounters() {
    try (Store other = newStore(dir)) {
      long a =
          store
              .write(tx -> tx.put(write(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z"))))
              .dateAdded()
              .toEpochMilli();
      other.write(tx -> tx.put(write(A, indicator(id("indicator", 2), "2021-01-01T00:00:00Z"))));
      store.write(tx -> tx.put(write(A, indicator(id("indicator", 3), "2021-01-01T00:00:00Z"))));
      assertThat(a).isPositive();
    }
    assertThat(store.entries(query(A).get()).entries())
        .extracting(e -> e.seq())
        .containsExactly(1L, 2L, 3L);
  }
}
