package org.entente.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.store.StoreTestObjects.id;
import static org.entente.store.StoreTestObjects.query;
import static org.entente.store.StoreTestObjects.scaleObject;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.entente.stix.StixObject;
import org.entente.stix.marking.Tlp;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.EntryPage;
import org.entente.store.GroupCommitWriter;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.StatusRecord;
import org.entente.store.StoreTestObjects;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.WriteOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The SQLite scale test's collection on PostgreSQL: 100,000 entries ingested through the
 * group-commit writer, then page reads that must use the indexes (no sequential scan of the
 * entries, no sort of a collection) and stay fast deep into it. Statistics are gathered after the
 * load, as autovacuum would soon after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PostgresScaleTest {
  static final String A = "11111111-1111-4111-8111-111111111111";
  static final String B = "22222222-2222-4222-8222-222222222222";
  static final int OBJECTS = 80_000;
  static final int NEW_VERSIONS = 20_000;

  String url;
  PostgresStore store;

  @BeforeAll
  void load() throws Exception {
    url = TestPostgres.get().newDatabase();
    store = PostgresStore.open(url, Clock.systemUTC(), 4);
    store.write(
        tx -> {
          tx.createApiRoot(new ApiRoot("api1", "API 1", null, 10_000_000));
          tx.createCollection(new Collection(A, "api1", "A", null, null, "amber", Instant.now()));
          tx.createCollection(new Collection(B, "api1", "B", null, null, "amber", Instant.now()));
          return null;
        });
    List<ObjectWrite> all = new ArrayList<>();
    for (int i = 0; i < OBJECTS; i++) {
      all.add(StoreTestObjects.write(i % 10 == 9 ? B : A, scaleObject(i, 1)));
    }
    for (int i = 0; i < NEW_VERSIONS; i++) {
      all.add(StoreTestObjects.write(A, scaleObject(i * 4, 2)));
    }
    long start = System.nanoTime();
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 1_000_000, 1_000)) {
      List<CompletableFuture<List<WriteOutcome>>> futures = new ArrayList<>();
      for (int i = 0; i < all.size(); i += 100) {
        String statusId = "s-" + i;
        futures.add(writer.submit(all.subList(i, i + 100), outcomes -> status(statusId, outcomes)));
      }
      for (var f : futures) {
        f.get(180, TimeUnit.SECONDS);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "PostgreSQL group commit ingest: %d objects in %.1f s = %.0f objects/s (batches of 1000)%n",
        all.size(), seconds, all.size() / seconds);
    try (Connection c = DriverManager.getConnection(PostgresUrl.parse(url).jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
  }

  @AfterAll
  void close() {
    if (store != null) {
      store.close();
    }
    if (url != null) {
      TestPostgres.get().drop(url);
    }
  }

  static StatusRecord status(String id, List<WriteOutcome> outcomes) {
    List<StatusRecord.Detail> ok = new ArrayList<>();
    for (WriteOutcome o : outcomes) {
      ok.add(new StatusRecord.Detail(o.id(), o.version(), o.message()));
    }
    return new StatusRecord(
        id, "api1", "bench", Instant.now(), outcomes.size(), ok, List.of(), List.of());
  }

  @Test
  void theDefaultPageQueryWalksAnEntryIndexInSeqOrder() {
    String plan = String.join("\n", store.explain(query(A).limit(1000).afterSeq(50_000).get()));

    assertThat(plan).containsPattern("Index Scan using \\w+ on collection_entry e");
    assertThat(plan).doesNotContain("Sort");
  }

  @Test
  void anIdFilterSeeksTheIdsInsteadOfWalkingTheCollection() {
    List<String> plan =
        store.explain(
            query(A)
                .ids(id("indicator", 4), id("indicator", 8))
                .versions(VersionSelector.ALL)
                .get());

    assertThat(String.join("\n", plan))
        .contains("using entry_collection_object on collection_entry e");
  }

  /**
   * At TAXII page sizes, no query shape reads all the entries or sorts a collection (the planner
   * may choose so for a page of most of a collection, where it is cheaper).
   */
  @Test
  void noQueryShapeScansTheEntriesOrSortsTheCollection() {
    for (int limit : new int[] {100, 1000}) {
      List<ObjectQuery> queries =
          List.of(
              query(A).limit(limit).get(),
              query(A).limit(limit).types("indicator").get(),
              query(A).limit(limit).types("indicator", "malware").get(),
              query(A).limit(limit).versions(VersionSelector.ALL).get(),
              query(A).limit(limit).versions(VersionSelector.FIRST).get(),
              query(A).limit(limit).exact(true, true).get(),
              query(A).limit(limit).exact(false, true, "2024-01-01T00:00:00Z").get(),
              query(A).limit(limit).specVersions("2.1").get(),
              query(A)
                  .limit(limit)
                  .specVersions("2.0", "2.1")
                  .versions(VersionSelector.FIRST)
                  .get(),
              query(A).limit(limit).addedAfter(Instant.now().minusSeconds(3600)).get(),
              query(A).limit(limit).visibility(Visibility.of("org-b", Tlp.GREEN)).get());
      for (ObjectQuery q : queries) {
        String plan = String.join("\n", store.explain(q));
        assertThat(plan)
            .as("plan for %s", q)
            .doesNotContain("Seq Scan on collection_entry")
            .doesNotContain("Seq Scan on object_version")
            .doesNotContain("Sort");
      }
    }
  }

  @Test
  void pageReadsAtTheEndOfTheCollectionAreFast() {
    long lastSeq =
        store
            .entries(query(A).versions(VersionSelector.ALL).limit(100_000).withoutJson().get())
            .lastSeq();
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      store.entries(query(A).limit(100).afterSeq(lastSeq - 5_000).get());
    }
    double ms = (System.nanoTime() - start) / 1e6 / 100;
    System.out.printf("PostgreSQL default query, page of 100 near the end: %.2f ms%n", ms);

    assertThat(ms).isLessThan(100);
  }

  @Test
  void pagesDeepInTheCollectionAreFast() {
    store.entries(query(A).limit(1000).get());
    long start = System.nanoTime();
    long cursor = 0;
    int pages = 0;
    int entries = 0;
    EntryPage page;
    do {
      page = store.entries(query(A).limit(1000).afterSeq(cursor).get());
      cursor = page.lastSeq();
      entries += page.entries().size();
      pages++;
    } while (page.more());
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "PostgreSQL default query, pages of 1000 with JSON: %d pages, %d entries in %.2f s ="
            + " %.0f entries/s, %.1f ms/page%n",
        pages, entries, seconds, entries / seconds, seconds * 1000 / pages);

    assertThat(entries).isEqualTo(OBJECTS - OBJECTS / 10);
    assertThat(seconds * 1000 / pages).isLessThan(250);
  }

  @Test
  void singleObjectCommits() {
    int n = 300;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      StixObject o = scaleObject(1_000_000 + i * 5, 1);
      store.write(tx -> tx.put(StoreTestObjects.write(B, o)));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "PostgreSQL one object per transaction: %.0f commits/s (%.2f ms each)%n",
        n / seconds, seconds * 1000 / n);

    assertThat(seconds).isLessThan(60);
  }

  @Test
  void manifestPagesAreFast() {
    long start = System.nanoTime();
    long cursor = 0;
    int entries = 0;
    EntryPage page;
    do {
      page =
          store.entries(
              query(A)
                  .versions(VersionSelector.ALL)
                  .withoutJson()
                  .limit(1000)
                  .afterSeq(cursor)
                  .get());
      cursor = page.lastSeq();
      entries += page.entries().size();
    } while (page.more());
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "PostgreSQL manifest (version=all, no JSON): %d entries in %.2f s = %.0f entries/s%n",
        entries, seconds, entries / seconds);

    assertThat(entries).isEqualTo(OBJECTS - OBJECTS / 10 + NEW_VERSIONS);
  }
}
