package org.entente.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.entente.store.StoreTestObjects.id;
import static org.entente.store.StoreTestObjects.indicator;
import static org.entente.store.StoreTestObjects.parse;
import static org.entente.store.StoreTestObjects.query;
import static org.entente.store.StoreTestObjects.write;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.Entry;
import org.entente.store.ObjectWrite;
import org.entente.store.StoreException;
import org.entente.store.WriteOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the contract cannot see of the PostgreSQL writer's bulk path (new objects go in with binary
 * COPY): every kind of value arrives as sent, and a COPY that fails dooms only its transaction.
 */
class PostgresBulkInsertTest {
  private static final String A = "11111111-1111-4111-8111-111111111111";

  private String url;
  private PostgresStore store;

  @BeforeEach
  void open() {
    url = TestPostgres.get().newDatabase();
    store = PostgresStore.open(url, Clock.systemUTC(), 2);
    store.write(
        tx -> {
          tx.createApiRoot(new ApiRoot("api1", "API 1", null, 10_000_000));
          tx.createCollection(new Collection(A, "api1", "A", null, null, "amber", Instant.now()));
          return null;
        });
  }

  @AfterEach
  void close() {
    store.close();
    TestPostgres.get().drop(url);
  }

  @Test
  void bodiesComeBackAsSentWhateverTheyHold() {
    String odd = "tab\\t newline\\n quote\\\" backslash\\\\ \u00e9\u4e2d\ud83d\ude00 nul\\u0000";
    List<ObjectWrite> writes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String description = i % 3 == 0 ? odd : "x".repeat(i * 40); // up to 12 kB: some toasted
      writes.add(
          write(
              A,
              parse(
                  "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\""
                      + id("indicator", i)
                      + "\",\"created\":\"2020-01-01T00:00:00.000Z\","
                      + "\"modified\":\"2020-01-01T00:00:00.000Z\",\"description\":\""
                      + description
                      + "\"}")));
    }
    // An SCO: no created or modified (NULL columns), its version assigned by the store.
    writes.add(
        write(
            A,
            parse(
                "{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\""
                    + id("ipv4-addr", 1)
                    + "\",\"value\":\"10.0.0.1\"}")));

    List<WriteOutcome> outcomes = store.write(tx -> tx.putAll(writes));

    assertThat(outcomes).extracting(WriteOutcome::kind).containsOnly(WriteOutcome.Kind.ADDED);
    List<Entry> entries = store.entries(query(A).get()).entries();
    assertThat(entries).hasSize(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      assertThat(entries.get(i).id()).isEqualTo(writes.get(i).object().id());
      assertThat(entries.get(i).json()).isEqualTo(writes.get(i).json());
      assertThat(entries.get(i).version()).isEqualTo(outcomes.get(i).version());
    }
  }

  @Test
  void aCopyThatFailsDoomsItsTransactionOnly() throws Exception {
    // Tables that disagree: an entry without its version, so the writer takes the id for new.
    try (Connection c = DriverManager.getConnection(PostgresUrl.parse(url).jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO collection_entry (seq, collection_pk, id, version_key, type, spec_version,"
              + " date_added, newest_spec, first_of_newest, last_of_newest)"
              + " SELECT 1000000, pk, '"
              + id("indicator", 1)
              + "', '2020-01-01T00:00:00.000000000Z', 'indicator', '2.1', 0, TRUE, TRUE, TRUE"
              + " FROM collection");
    }
    ObjectWrite clash = write(A, indicator(id("indicator", 1), "2020-01-01T00:00:00.000Z"));
    ObjectWrite other = write(A, indicator(id("indicator", 2), "2020-01-01T00:00:00.000Z"));

    assertThatThrownBy(() -> store.write(tx -> tx.putAll(List.of(other, clash))))
        .isInstanceOf(StoreException.class);

    assertThat(store.entries(query(A).ids(id("indicator", 2)).get()).entries()).isEmpty();
    store.write(tx -> tx.putAll(List.of(other)));
    assertThat(store.entries(query(A).ids(id("indicator", 2)).get()).entries()).hasSize(1);
  }
}
