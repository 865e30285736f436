package org.entente.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.store.StoreTestObjects.id;
import static org.entente.store.StoreTestObjects.query;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.entente.stix.StixObject;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.EntryPage;
import org.entente.store.GroupCommitWriter;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.StatusRecord;
import org.entente.store.StoreTestObjects;
import org.entente.store.VersionSelector;
import org.entente.store.WriteOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection of 100,000 entries: ingest through the group-commit writer, then check that page
 * reads use indexes (never a full scan or a sort of the collection) and stay fast deep into it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SqliteScaleTest {
  static final String A = "11111111-1111-4111-8111-111111111111";
  static final String B = "22222222-2222-4222-8222-222222222222";
  static final int OBJECTS = 80_000;
  static final int NEW_VERSIONS = 20_000;

  SqliteStore store;

  @BeforeAll
  void load(@TempDir Path dir) throws Exception {
    store = new SqliteStore(dir.resolve("scale.db"), Clock.systemUTC(), 4);
    store.write(
        tx -> {
          tx.createApiRoot(new ApiRoot("api1", "API 1", null, 10_000_000));
          tx.createCollection(new Collection(A, "api1", "A", null, null, "amber", Instant.now()));
          tx.createCollection(new Collection(B, "api1", "B", null, null, "amber", Instant.now()));
          return null;
        });
    List<ObjectWrite> all = new ArrayList<>();
    for (int i = 0; i < OBJECTS; i++) {
      all.add(StoreTestObjects.write(i % 10 == 9 ? B : A, object(i, 1)));
    }
    for (int i = 0; i < NEW_VERSIONS; i++) {
      all.add(StoreTestObjects.write(A, object(i * 4, 2)));
    }
    long start = System.nanoTime();
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 1_000_000, 1_000)) {
      List<CompletableFuture<List<WriteOutcome>>> futures = new ArrayList<>();
      // Submissions of 100 objects, as a busy TAXII server would see them.
      for (int i = 0; i < all.size(); i += 100) {
        String statusId = "s-" + i;
        futures.add(writer.submit(all.subList(i, i + 100), outcomes -> status(statusId, outcomes)));
      }
      for (var f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "group commit ingest: %d objects in %.1f s = %.0f objects/s (batches of 1000,"
            + " synchronous=FULL)%n",
        all.size(), seconds, all.size() / seconds);
  }

  @AfterAll
  void close() {
    store.close();
  }

  static StixObject object(int i, int version) {
    return StoreTestObjects.scaleObject(i, version);
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
  void theDefaultPageQueryRangeScansAPartialIndex() {
    List<String> plan = store.explain(query(A).limit(1000).afterSeq(50_000).get());

    assertThat(plan)
        .containsExactly(
            "SEARCH e USING INDEX entry_collection_last_seq (collection_pk=? AND seq>?)",
            "SEARCH v USING INDEX sqlite_autoindex_object_version_1 (id=? AND version_key=?)");
  }

  @Test
  void aTypeFilterRangeScansTheTypeIndex() {
    assertThat(store.explain(query(A).types("indicator").get()))
        .first()
        .isEqualTo(
            "SEARCH e USING INDEX entry_collection_type_last_seq"
                + " (collection_pk=? AND type=? AND seq>?)");
  }

  @Test
  void anIdFilterSeeksTheIdsInsteadOfWalkingTheCollection() {
    List<String> plan =
        store.explain(
            query(A)
                .ids(id("indicator", 4), id("indicator", 8))
                .versions(VersionSelector.ALL)
                .get());

    assertThat(plan)
        .first()
        .isEqualTo("SEARCH e USING INDEX entry_collection_object (collection_pk=? AND id=?)");
  }

  @Test
  void noQueryShapeScansTheTableOrSortsTheCollection() {
    List<ObjectQuery> queries =
        List.of(
            query(A).get(),
            query(A).types("indicator", "malware").get(),
            query(A).versions(VersionSelector.ALL).get(),
            query(A).versions(VersionSelector.FIRST).get(),
            query(A).exact(true, true).get(),
            query(A).exact(false, true, "2024-01-01T00:00:00Z").get(),
            query(A).specVersions("2.1").get(),
            query(A).specVersions("2.0", "2.1").versions(VersionSelector.FIRST).get(),
            query(A).addedAfter(Instant.now().minusSeconds(3600)).get());
    for (ObjectQuery q : queries) {
      List<String> plan = store.explain(q);
      // A SCAN reads the whole table; a temp B-tree sorts every match before the first row.
      assertThat(plan)
          .as("plan for %s", q)
          .allSatisfy(
              line -> assertThat(line).doesNotStartWith("SCAN").doesNotContain("TEMP B-TREE"))
          .first()
          .satisfies(line -> assertThat(line).startsWith("SEARCH e USING INDEX entry_collection_"));
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
    System.out.printf("default query, page of 100 near the end: %.2f ms%n", ms);

    assertThat(ms).isLessThan(100);
  }

  @Test
  void pagesDeepInTheCollectionAreFast() {
    // Warm up, then page through the whole collection with the default query.
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
        "default query, pages of 1000 with JSON: %d pages, %d entries in %.2f s = %.0f entries/s,"
            + " %.1f ms/page%n",
        pages, entries, seconds, entries / seconds, seconds * 1000 / pages);

    // Each object once, at its last version.
    assertThat(entries).isEqualTo(OBJECTS - OBJECTS / 10);
    assertThat(seconds * 1000 / pages).isLessThan(250);
  }

  @Test
  void singleObjectCommitsArePaidForWithAnFsyncEach() {
    int n = 300;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      StixObject o = object(1_000_000 + i * 5, 1);
      store.write(tx -> tx.put(StoreTestObjects.write(B, o)));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "one object per transaction: %.0f commits/s (%.2f ms each)%n",
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
        "manifest (version=all, no JSON): %d entries in %.2f s = %.0f entries/s%n",
        entries, seconds, entries / seconds);

    assertThat(entries).isEqualTo(OBJECTS - OBJECTS / 10 + NEW_VERSIONS);
  }
}
