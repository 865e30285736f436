package org.entente.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.entente.store.StoreTestObjects.id;
import static org.entente.store.StoreTestObjects.indicator;
import static org.entente.store.StoreTestObjects.ipv4;
import static org.entente.store.StoreTestObjects.key;
import static org.entente.store.StoreTestObjects.parse;
import static org.entente.store.StoreTestObjects.query;
import static org.entente.store.StoreTestObjects.sdo;
import static org.entente.store.StoreTestObjects.versions;
import static org.entente.store.StoreTestObjects.write;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.entente.stix.StixObject;
import org.entente.stix.marking.Tlp;
import org.entente.store.CollectionGrant.GranteeKind;
import org.entente.store.StatusRecord.Detail;
import org.entente.store.WriteOutcome.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Store} implementation must have. An implementation's test extends this
 * class and says how to open its store on a directory; opening the same directory again must give
 * back the same data, and a second store opened on it at the same time stands for another process
 * sharing the data (the CLI beside a server, or several servers on one database).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class StoreContractTest {
  protected static final String A = "11111111-1111-4111-8111-111111111111";
  protected static final String B = "22222222-2222-4222-8222-222222222222";

  @TempDir protected Path dir;
  protected Store store;

  /**
   * Opens the store kept in {@code dir}, creating it when the directory is empty; its date_added
   * values come from {@code clock}.
   */
  protected abstract Store newStore(Path dir, Clock clock);

  /** Opens the store kept in {@code dir} on the system clock. */
  protected Store newStore(Path dir) {
    return newStore(dir, Clock.systemUTC());
  }

  /**
   * What another process passes to {@link Stores#open} to open the store kept in {@code dir}, with
   * {@code dir} as its data directory: null for an embedded store in the directory itself.
   */
  protected abstract String databaseUrl(Path dir);

  /** Releases what {@code dir}'s store holds outside the directory, once its test has closed it. */
  protected void discard(Path dir) {}

  @BeforeEach
  void openStore() {
    store = newStore(dir);
    store.write(
        tx -> {
          tx.createApiRoot(new ApiRoot("api1", "API 1", null, 10_000_000));
          tx.createCollection(collection(A, "api1", "alias-a"));
          tx.createCollection(collection(B, "api1", null));
          return null;
        });
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
    discard(dir);
  }

  protected Store reopen() {
    store.close();
    store = newStore(dir);
    return store;
  }

  static Collection collection(String id, String apiRoot, String alias) {
    return new Collection(
        id, apiRoot, "title " + id, null, alias, "amber", Instant.parse("2026-01-01T00:00:00Z"));
  }

  protected WriteOutcome put(String collectionId, StixObject object) {
    return store.write(tx -> tx.put(write(collectionId, object)));
  }

  protected EntryPage page(StoreTestObjects.Query q) {
    return store.entries(q.get());
  }

  // ---- put: versions, duplicates, conflicts ----------------------------------------------

  @Test
  void putAddsAnEntryWithItsVersionAndDateAdded() {
    StixObject o = indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z");
    Instant before = Instant.now().minusSeconds(1);

    WriteOutcome outcome = put(A, o);

    assertThat(outcome.kind()).isEqualTo(Kind.ADDED);
    assertThat(outcome.success()).isTrue();
    assertThat(outcome.id()).isEqualTo(o.id());
    assertThat(outcome.version()).isEqualTo("2021-01-01T00:00:00.000Z");
    assertThat(outcome.dateAdded()).isAfter(before);
    Entry e = page(query(A)).entries().get(0);
    assertThat(e.id()).isEqualTo(o.id());
    assertThat(e.type()).isEqualTo("indicator");
    assertThat(e.version()).isEqualTo("2021-01-01T00:00:00.000Z");
    assertThat(e.specVersion()).isEqualTo("2.1");
    assertThat(e.dateAdded()).isEqualTo(outcome.dateAdded());
    assertThat(e.producerOrg()).isEqualTo("org-a");
    assertThat(e.json()).isEqualTo(o.toJson());
  }

  @Test
  void reingestingTheSameVersionIsADuplicateWithTheOriginalDateAdded() {
    StixObject o = indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z");
    WriteOutcome first = put(A, o);

    WriteOutcome again = put(A, o);

    assertThat(again.kind()).isEqualTo(Kind.DUPLICATE);
    assertThat(again.success()).isTrue();
    assertThat(again.message()).containsIgnoringCase("already");
    assertThat(again.dateAdded()).isEqualTo(first.dateAdded());
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(page(query(A).versions(VersionSelector.ALL)).entries()).hasSize(1);
  }

  @Test
  void aDuplicateWithOtherKeyOrderAndSpacingIsStillADuplicate() {
    String id = id("indicator", 1);
    put(A, indicator(id, "2021-01-01T00:00:00.000Z"));
    StixObject reordered =
        parse(
            "{ \"name\": \"x\", \"modified\": \"2021-01-01T00:00:00.000Z\", \"id\": \""
                + id
                + "\", \"created\": \"2020-01-01T00:00:00.000Z\", \"spec_version\": \"2.1\","
                + " \"type\": \"indicator\" }");

    assertThat(put(A, reordered).kind()).isEqualTo(Kind.DUPLICATE);
  }

  @Test
  void sameIdAndModifiedWithADifferentBodyIsAConflict() {
    String id = id("indicator", 1);
    put(A, sdo("indicator", id, "2021-01-01T00:00:00.000Z", "2.1", "original"));

    WriteOutcome outcome = put(A, sdo("indicator", id, "2021-01-01T00:00:00.000Z", "2.1", "other"));

    assertThat(outcome.kind()).isEqualTo(Kind.CONFLICT);
    assertThat(outcome.success()).isFalse();
    assertThat(outcome.dateAdded()).isNull();
    assertThat(outcome.message()).contains(id).contains("2021-01-01T00:00:00.000Z");
    assertThat(page(query(A)).entries())
        .singleElement()
        .satisfies(e -> assertThat(e.json()).contains("original"));
  }

  @Test
  void aConflictIsDetectedAcrossCollectionsAndPrecisions() {
    String id = id("indicator", 1);
    put(A, sdo("indicator", id, "2021-01-01T00:00:00.000Z", "2.1", "original"));

    // The same instant written with another precision is the same version.
    WriteOutcome outcome = put(B, sdo("indicator", id, "2021-01-01T00:00:00Z", "2.1", "other"));

    assertThat(outcome.kind()).isEqualTo(Kind.CONFLICT);
    assertThat(page(query(B)).entries()).isEmpty();
  }

  @Test
  void theSameObjectInTwoCollectionsIsAddedToEachWithItsOwnDateAdded() {
    StixObject o = indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z");
    WriteOutcome inA = put(A, o);

    WriteOutcome inB = put(B, o);

    assertThat(inB.kind()).isEqualTo(Kind.ADDED);
    assertThat(inB.dateAdded()).isAfter(inA.dateAdded());
    assertThat(put(B, o).kind()).isEqualTo(Kind.DUPLICATE);
    assertThat(page(query(A)).entries())
        .singleElement()
        .satisfies(e -> assertThat(e.dateAdded()).isEqualTo(inA.dateAdded()));
    assertThat(page(query(B)).entries())
        .singleElement()
        .satisfies(e -> assertThat(e.dateAdded()).isEqualTo(inB.dateAdded()));
  }

  @Test
  void eachEntryNamesTheOrganisationThatAddedItToItsCollection() {
    StixObject o = indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z");
    store.write(tx -> tx.put(ObjectWrite.of(A, o, "org-a", "alice")));
    store.write(tx -> tx.put(ObjectWrite.of(B, o, "org-b", "bob")));
    store.write(tx -> tx.put(ObjectWrite.of(A, o, "org-c", "carol")));

    assertThat(page(query(A)).entries()).extracting(Entry::producerOrg).containsExactly("org-a");
    assertThat(page(query(B)).entries()).extracting(Entry::producerOrg).containsExactly("org-b");
  }

  @Test
  void theVersionIsModifiedElseCreated() {
    String id = id("marking-definition", 1);
    StixObject createdOnly =
        parse(
            "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\""
                + id
                + "\",\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\","
                + "\"definition\":{\"tlp\":\"green\"}}");

    WriteOutcome outcome = put(A, createdOnly);

    assertThat(outcome.version()).isEqualTo("2017-01-20T00:00:00.000Z");
    assertThat(page(query(A).exact(false, false, "2017-01-20T00:00:00Z")).entries()).hasSize(1);
  }

  @Test
  void newVersionsOfAnObjectAreSeparateEntries() {
    String id = id("indicator", 1);
    put(A, indicator(id, "2021-01-01T00:00:00.000Z"));
    put(A, indicator(id, "2021-03-01T00:00:00.000Z"));
    put(A, indicator(id, "2021-02-01T00:00:00.000Z"));

    assertThat(versions(page(query(A).versions(VersionSelector.ALL))))
        .containsExactly(
            id + "@2021-01-01T00:00:00.000Z",
            id + "@2021-03-01T00:00:00.000Z",
            id + "@2021-02-01T00:00:00.000Z");
    assertThat(versions(page(query(A)))).containsExactly(id + "@2021-03-01T00:00:00.000Z");
  }

  @Test
  void anScoWithTheSameBodyIsTheSameVersion() {
    String id = id("ipv4-addr", 1);
    WriteOutcome first = put(A, ipv4(id, "198.51.100.1"));

    WriteOutcome again = put(A, ipv4(id, "198.51.100.1"));
    WriteOutcome inB = put(B, ipv4(id, "198.51.100.1"));

    assertThat(first.kind()).isEqualTo(Kind.ADDED);
    // A server-assigned version is the date_added of the version's first entry.
    assertThat(first.version()).isEqualTo(taxiiText(first.dateAdded()));
    assertThat(again.kind()).isEqualTo(Kind.DUPLICATE);
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(inB.kind()).isEqualTo(Kind.ADDED);
    assertThat(inB.version()).isEqualTo(first.version());
    assertThat(page(query(B)).entries().get(0).version()).isEqualTo(first.version());
  }

  @Test
  void anScoWithADifferentBodyIsANewVersionNamedByItsDateAdded() {
    String id = id("ipv4-addr", 1);
    WriteOutcome v1 = put(A, ipv4(id, "198.51.100.1"));

    WriteOutcome v2 = put(A, ipv4(id, "198.51.100.2"));

    assertThat(v2.kind()).isEqualTo(Kind.ADDED);
    assertThat(v2.version()).isEqualTo(taxiiText(v2.dateAdded())).isNotEqualTo(v1.version());
    assertThat(versions(page(query(A).versions(VersionSelector.ALL))))
        .containsExactly(id + "@" + v1.version(), id + "@" + v2.version());
    assertThat(versions(page(query(A)))).containsExactly(id + "@" + v2.version());
    // Re-sending the first body is that version again, not a third one.
    assertThat(put(A, ipv4(id, "198.51.100.1")).version()).isEqualTo(v1.version());
    assertThat(page(query(A).exact(false, false, v1.version())).entries()).hasSize(1);
  }

  static String taxiiText(Instant instant) {
    return org.entente.stix.StixTimestamp.taxii(instant);
  }

  @Test
  void putIntoAnUnknownCollectionFailsAndKeepsNothing() {
    StixObject o = indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z");

    assertThatThrownBy(() -> put("99999999-9999-4999-8999-999999999999", o))
        .isInstanceOf(NotFoundException.class);
    assertThat(page(query(A)).entries()).isEmpty();
  }

  // ---- entries: filters -------------------------------------------------------------------

  /** Three indicators with three versions each and a malware with two; all in A. */
  private void threeIndicatorsAndAMalware() {
    store.write(
        tx -> {
          for (int v = 1; v <= 3; v++) {
            for (int i = 1; i <= 3; i++) {
              tx.put(write(A, indicator(id("indicator", i), "2021-0" + v + "-01T00:00:00.000Z")));
            }
          }
          tx.put(
              write(A, sdo("malware", id("malware", 1), "2021-05-01T00:00:00.000Z", "2.1", "m")));
          tx.put(
              write(A, sdo("malware", id("malware", 1), "2021-06-01T00:00:00.000Z", "2.1", "m")));
          return null;
        });
  }

  @Test
  void theDefaultQueryReturnsEachObjectsLastVersionInDateAddedOrder() {
    threeIndicatorsAndAMalware();

    EntryPage page = page(query(A));

    assertThat(versions(page))
        .containsExactly(
            id("indicator", 1) + "@2021-03-01T00:00:00.000Z",
            id("indicator", 2) + "@2021-03-01T00:00:00.000Z",
            id("indicator", 3) + "@2021-03-01T00:00:00.000Z",
            id("malware", 1) + "@2021-06-01T00:00:00.000Z");
    assertThat(page.more()).isFalse();
    assertIncreasing(page);
  }

  @Test
  void filtersByIds() {
    threeIndicatorsAndAMalware();

    assertThat(versions(page(query(A).ids(id("indicator", 2)))))
        .containsExactly(id("indicator", 2) + "@2021-03-01T00:00:00.000Z");
    assertThat(versions(page(query(A).ids(id("indicator", 3), id("malware", 1), "nope--x"))))
        .containsExactly(
            id("indicator", 3) + "@2021-03-01T00:00:00.000Z",
            id("malware", 1) + "@2021-06-01T00:00:00.000Z");
  }

  @Test
  void filtersByTypes() {
    threeIndicatorsAndAMalware();

    assertThat(versions(page(query(A).types("malware"))))
        .containsExactly(id("malware", 1) + "@2021-06-01T00:00:00.000Z");
    assertThat(page(query(A).types("indicator", "malware")).entries()).hasSize(4);
    assertThat(page(query(A).types("x-unknown-type")).entries()).isEmpty();
  }

  @Test
  void versionFirstAllAndExact() {
    threeIndicatorsAndAMalware();
    String i1 = id("indicator", 1);

    assertThat(versions(page(query(A).ids(i1).versions(VersionSelector.FIRST))))
        .containsExactly(i1 + "@2021-01-01T00:00:00.000Z");
    assertThat(versions(page(query(A).ids(i1).versions(VersionSelector.ALL))))
        .containsExactly(
            i1 + "@2021-01-01T00:00:00.000Z",
            i1 + "@2021-02-01T00:00:00.000Z",
            i1 + "@2021-03-01T00:00:00.000Z");
    assertThat(versions(page(query(A).ids(i1).exact(false, false, "2021-02-01T00:00:00Z"))))
        .containsExactly(i1 + "@2021-02-01T00:00:00.000Z");
    assertThat(page(query(A).exact(false, false, "2030-01-01T00:00:00Z")).entries()).isEmpty();
  }

  @Test
  void versionSelectorsCombineAsAUnion() {
    threeIndicatorsAndAMalware();
    String i1 = id("indicator", 1);
    String m1 = id("malware", 1);

    assertThat(versions(page(query(A).ids(i1, m1).exact(true, true))))
        .containsExactly(
            i1 + "@2021-01-01T00:00:00.000Z",
            i1 + "@2021-03-01T00:00:00.000Z",
            m1 + "@2021-05-01T00:00:00.000Z",
            m1 + "@2021-06-01T00:00:00.000Z");
    assertThat(versions(page(query(A).ids(i1).exact(true, false, "2021-02-01T00:00:00.000Z"))))
        .containsExactly(i1 + "@2021-01-01T00:00:00.000Z", i1 + "@2021-02-01T00:00:00.000Z");
    assertThat(versions(page(query(A).ids(i1).exact(false, true, "2021-03-01T00:00:00.000Z"))))
        .containsExactly(i1 + "@2021-03-01T00:00:00.000Z");
  }

  @Test
  void firstAndLastAreByVersionNotByDateAdded() {
    String id = id("indicator", 1);
    put(A, indicator(id, "2021-03-01T00:00:00.000Z"));
    put(A, indicator(id, "2021-01-01T00:00:00.000Z"));

    assertThat(versions(page(query(A)))).containsExactly(id + "@2021-03-01T00:00:00.000Z");
    assertThat(versions(page(query(A).versions(VersionSelector.FIRST))))
        .containsExactly(id + "@2021-01-01T00:00:00.000Z");
  }

  /** One object in spec 2.0 (two versions) and 2.1 (one version), and one only in 2.0. */
  private void mixedSpecVersions() {
    store.write(
        tx -> {
          tx.put(
              write(
                  A, sdo("indicator", id("indicator", 1), "2020-06-01T00:00:00.000Z", "2.0", "a")));
          tx.put(
              write(
                  A, sdo("indicator", id("indicator", 1), "2020-07-01T00:00:00.000Z", "2.0", "a")));
          tx.put(
              write(
                  A, sdo("indicator", id("indicator", 1), "2021-01-01T00:00:00.000Z", "2.1", "a")));
          tx.put(
              write(
                  A, sdo("indicator", id("indicator", 2), "2020-06-01T00:00:00.000Z", "2.0", "b")));
          return null;
        });
  }

  @Test
  void byDefaultOnlyTheNewestSpecVersionOfEachObjectCounts() {
    mixedSpecVersions();
    String i1 = id("indicator", 1);
    String i2 = id("indicator", 2);

    assertThat(versions(page(query(A))))
        .containsExactly(i1 + "@2021-01-01T00:00:00.000Z", i2 + "@2020-06-01T00:00:00.000Z");
    assertThat(versions(page(query(A).versions(VersionSelector.ALL))))
        .containsExactly(i1 + "@2021-01-01T00:00:00.000Z", i2 + "@2020-06-01T00:00:00.000Z");
    assertThat(versions(page(query(A).versions(VersionSelector.FIRST))))
        .containsExactly(i1 + "@2021-01-01T00:00:00.000Z", i2 + "@2020-06-01T00:00:00.000Z");
    assertThat(page(query(A).exact(false, false, "2020-07-01T00:00:00Z")).entries()).isEmpty();
  }

  @Test
  void listedSpecVersionsSelectThoseAndFirstLastAreAmongThem() {
    mixedSpecVersions();
    String i1 = id("indicator", 1);
    String i2 = id("indicator", 2);

    assertThat(versions(page(query(A).specVersions("2.0"))))
        .containsExactly(i1 + "@2020-07-01T00:00:00.000Z", i2 + "@2020-06-01T00:00:00.000Z");
    assertThat(versions(page(query(A).specVersions("2.0").versions(VersionSelector.FIRST))))
        .containsExactly(i1 + "@2020-06-01T00:00:00.000Z", i2 + "@2020-06-01T00:00:00.000Z");
    assertThat(versions(page(query(A).specVersions("2.0", "2.1").versions(VersionSelector.ALL))))
        .hasSize(4);
    assertThat(versions(page(query(A).specVersions("2.0", "2.1").versions(VersionSelector.FIRST))))
        .containsExactly(i1 + "@2020-06-01T00:00:00.000Z", i2 + "@2020-06-01T00:00:00.000Z");
    assertThat(
            versions(
                page(query(A).specVersions("2.1").exact(false, false, "2020-06-01T00:00:00Z"))))
        .isEmpty();
    assertThat(
            versions(page(query(A).specVersions("2.0").exact(false, true, "2020-06-01T00:00:00Z"))))
        .containsExactly(
            i1 + "@2020-06-01T00:00:00.000Z",
            i1 + "@2020-07-01T00:00:00.000Z",
            i2 + "@2020-06-01T00:00:00.000Z");
  }

  @Test
  void addedAfterIsStrict() {
    List<WriteOutcome> outcomes = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      outcomes.add(put(A, indicator(id("indicator", i), "2021-01-01T00:00:00.000Z")));
    }

    EntryPage page = page(query(A).addedAfter(outcomes.get(1).dateAdded()));

    assertThat(page.entries())
        .extracting(Entry::id)
        .containsExactly(id("indicator", 3), id("indicator", 4), id("indicator", 5));
    assertThat(page(query(A).addedAfter(outcomes.get(4).dateAdded())).entries()).isEmpty();
    assertThat(page(query(A).addedAfter(outcomes.get(0).dateAdded().minusNanos(1))).entries())
        .hasSize(5);
  }

  @Test
  void addedAfterFiltersTheSelectedVersionsButDoesNotChangeWhichIsFirstOrLast() {
    String id = id("indicator", 1);
    put(A, indicator(id, "2021-02-01T00:00:00.000Z"));
    WriteOutcome mid = put(A, indicator(id, "2021-03-01T00:00:00.000Z"));
    put(A, indicator(id, "2021-01-01T00:00:00.000Z"));

    // The last version (March) was added before the cutoff, so nothing is returned, not February.
    assertThat(page(query(A).addedAfter(mid.dateAdded())).entries()).isEmpty();
    assertThat(versions(page(query(A).addedAfter(mid.dateAdded()).versions(VersionSelector.FIRST))))
        .containsExactly(id + "@2021-01-01T00:00:00.000Z");
  }

  @Test
  void filtersCombine() {
    threeIndicatorsAndAMalware();
    mixedSpecVersionsInB();
    Instant cutoff =
        page(query(A).ids(id("indicator", 2)).versions(VersionSelector.FIRST))
            .entries()
            .get(0)
            .dateAdded();

    EntryPage page =
        page(
            query(A)
                .ids(id("indicator", 1), id("indicator", 3), id("malware", 1))
                .types("indicator")
                .versions(VersionSelector.ALL)
                .addedAfter(cutoff));

    assertThat(versions(page))
        .containsExactly(
            id("indicator", 3) + "@2021-01-01T00:00:00.000Z",
            id("indicator", 1) + "@2021-02-01T00:00:00.000Z",
            id("indicator", 3) + "@2021-02-01T00:00:00.000Z",
            id("indicator", 1) + "@2021-03-01T00:00:00.000Z",
            id("indicator", 3) + "@2021-03-01T00:00:00.000Z");
    // Other collections never leak in.
    assertThat(page(query(B).types("malware")).entries()).isEmpty();
  }

  private void mixedSpecVersionsInB() {
    put(B, sdo("indicator", id("indicator", 1), "2020-06-01T00:00:00.000Z", "2.0", "b"));
  }

  @Test
  void manifestQueriesCarryNoJson() {
    put(A, indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z"));

    Entry e = page(query(A).withoutJson()).entries().get(0);

    assertThat(e.json()).isNull();
    assertThat(e.version()).isEqualTo("2021-01-01T00:00:00.000Z");
  }

  @Test
  void anUnknownCollectionHasNoEntries() {
    assertThat(page(query("99999999-9999-4999-8999-999999999999")).entries()).isEmpty();
  }

  // ---- entries: pagination ----------------------------------------------------------------

  @Test
  void limitCutsThePageAndMoreSaysSo() {
    for (int i = 1; i <= 5; i++) {
      put(A, indicator(id("indicator", i), "2021-01-01T00:00:00.000Z"));
    }

    EntryPage first = page(query(A).limit(2));
    EntryPage second = page(query(A).limit(2).afterSeq(first.lastSeq()));
    EntryPage third = page(query(A).limit(2).afterSeq(second.lastSeq()));
    EntryPage exact = page(query(A).limit(5));

    assertThat(first.entries()).hasSize(2);
    assertThat(first.more()).isTrue();
    assertThat(second.entries()).hasSize(2);
    assertThat(second.more()).isTrue();
    assertThat(third.entries()).hasSize(1);
    assertThat(third.more()).isFalse();
    assertThat(exact.entries()).hasSize(5);
    assertThat(exact.more()).isFalse();
    List<String> ids = new ArrayList<>();
    for (EntryPage p : List.of(first, second, third)) {
      p.entries().forEach(e -> ids.add(e.id()));
    }
    assertThat(ids)
        .containsExactly(
            id("indicator", 1),
            id("indicator", 2),
            id("indicator", 3),
            id("indicator", 4),
            id("indicator", 5));
    assertThat(page(query(A).afterSeq(third.lastSeq())).entries()).isEmpty();
  }

  @Test
  void moreCountsOnlyMatchingEntries() {
    put(A, indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z"));
    put(A, sdo("malware", id("malware", 1), "2021-01-01T00:00:00.000Z", "2.1", "m"));

    EntryPage page = page(query(A).types("indicator").limit(1));

    assertThat(page.entries()).hasSize(1);
    assertThat(page.more()).isFalse();
  }

  @Test
  void pagingWhileWritesContinueNeitherSkipsNorRepeats() throws Exception {
    int total = 2_000;
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> writerError = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                SplittableRandom random = new SplittableRandom(42);
                int n = 0;
                while (n < total) {
                  int batch = 1 + random.nextInt(7);
                  int start = n;
                  store.write(
                      tx -> {
                        for (int i = start; i < start + batch; i++) {
                          // Every third write is a new version of an earlier object.
                          int obj = i % 3 == 0 && i > 0 ? i / 3 : i;
                          tx.put(write(A, indicator(id("indicator", obj), modified(i))));
                        }
                        return null;
                      });
                  n += batch;
                }
              } catch (Throwable t) {
                writerError.set(t);
              } finally {
                done.set(true);
              }
            });
    writer.start();

    List<Entry> seen = new ArrayList<>();
    long cursor = 0;
    while (true) {
      boolean finished = done.get();
      EntryPage p = page(query(A).versions(VersionSelector.ALL).limit(37).afterSeq(cursor));
      seen.addAll(p.entries());
      if (!p.entries().isEmpty()) {
        cursor = p.lastSeq();
      }
      if (finished && !p.more()) {
        break;
      }
    }
    writer.join();

    assertThat(writerError.get()).isNull();
    List<Entry> all = page(query(A).versions(VersionSelector.ALL).limit(100_000)).entries();
    assertThat(all).hasSizeGreaterThanOrEqualTo(total - 7);
    assertThat(seen)
        .extracting(Entry::seq)
        .containsExactlyElementsOf(all.stream().map(Entry::seq).toList());
    assertIncreasing(new EntryPage(seen, false));
  }

  private static String modified(int i) {
    return Instant.parse("2021-01-01T00:00:00Z").plusSeconds(i).toString();
  }

  static void assertIncreasing(EntryPage page) {
    List<Entry> entries = page.entries();
    for (int i = 1; i < entries.size(); i++) {
      assertThat(entries.get(i).seq()).isGreaterThan(entries.get(i - 1).seq());
      assertThat(entries.get(i).dateAdded()).isAfter(entries.get(i - 1).dateAdded());
    }
  }

  @Test
  void dateAddedStrictlyIncreasesAtMicrosecondsAcrossReopen() {
    List<Instant> added = new ArrayList<>();
    store.write(
        tx -> {
          for (int i = 0; i < 200; i++) {
            added.add(
                tx.put(write(A, indicator(id("indicator", i), "2021-01-01T00:00:00Z")))
                    .dateAdded());
          }
          return null;
        });
    reopen();
    added.add(put(B, indicator(id("indicator", 1), "2021-01-01T00:00:00Z")).dateAdded());

    for (int i = 1; i < added.size(); i++) {
      assertThat(added.get(i)).isAfter(added.get(i - 1));
      assertThat(added.get(i).getNano() % 1_000).isZero();
    }
  }

  @Test
  void sequenceNumbersAreNotReusedAfterTheNewestEntriesAreDeleted() {
    put(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z"));
    WriteOutcome deleted = put(A, indicator(id("indicator", 2), "2021-01-01T00:00:00Z"));
    long deletedSeq = page(query(A)).lastSeq();
    store.write(
        tx ->
            tx.delete(
                A,
                id("indicator", 2),
                VersionSelector.ALL,
                SpecVersions.NEWEST,
                Visibility.EVERYTHING));
    reopen();

    WriteOutcome next = put(A, indicator(id("indicator", 3), "2021-01-01T00:00:00Z"));

    assertThat(page(query(A)).lastSeq()).isGreaterThan(deletedSeq);
    assertThat(next.dateAdded()).isAfter(deleted.dateAdded());
  }

  // ---- delete -----------------------------------------------------------------------------

  private void threeVersions(String collectionId, String id) {
    store.write(
        tx -> {
          for (int v = 1; v <= 3; v++) {
            tx.put(write(collectionId, indicator(id, "2021-0" + v + "-01T00:00:00.000Z")));
          }
          return null;
        });
  }

  private int delete(String collectionId, String id, VersionSelector v, SpecVersions s) {
    return delete(collectionId, id, v, s, Visibility.EVERYTHING);
  }

  private int delete(
      String collectionId, String id, VersionSelector v, SpecVersions s, Visibility visibility) {
    return store.write(tx -> tx.delete(collectionId, id, v, s, visibility));
  }

  @Test
  void deletingAllVersionsRemovesTheObjectFromTheCollectionOnly() {
    String id = id("indicator", 1);
    threeVersions(A, id);
    threeVersions(B, id);
    put(A, indicator(id("indicator", 2), "2021-01-01T00:00:00.000Z"));

    int removed = delete(A, id, VersionSelector.ALL, SpecVersions.NEWEST);

    assertThat(removed).isEqualTo(3);
    assertThat(page(query(A).ids(id).versions(VersionSelector.ALL)).entries()).isEmpty();
    assertThat(page(query(A)).entries()).extracting(Entry::id).containsExactly(id("indicator", 2));
    assertThat(page(query(B).versions(VersionSelector.ALL)).entries())
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.json()).isNotNull());
  }

  @Test
  void deletingTheLastVersionMakesThePreviousOneLast() {
    String id = id("indicator", 1);
    threeVersions(A, id);

    assertThat(delete(A, id, VersionSelector.LAST, SpecVersions.NEWEST)).isEqualTo(1);

    assertThat(versions(page(query(A)))).containsExactly(id + "@2021-02-01T00:00:00.000Z");
    assertThat(versions(page(query(A).versions(VersionSelector.ALL))))
        .containsExactly(id + "@2021-01-01T00:00:00.000Z", id + "@2021-02-01T00:00:00.000Z");
  }

  @Test
  void deletingTheFirstOrAnExactVersion() {
    String id = id("indicator", 1);
    threeVersions(A, id);

    assertThat(delete(A, id, VersionSelector.FIRST, SpecVersions.NEWEST)).isEqualTo(1);
    assertThat(versions(page(query(A).versions(VersionSelector.FIRST))))
        .containsExactly(id + "@2021-02-01T00:00:00.000Z");
    VersionSelector exact =
        new VersionSelector(false, false, false, Set.of(key("2021-03-01T00:00:00Z")));
    assertThat(delete(A, id, exact, SpecVersions.NEWEST)).isEqualTo(1);
    assertThat(versions(page(query(A).versions(VersionSelector.ALL))))
        .containsExactly(id + "@2021-02-01T00:00:00.000Z");
  }

  @Test
  void deletingBySpecVersion() {
    mixedSpecVersions();
    String i1 = id("indicator", 1);

    // The default spec version (newest, 2.1) leaves the 2.0 versions, which become the newest.
    assertThat(delete(A, i1, VersionSelector.ALL, SpecVersions.NEWEST)).isEqualTo(1);
    assertThat(versions(page(query(A).ids(i1)))).containsExactly(i1 + "@2020-07-01T00:00:00.000Z");
    assertThat(delete(A, i1, VersionSelector.ALL, new SpecVersions(Set.of("2.0")))).isEqualTo(2);
    assertThat(
            page(query(A).ids(i1).specVersions("2.0", "2.1").versions(VersionSelector.ALL))
                .entries())
        .isEmpty();
  }

  @Test
  void deletingSomethingAbsentRemovesNothing() {
    threeVersions(A, id("indicator", 1));

    assertThat(delete(A, id("indicator", 9), VersionSelector.ALL, SpecVersions.NEWEST)).isZero();
    VersionSelector exact =
        new VersionSelector(false, false, false, Set.of(key("2030-01-01T00:00:00Z")));
    assertThat(delete(A, id("indicator", 1), exact, SpecVersions.NEWEST)).isZero();
    assertThat(page(query(A).versions(VersionSelector.ALL)).entries()).hasSize(3);
  }

  @Test
  void aDeletedVersionCanBeAddedAgainAsANewEntryWithAnotherBody() {
    String id = id("indicator", 1);
    WriteOutcome first = put(A, sdo("indicator", id, "2021-01-01T00:00:00.000Z", "2.1", "one"));
    delete(A, id, VersionSelector.ALL, SpecVersions.NEWEST);

    // No collection holds the version any more, so it is forgotten: a new body is no conflict.
    WriteOutcome again = put(A, sdo("indicator", id, "2021-01-01T00:00:00.000Z", "2.1", "two"));

    assertThat(again.kind()).isEqualTo(Kind.ADDED);
    assertThat(again.dateAdded()).isAfter(first.dateAdded());
    assertThat(page(query(A)).entries().get(0).json()).contains("two");
  }

  @Test
  void aVersionStillHeldElsewhereKeepsItsBody() {
    String id = id("indicator", 1);
    put(A, sdo("indicator", id, "2021-01-01T00:00:00.000Z", "2.1", "one"));
    put(B, sdo("indicator", id, "2021-01-01T00:00:00.000Z", "2.1", "one"));
    delete(A, id, VersionSelector.ALL, SpecVersions.NEWEST);

    WriteOutcome again = put(A, sdo("indicator", id, "2021-01-01T00:00:00.000Z", "2.1", "two"));

    assertThat(again.kind()).isEqualTo(Kind.CONFLICT);
  }

  // ---- transactions -----------------------------------------------------------------------

  @Test
  void aFailedTransactionKeepsNothing() {
    assertThatThrownBy(
            () ->
                store.write(
                    tx -> {
                      tx.put(write(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z")));
                      tx.createOrganisation(new Organisation("org-x", null, null, false));
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");

    assertThat(page(query(A)).entries()).isEmpty();
    assertThat(store.organisation("org-x")).isEmpty();
    // The store is still usable and the failed transaction's numbers are not skipped wrongly.
    assertThat(put(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z")).kind())
        .isEqualTo(Kind.ADDED);
  }

  @Test
  void aFailedOperationRollsBackItsTransactionEvenWhenCaught() {
    store.write(tx -> tx.createOrganisation(new Organisation("org-a", null, null, false)));

    assertThatThrownBy(
            () ->
                store.write(
                    tx -> {
                      tx.createOrganisation(new Organisation("org-b", null, null, false));
                      try {
                        tx.createOrganisation(new Organisation("org-a", null, null, false));
                      } catch (AlreadyExistsException expected) {
                        // swallowed on purpose
                      }
                      return null;
                    }))
        .isInstanceOf(StoreException.class)
        .hasCauseInstanceOf(AlreadyExistsException.class);

    assertThat(store.organisation("org-b")).isEmpty();
  }

  @Test
  void writeTransactionsDoNotNest() {
    assertThatThrownBy(() -> store.write(tx -> store.write(inner -> null)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTransactionCannotBeUsedAfterItEnds() {
    WriteTransaction leaked = store.write(tx -> tx);

    assertThatThrownBy(() -> leaked.createOrganisation(new Organisation("x", null, null, false)))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---- statuses ---------------------------------------------------------------------------

  static StatusRecord status(String id, Instant requested, int successes, int failures) {
    List<Detail> ok = new ArrayList<>();
    for (int i = 0; i < successes; i++) {
      ok.add(new Detail(id("indicator", i), "2021-01-01T00:00:00.000Z", i == 0 ? "note" : null));
    }
    List<Detail> bad = new ArrayList<>();
    for (int i = 0; i < failures; i++) {
      bad.add(new Detail(id("malware", i), "2021-01-01T00:00:00.000Z", "conflict"));
    }
    return new StatusRecord(
        id, "api1", "alice", requested, successes + failures, ok, bad, List.of());
  }

  @Test
  void statusDetailsKeepEveryCharacterOfTheirMessages() {
    // Messages quote client input: quotes, backslashes, control characters, non-ASCII, and a
    // character outside the BMP must all come back as they went in.
    String message =
        "bad \"name\" at C:\\x\n\ttab \u0001 \u00e9t\u00e9 \u4e2d \ud83d\ude00 </script>";
    StatusRecord status =
        new StatusRecord(
            "s-esc",
            "api1",
            "alice",
            Instant.parse("2026-11-01T10:00:00Z"),
            2,
            List.of(new Detail(id("indicator", 1), "2021-01-01T00:00:00.000Z", "")),
            List.of(new Detail(id("indicator", 2), "2021-01-01T00:00:00.000Z", message)),
            List.of());
    store.write(
        tx -> {
          tx.saveStatus(status);
          return null;
        });
    assertThat(store.status("s-esc")).contains(status);
  }

  @Test
  void statusesAreSavedReplacedAndRead() {
    Instant t = Instant.parse("2026-11-01T10:00:00.123456Z");
    StatusRecord pending =
        new StatusRecord(
            "s-1",
            "api1",
            "alice",
            t,
            2,
            List.of(),
            List.of(),
            List.of(
                new Detail(id("indicator", 1), "2021-01-01T00:00:00.000Z", null),
                new Detail(id("indicator", 2), "2021-01-01T00:00:00.000Z", null)));
    store.write(
        tx -> {
          tx.saveStatus(pending);
          return null;
        });
    assertThat(store.status("s-1")).contains(pending);

    StatusRecord done = status("s-1", t, 1, 1);
    store.write(
        tx -> {
          tx.saveStatus(done);
          return null;
        });

    assertThat(store.status("s-1")).contains(done);
    assertThat(store.status("s-1").orElseThrow().complete()).isTrue();
    assertThat(store.status("s-unknown")).isEmpty();
  }

  @Test
  void oldStatusesExpire() {
    Instant now = Instant.parse("2026-11-02T00:00:00Z");
    store.write(
        tx -> {
          tx.saveStatus(status("old", now.minus(Duration.ofHours(25)), 1, 0));
          tx.saveStatus(status("new", now.minus(Duration.ofHours(1)), 1, 0));
          return null;
        });

    int expired = store.write(tx -> tx.expireStatuses(now.minus(Duration.ofHours(24))));

    assertThat(expired).isEqualTo(1);
    assertThat(store.status("old")).isEmpty();
    assertThat(store.status("new")).isPresent();
  }

  @Test
  void aPendingStatusNeverReplacesAFinalOneAndOnlyPendingOnesAreSettled() {
    Instant t = Instant.parse("2026-11-01T10:00:00Z");
    Detail waiting = new Detail(id("indicator", 1), "2021-01-01T00:00:00.000Z", null);
    StatusRecord pending =
        new StatusRecord("s-p", "api1", "alice", t, 1, List.of(), List.of(), List.of(waiting));
    StatusRecord done = status("s-p", t, 1, 0);

    assertThat(store.<Boolean>write(tx -> tx.saveStatusIfAbsent(pending, null))).isTrue();
    assertThat(store.<Boolean>write(tx -> tx.saveStatusIfAbsent(done, null))).isFalse();
    assertThat(store.status("s-p")).contains(pending);
    assertThat(store.abandonedStatuses(t, t.plusSeconds(1), 10)).containsExactly(pending);
    assertThat(store.abandonedStatuses(t, t, 10)).isEmpty(); // requested before t only

    store.write(
        tx -> {
          tx.saveStatus(done); // the commit's final status
          return null;
        });
    assertThat(store.<Boolean>write(tx -> tx.saveStatusIfAbsent(pending, null))).isFalse();
    StatusRecord failed =
        new StatusRecord(
            "s-p",
            "api1",
            "alice",
            t,
            1,
            List.of(),
            List.of(new Detail(waiting.id(), waiting.version(), "gone")),
            List.of());
    assertThat(store.<Boolean>write(tx -> tx.replacePendingStatus(failed))).isFalse();
    assertThat(store.status("s-p")).contains(done);
    assertThat(store.abandonedStatuses(t, t.plusSeconds(1), 10)).isEmpty();

    StatusRecord other =
        new StatusRecord("s-q", "api1", "alice", t, 1, List.of(), List.of(), List.of(waiting));
    store.write(tx -> tx.saveStatusIfAbsent(other, null));
    StatusRecord otherFailed =
        new StatusRecord(
            "s-q",
            "api1",
            "alice",
            t,
            1,
            List.of(),
            List.of(new Detail(waiting.id(), waiting.version(), "gone")),
            List.of());
    assertThat(store.<Boolean>write(tx -> tx.replacePendingStatus(otherFailed))).isTrue();
    assertThat(store.status("s-q")).contains(otherFailed);
  }

  @Test
  void aPendingStatusIsAbandonedOnceItsHoldersProcessLeaseLapses() {
    Instant t = Instant.parse("2026-11-01T10:00:00Z");
    Detail waiting = new Detail(id("indicator", 1), "2021-01-01T00:00:00.000Z", null);
    StatusRecord held =
        new StatusRecord("s-h", "api1", "alice", t, 1, List.of(), List.of(), List.of(waiting));
    store.write(
        tx -> {
          tx.saveStatusIfAbsent(held, "p1");
          return tx.lease(Store.processLease("p1"), "p1", t, t.plusSeconds(30));
        });
    Instant longAgo = t.minusSeconds(3600);
    assertThat(store.abandonedStatuses(t.plusSeconds(10), longAgo, 10)).isEmpty(); // p1 lives
    assertThat(store.abandonedStatuses(t.plusSeconds(31), longAgo, 10)).containsExactly(held);
    store.write(
        tx -> {
          tx.releaseLease(Store.processLease("p1"), "p1");
          return null;
        });
    assertThat(store.abandonedStatuses(t.plusSeconds(1), longAgo, 10)).containsExactly(held);
    // The commit's final status clears the holder: never abandoned.
    store.write(
        tx -> {
          tx.saveStatus(status("s-h", t, 1, 0));
          return null;
        });
    assertThat(store.abandonedStatuses(t.plusSeconds(31), t.plusSeconds(31), 10)).isEmpty();
  }

  // ---- the change feed and node settings --------------------------------------------------

  @Test
  void theChangeFeedListsEntriesOfTheAskedTypesInSeqOrderAcrossCollections() {
    assertThat(store.lastSeq()).isZero();
    assertThat(store.committedEntries(0, Set.of("indicator"), 10))
        .isEqualTo(new CommittedEntries(List.of(), 0));
    put(A, indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z"));
    put(B, sdo("malware", id("malware", 1), "2021-01-01T00:00:00.000Z", "2.1", "m"));
    store.write(
        tx ->
            tx.put(
                ObjectWrite.of(
                    B, indicator(id("indicator", 2), "2021-01-01T00:00:00.000Z"), "org-b", "bob")));
    put(A, indicator(id("indicator", 1), "2021-02-01T00:00:00.000Z"));
    put(A, sdo("malware", id("malware", 2), "2021-01-01T00:00:00.000Z", "2.1", "m"));
    long last = store.lastSeq();

    CommittedEntries all = store.committedEntries(0, Set.of("indicator"), 10);
    assertThat(all.throughSeq()).isEqualTo(last); // the malware at the end was looked at
    assertThat(all.entries())
        .extracting(c -> c.collectionId(), c -> c.producerUser(), c -> c.entry().id())
        .containsExactly(
            tuple(A, "alice", id("indicator", 1)),
            tuple(B, "bob", id("indicator", 2)),
            tuple(A, "alice", id("indicator", 1)));
    assertThat(all.entries().get(1).entry().producerOrg()).isEqualTo("org-b");
    assertThat(all.entries().get(2).entry().json()).contains("2021-02-01T00:00:00.000Z");
    assertIncreasing(new EntryPage(all.entries().stream().map(c -> c.entry()).toList(), false));

    CommittedEntries first = store.committedEntries(0, Set.of("indicator", "malware"), 2);
    assertThat(first.entries()).hasSize(2);
    assertThat(first.throughSeq()).isEqualTo(first.entries().get(1).entry().seq());
    CommittedEntries rest =
        store.committedEntries(first.throughSeq(), Set.of("indicator", "malware"), 10);
    assertThat(rest.entries()).hasSize(3);
    assertThat(rest.throughSeq()).isEqualTo(last);
    assertThat(store.committedEntries(last, Set.of("indicator"), 10))
        .isEqualTo(new CommittedEntries(List.of(), last));
  }

  @Test
  void settingsAreSharedAndTheFirstInitialValueWins() {
    assertThat(store.setting("k")).isEmpty();
    assertThat(store.<String>write(tx -> tx.initSetting("k", "first"))).isEqualTo("first");
    assertThat(store.<String>write(tx -> tx.initSetting("k", "second"))).isEqualTo("first");
    assertThat(store.setting("k")).contains("first");
    store.write(
        tx -> {
          tx.saveSetting("k", "changed");
          return null;
        });
    assertThat(reopen().setting("k")).contains("changed");
  }

  // ---- API roots, collections, grants -----------------------------------------------------

  @Test
  void apiRootsAndCollectionsAreListedInCreationOrder() {
    store.write(
        tx -> {
          tx.createApiRoot(new ApiRoot("aaa", "AAA", "first letters", 1_000));
          tx.createCollection(collection("33333333-3333-4333-8333-333333333333", "api1", "zzz"));
          tx.createCollection(collection("00000000-0000-4000-8000-000000000000", "api1", null));
          return null;
        });

    assertThat(store.apiRoots()).extracting(ApiRoot::path).containsExactly("api1", "aaa");
    assertThat(store.apiRoot("aaa")).contains(new ApiRoot("aaa", "AAA", "first letters", 1_000));
    assertThat(store.apiRoot("nope")).isEmpty();
    assertThat(store.collections("api1"))
        .extracting(Collection::id)
        .containsExactly(
            A, B, "33333333-3333-4333-8333-333333333333", "00000000-0000-4000-8000-000000000000");
    assertThat(store.collections("aaa")).isEmpty();
  }

  @Test
  void aCollectionIsFoundByIdOrAliasWithinItsApiRoot() {
    store.write(tx -> tx.createApiRoot(new ApiRoot("api2", "API 2", null, 1_000)));

    assertThat(store.collection("api1", A)).contains(collection(A, "api1", "alias-a"));
    assertThat(store.collection("api1", "alias-a")).map(Collection::id).contains(A);
    assertThat(store.collection("api2", A)).isEmpty();
    assertThat(store.collection("api2", "alias-a")).isEmpty();
    assertThat(store.collection("api1", "nope")).isEmpty();
  }

  @Test
  void collectionIdsAndAliasesAreUnique() {
    store.write(tx -> tx.createApiRoot(new ApiRoot("api2", "API 2", null, 1_000)));

    assertThatThrownBy(() -> store.write(tx -> tx.createCollection(collection(A, "api2", null))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining(A);
    assertThatThrownBy(
            () ->
                store.write(
                    tx ->
                        tx.createCollection(
                            collection("33333333-3333-4333-8333-333333333333", "api1", "alias-a"))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("alias-a");
    // The same alias in another API root is fine, and collections without alias may be many.
    store.write(
        tx -> {
          tx.createCollection(
              collection("33333333-3333-4333-8333-333333333333", "api2", "alias-a"));
          tx.createCollection(collection("44444444-4444-4444-8444-444444444444", "api2", null));
          return null;
        });
    assertThat(store.collection("api2", "alias-a")).isPresent();
    assertThatThrownBy(() -> store.write(tx -> tx.createApiRoot(new ApiRoot("api1", "x", null, 1))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("api1");
  }

  @Test
  void aCollectionNeedsAnExistingApiRoot() {
    assertThatThrownBy(
            () ->
                store.write(
                    tx ->
                        tx.createCollection(
                            collection("33333333-3333-4333-8333-333333333333", "nope", null))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void grantsAreSetReplacedAndRemoved() {
    store.write(
        tx -> {
          tx.grant(new CollectionGrant(A, GranteeKind.ORG, "org-b", true, false));
          tx.grant(new CollectionGrant(A, GranteeKind.USER, "bob", true, true));
          tx.grant(new CollectionGrant(B, GranteeKind.ORG, "org-b", true, true));
          return null;
        });
    assertThat(store.grants(A))
        .containsExactly(
            new CollectionGrant(A, GranteeKind.ORG, "org-b", true, false),
            new CollectionGrant(A, GranteeKind.USER, "bob", true, true));

    store.write(
        tx -> {
          tx.grant(new CollectionGrant(A, GranteeKind.ORG, "org-b", true, true));
          tx.grant(new CollectionGrant(A, GranteeKind.USER, "bob", false, false));
          return null;
        });

    assertThat(store.grants(A))
        .containsExactly(new CollectionGrant(A, GranteeKind.ORG, "org-b", true, true));
    assertThat(store.grants(B)).hasSize(1);
    assertThatThrownBy(
            () ->
                store.write(
                    tx -> {
                      tx.grant(new CollectionGrant("nope", GranteeKind.ORG, "org-b", true, true));
                      return null;
                    }))
        .isInstanceOf(NotFoundException.class);
  }

  // ---- principals -------------------------------------------------------------------------

  @Test
  void organisationsAreCreatedListedAndUnique() {
    Organisation home = new Organisation("home-cert", "identity--x", "NL", true);
    Organisation other = new Organisation("allied-cert", null, null, false);
    store.write(
        tx -> {
          tx.createOrganisation(home);
          tx.createOrganisation(other);
          return null;
        });

    assertThat(store.organisation("home-cert")).contains(home);
    assertThat(store.organisation("nope")).isEmpty();
    assertThat(store.organisations()).containsExactly(other, home);
    assertThatThrownBy(() -> store.write(tx -> tx.createOrganisation(other)))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("allied-cert");
    assertThatThrownBy(
            () ->
                store.write(tx -> tx.createOrganisation(new Organisation("h2", null, null, true))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("home");
  }

  @Test
  void usersAreCreatedUpdatedAndUnique() {
    Instant created = Instant.parse("2026-01-02T03:04:05.123456789Z");
    User alice = new User("alice", "org-a", User.Role.ANALYST, null, false, created);
    store.write(
        tx -> {
          tx.createOrganisation(new Organisation("org-a", null, null, true));
          tx.createOrganisation(new Organisation("org-b", null, null, false));
          tx.createUser(alice);
          return null;
        });
    assertThat(store.user("alice")).contains(alice);

    User changed = new User("alice", "org-b", User.Role.ORG_ADMIN, "$argon2id$x", true, created);
    store.write(
        tx -> {
          tx.updateUser(changed);
          return null;
        });

    assertThat(store.user("alice")).contains(changed);
    assertThat(store.users()).containsExactly(changed);
    assertThatThrownBy(() -> store.write(tx -> tx.createUser(alice)))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(
            () ->
                store.write(
                    tx -> {
                      tx.updateUser(
                          new User("nobody", "org-a", User.Role.READER, null, false, created));
                      return null;
                    }))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () ->
                store.write(
                    tx ->
                        tx.createUser(
                            new User("carol", "no-org", User.Role.READER, null, false, created))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no-org");
  }

  @Test
  void aUserWithoutCreationTimeGetsOne() {
    store.write(tx -> tx.createOrganisation(new Organisation("org-a", null, null, true)));

    User stored =
        store.write(
            tx -> tx.createUser(new User("bob", "org-a", User.Role.READER, null, false, null)));

    assertThat(stored.created()).isNotNull();
    assertThat(store.user("bob")).contains(stored);
  }

  @Test
  void tokensAreFoundByHashListedAndRevoked() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    ApiToken readOnly = new ApiToken("tok-1", "alice", "a".repeat(64), false, t, null, false);
    ApiToken writer =
        new ApiToken(
            "tok-2", "alice", "b".repeat(64), true, t.plusSeconds(1), t.plusSeconds(86_400), false);
    store.write(
        tx -> {
          tx.createOrganisation(new Organisation("org-a", null, null, true));
          tx.createUser(new User("alice", "org-a", User.Role.ANALYST, null, false, t));
          tx.createToken(readOnly);
          tx.createToken(writer);
          return null;
        });

    assertThat(store.tokenByHash("b".repeat(64))).contains(writer);
    assertThat(store.tokenByHash("c".repeat(64))).isEmpty();
    assertThat(store.tokens("alice")).containsExactly(readOnly, writer);
    assertThat(store.<Boolean>write(tx -> tx.revokeToken("tok-1"))).isTrue();
    assertThat(store.<Boolean>write(tx -> tx.revokeToken("tok-9"))).isFalse();
    assertThat(store.tokenByHash("a".repeat(64)).orElseThrow().revoked()).isTrue();
    assertThatThrownBy(
            () ->
                store.write(
                    tx ->
                        tx.createToken(
                            new ApiToken("tok-3", "alice", "a".repeat(64), false, t, null, false))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("secret");
    assertThatThrownBy(
            () ->
                store.write(
                    tx ->
                        tx.createToken(
                            new ApiToken(
                                "tok-4", "nobody", "d".repeat(64), false, t, null, false))))
        .isInstanceOf(NotFoundException.class);
  }

  // ---- durability -------------------------------------------------------------------------

  @Test
  void everythingIsStillThereAfterReopening() {
    threeIndicatorsAndAMalware();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    store.write(
        tx -> {
          tx.saveStatus(status("s-1", t, 2, 1));
          tx.createOrganisation(new Organisation("org-a", null, "DE", true));
          tx.createUser(new User("alice", "org-a", User.Role.NODE_ADMIN, "h", false, t));
          tx.createToken(new ApiToken("tok", "alice", "f".repeat(64), true, t, null, false));
          tx.grant(new CollectionGrant(A, GranteeKind.ORG, "org-a", true, true));
          return null;
        });
    EntryPage before = page(query(A).versions(VersionSelector.ALL));

    reopen();

    assertThat(page(query(A).versions(VersionSelector.ALL))).isEqualTo(before);
    assertThat(store.status("s-1")).contains(status("s-1", t, 2, 1));
    assertThat(store.organisations()).hasSize(1);
    assertThat(store.user("alice")).isPresent();
    assertThat(store.tokenByHash("f".repeat(64))).isPresent();
    assertThat(store.grants(A)).hasSize(1);
    assertThat(store.collections("api1")).hasSize(2);
    assertThat(put(A, indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z")).kind())
        .isEqualTo(Kind.DUPLICATE);
  }

  // ---- communities, organisations, audit --------------------------------------------------

  @Test
  void communitiesHoldOrganisationsAndAnswerWhoBelongsWhere() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    store.write(
        tx -> {
          tx.createOrganisation(
              new Organisation(
                  "org-a", "identity--1", "XA", true, List.of("government-national"), "{}"));
          tx.createOrganisation(new Organisation("org-b", null, "XB", false));
          tx.createOrganisation(new Organisation("org-c", null, "XC", false));
          tx.createCommunity(new Community("allies", "NATO allies", List.of("org-a", "org-b"), t));
          tx.createCommunity(new Community("partners", null, List.of(), null));
          tx.addCommunityMember("partners", "org-c");
          tx.addCommunityMember("partners", "org-c");
          return null;
        });
    assertThat(store.communitiesOf("org-a")).containsExactly("allies");
    assertThat(store.communitiesOf("org-c")).containsExactly("partners");
    assertThat(store.community("allies").orElseThrow().members()).containsExactly("org-a", "org-b");
    assertThat(store.communities())
        .extracting(Community::name)
        .containsExactly("allies", "partners");
    assertThat(store.organisation("org-a").orElseThrow().sectors())
        .containsExactly("government-national");

    boolean removed = store.write(tx -> tx.removeCommunityMember("allies", "org-b"));
    assertThat(removed).isTrue();
    assertThat(store.communitiesOf("org-b")).isEmpty();
    assertThatThrownBy(
            () ->
                store.write(
                    tx -> {
                      tx.addCommunityMember("allies", "org-x");
                      return null;
                    }))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () ->
                store.write(tx -> tx.createCommunity(new Community("allies", null, List.of(), t))))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(
            () ->
                store.write(
                    tx -> tx.createCommunity(new Community("x", null, List.of("org-x"), t))))
        .isInstanceOf(NotFoundException.class);
    assertThat(store.community("x")).isEmpty();
  }

  @Test
  void aTransactionReadsTheGrantAsItStandsInsideIt() {
    store.write(
        tx -> {
          assertThat(tx.grantOf(A, GranteeKind.COMMUNITY, "allies")).isEmpty();
          tx.grant(new CollectionGrant(A, GranteeKind.COMMUNITY, "allies", true, false));
          assertThat(tx.grantOf(A, GranteeKind.COMMUNITY, "allies"))
              .contains(new CollectionGrant(A, GranteeKind.COMMUNITY, "allies", true, false));
          assertThat(tx.grantOf(A, GranteeKind.ORG, "allies")).isEmpty();
          return null;
        });
    assertThat(store.grants(A))
        .containsExactly(new CollectionGrant(A, GranteeKind.COMMUNITY, "allies", true, false));
  }

  @Test
  void collectionsBecomeObservationInputsAndStopBeingThem() {
    assertThat(store.observationInputs()).isEmpty();
    boolean on = store.write(tx -> tx.setObservationInput(A, true));
    boolean again = store.write(tx -> tx.setObservationInput(A, true));
    assertThat(on).isTrue();
    assertThat(again).isFalse();
    assertThat(store.observationInputs()).containsExactly(A);
    reopen();
    assertThat(store.observationInputs()).containsExactly(A);
    boolean off = store.write(tx -> tx.setObservationInput(A, false));
    assertThat(off).isTrue();
    assertThat(store.observationInputs()).isEmpty();
    assertThatThrownBy(() -> store.write(tx -> tx.setObservationInput("nope", true)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void theAuditLogKeepsEventsInOrderAndFiltersThem() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<AuditEvent> appended =
        store.write(
            tx ->
                tx.appendAudit(
                    List.of(
                        AuditEvent.of(t, "alice", "org-a", "127.0.0.1", "objects.add", A, "{}"),
                        AuditEvent.of(
                            t.plusSeconds(1), "bob", "org-b", "::1", "objects.read", A, null),
                        AuditEvent.of(
                            t.plusSeconds(2), "alice", "org-a", null, "grant.add", B, null))));
    assertThat(appended).extracting(AuditEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(store.audit(new AuditQuery(0, null, null, null, 10))).isEqualTo(appended);
    assertThat(store.audit(new AuditQuery(0, null, "alice", null, 10)))
        .extracting(AuditEvent::action)
        .containsExactly("objects.add", "grant.add");
    assertThat(store.audit(new AuditQuery(0, null, null, "objects.", 10))).hasSize(2);
    assertThat(store.audit(new AuditQuery(0, t.plusSeconds(1), null, null, 10))).hasSize(2);
    assertThat(store.audit(new AuditQuery(appended.get(0).seq(), null, null, null, 1)))
        .containsExactly(appended.get(1));
    reopen();
    assertThat(store.audit(new AuditQuery(0, null, null, null, 10))).isEqualTo(appended);
  }

  @Test
  void entrySeqsNameTheirVersionsAlsoAfterADeleteRemovedThem() {
    // More seqs than one lookup batch takes, some removed, some duplicated, some never assigned.
    store.write(
        tx -> {
          for (int i = 1; i <= 300; i++) {
            tx.put(write(A, indicator(id("indicator", i), "2021-01-01T00:00:00.000Z")));
          }
          return null;
        });
    threeVersions(B, id("indicator", 1));
    List<Entry> a = page(query(A).limit(1000)).entries();
    List<Entry> b = page(query(B).versions(VersionSelector.ALL)).entries();
    assertThat(a).hasSize(300);
    assertThat(b).hasSize(3);
    for (int i = 2; i <= 300; i += 7) {
      delete(A, id("indicator", i), VersionSelector.ALL, SpecVersions.NEWEST);
    }
    delete(B, id("indicator", 1), VersionSelector.FIRST, SpecVersions.NEWEST);
    reopen();

    List<Entry> all = new ArrayList<>(a);
    all.addAll(b);
    long[] seqs =
        java.util.stream.LongStream.concat(
                all.stream().mapToLong(Entry::seq),
                java.util.stream.LongStream.of(a.get(5).seq(), b.get(0).seq(), 999_999_999L))
            .toArray();
    List<EntryRef> refs = store.entryRefs(seqs);

    assertThat(refs).extracting(EntryRef::seq).isSorted().doesNotHaveDuplicates();
    assertThat(refs)
        .extracting(r -> tuple(r.seq(), r.name()))
        .containsExactlyInAnyOrderElementsOf(
            all.stream().map(e -> tuple(e.seq(), e.id() + "@" + e.version())).toList());
    assertThat(refs)
        .filteredOn(EntryRef::removed)
        .extracting(EntryRef::name)
        .hasSize(43 + 1)
        .contains(id("indicator", 2) + "@2021-01-01T00:00:00.000Z")
        .contains(id("indicator", 1) + "@2021-01-01T00:00:00.000Z")
        .doesNotContain(id("indicator", 3) + "@2021-01-01T00:00:00.000Z");
    assertThat(store.entryRefs(new long[0])).isEmpty();
    assertThat(store.entryRefs(new long[] {999_999_999L})).isEmpty();
  }

  @Test
  void anotherOrganisationPostingTheSameVersionBecomesAProducerAndLearnsNothing() {
    StixObject red = indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z");
    WriteOutcome first =
        store.write(tx -> tx.put(new ObjectWrite(A, red, red.toJson(), "org-a", "alice", Tlp.RED)));
    WriteOutcome again =
        store.write(tx -> tx.put(new ObjectWrite(A, red, red.toJson(), "org-a", "alice", Tlp.RED)));
    WriteOutcome other =
        store.write(tx -> tx.put(new ObjectWrite(A, red, red.toJson(), "org-b", "bob", Tlp.RED)));
    assertThat(again.kind()).isEqualTo(Kind.DUPLICATE);
    assertThat(again.message()).isNotNull(); // its own organisation: "already present"
    assertThat(other.kind()).isEqualTo(Kind.DUPLICATE);
    assertThat(other.message()).as("nothing a first post would not say").isNull();
    assertThat(page(query(A).visibility(Visibility.of("org-b", Tlp.GREEN))).entries()).hasSize(1);
    assertThat(page(query(A).visibility(Visibility.of("org-c", Tlp.GREEN))).entries()).isEmpty();
    assertThat(first.kind()).isEqualTo(Kind.ADDED);
    // the co-producer may delete what it may see; the entry goes for everybody
    assertThat(
            delete(
                A,
                id("indicator", 1),
                VersionSelector.ALL,
                SpecVersions.NEWEST,
                Visibility.of("org-b", Tlp.GREEN)))
        .isEqualTo(1);
    assertThat(page(query(A)).entries()).isEmpty();
  }

  @Test
  void entriesKeepTheirProducersLevelOrTheCollectionDefault() {
    StixObject red = indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z");
    StixObject plain = indicator(id("indicator", 2), "2021-01-01T00:00:00.000Z");
    store.write(
        tx -> {
          tx.put(new ObjectWrite(A, red, red.toJson(), "org-b", "bob", Tlp.RED));
          tx.put(new ObjectWrite(A, plain, plain.toJson(), "org-b", "bob", null));
          return null;
        });
    // collection A's default is amber: org-a with an amber ceiling sees the unmarked one only
    assertThat(versions(page(query(A).visibility(Visibility.of("org-a", Tlp.AMBER)))))
        .containsExactly(id("indicator", 2) + "@2021-01-01T00:00:00.000Z");
    assertThat(page(query(A).visibility(Visibility.of("org-a", Tlp.GREEN))).entries()).isEmpty();
    assertThat(page(query(A).visibility(Visibility.of("org-a", null))).entries()).isEmpty();
    assertThat(page(query(A).visibility(Visibility.of("org-b", null))).entries()).hasSize(2);
    assertThat(page(query(A).visibility(Visibility.of("org-a", Tlp.RED))).entries()).hasSize(2);
  }

  // ---- the page query agrees with a model of TAXII filtering ------------------------------

  @Test
  void randomQueriesAgreeWithAModel() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    String[] types = {"indicator", "malware", "tool"};
    String[] specs = {"2.0", "2.1"};
    List<ModelEntry> model = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      store.write(
          tx -> {
            for (int i = 0; i < 40; i++) {
              String collection = random.nextInt(3) == 0 ? B : A;
              String type = types[random.nextInt(types.length)];
              String id = id(type, random.nextInt(12));
              String modified =
                  "2021-01-" + String.format("%02d", 1 + random.nextInt(9)) + "T00:00:00.000Z";
              String spec = specs[random.nextInt(2)];
              String producer = ORGS[random.nextInt(ORGS.length)];
              // null: unmarked, so the collection's default (amber) applies. B never holds
              // anything above AMBER, so readers with an AMBER or AMBER+STRICT ceiling see all of
              // it (the flag path) while GREEN ceilings take the visible-versions path.
              Tlp tlp =
                  random.nextInt(6) == 0
                      ? null
                      : Tlp.values()[random.nextInt(collection.equals(B) ? 3 : 5)];
              StixObject o = sdo(type, id, modified, spec, "n");
              WriteOutcome outcome =
                  tx.put(new ObjectWrite(collection, o, o.toJson(), producer, "u", tlp));
              if (outcome.kind() == Kind.ADDED) {
                model.add(
                    new ModelEntry(
                        collection,
                        id,
                        type,
                        key(modified),
                        modified,
                        spec,
                        outcome.dateAdded(),
                        new HashSet<>(Set.of(producer)),
                        tlp == null ? Tlp.AMBER : tlp));
              } else if (outcome.kind() == Kind.DUPLICATE) {
                // another organisation posting the same version becomes a co-producer
                model.stream()
                    .filter(
                        e ->
                            e.collection().equals(collection)
                                && e.id().equals(id)
                                && e.versionKey().equals(key(modified)))
                    .forEach(e -> e.producers().add(producer));
              }
            }
            return null;
          });
      if (round % 2 == 1) {
        String victim = model.get(random.nextInt(model.size())).id();
        VersionSelector v = randomSelector(random, List.of());
        SpecVersions s =
            random.nextBoolean() ? SpecVersions.NEWEST : new SpecVersions(Set.of("2.0"));
        Visibility vis = randomVisibility(random);
        List<ModelEntry> removed = select(model, A, victim, v, s, vis);
        assertThat(delete(A, victim, v, s, vis)).as("seed %d", seed).isEqualTo(removed.size());
        model.removeAll(removed);
      }
    }
    List<Instant> added = model.stream().map(ModelEntry::dateAdded).sorted().toList();
    for (int q = 0; q < 300; q++) {
      String collection = random.nextBoolean() ? A : B;
      Set<String> ids = new HashSet<>();
      if (random.nextInt(3) == 0) {
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          ids.add(id(types[random.nextInt(3)], random.nextInt(12)));
        }
      }
      Set<String> typeFilter = new HashSet<>();
      if (random.nextInt(3) == 0) {
        typeFilter.add(types[random.nextInt(3)]);
        if (random.nextBoolean()) {
          typeFilter.add(types[random.nextInt(3)]);
        }
      }
      VersionSelector versions = randomSelector(random, model);
      SpecVersions spec =
          switch (random.nextInt(4)) {
            case 0 -> new SpecVersions(Set.of("2.0"));
            case 1 -> new SpecVersions(Set.of("2.0", "2.1"));
            default -> SpecVersions.NEWEST;
          };
      Instant addedAfter =
          random.nextInt(3) == 0 && !added.isEmpty()
              ? added.get(random.nextInt(added.size()))
              : null;
      int limit = 1 + random.nextInt(30);
      Visibility visibility = randomVisibility(random);
      ObjectQuery oq =
          new ObjectQuery(
              collection, ids, typeFilter, versions, spec, addedAfter, 0, limit, false, visibility);

      List<String> expected = new ArrayList<>();
      for (ModelEntry e : model) {
        if (e.collection().equals(collection)
            && (ids.isEmpty() || ids.contains(e.id()))
            && (typeFilter.isEmpty() || typeFilter.contains(e.type()))
            && (addedAfter == null || e.dateAdded().isAfter(addedAfter))
            && select(model, collection, e.id(), versions, spec, visibility).contains(e)) {
          expected.add(e.id() + "@" + e.version());
        }
      }
      List<String> actual = new ArrayList<>();
      EntryPage p = store.entries(oq);
      actual.addAll(versions(p));
      while (p.more()) {
        p = store.entries(oq.afterSeq(p.lastSeq()));
        actual.addAll(versions(p));
      }
      assertThat(actual).as("seed %d, query %s", seed, oq).containsExactlyElementsOf(expected);
    }
  }

  record ModelEntry(
      String collection,
      String id,
      String type,
      String versionKey,
      String version,
      String spec,
      Instant dateAdded,
      Set<String> producers,
      Tlp tlp) {}

  private static final String[] ORGS = {"org-a", "org-b", "org-c"};

  /** Everything a quarter of the time, else a random reader organisation and ceiling. */
  private static Visibility randomVisibility(SplittableRandom random) {
    if (random.nextInt(4) == 0) {
      return Visibility.EVERYTHING;
    }
    int c = random.nextInt(6);
    return Visibility.of(
        random.nextInt(4) == 0 ? "org-z" : ORGS[random.nextInt(ORGS.length)],
        c == 5 ? null : Tlp.values()[c]);
  }

  private static VersionSelector randomSelector(SplittableRandom random, List<ModelEntry> model) {
    if (random.nextInt(4) == 0) {
      return VersionSelector.ALL;
    }
    boolean first = random.nextBoolean();
    boolean last = random.nextBoolean();
    Set<String> exact = new HashSet<>();
    if (random.nextBoolean() || (!first && !last)) {
      exact.add(key("2021-01-0" + (1 + random.nextInt(9)) + "T00:00:00Z"));
    }
    return new VersionSelector(false, first, last, exact);
  }

  /** The model's rule: which entries of one object in one collection a selection picks. */
  private static List<ModelEntry> select(
      List<ModelEntry> model,
      String collection,
      String id,
      VersionSelector v,
      SpecVersions s,
      Visibility visibility) {
    List<ModelEntry> mine =
        model.stream()
            .filter(
                e ->
                    e.collection().equals(collection)
                        && e.id().equals(id)
                        && visibility.sees(e.producers(), e.tlp()))
            .toList();
    String newest = mine.stream().map(ModelEntry::spec).max(String::compareTo).orElse(null);
    List<ModelEntry> specOk =
        mine.stream()
            .filter(e -> s.newestOnly() ? e.spec().equals(newest) : s.listed().contains(e.spec()))
            .toList();
    Optional<String> min = specOk.stream().map(ModelEntry::versionKey).min(String::compareTo);
    Optional<String> max = specOk.stream().map(ModelEntry::versionKey).max(String::compareTo);
    return specOk.stream()
        .filter(
            e ->
                v.all()
                    || (v.first() && min.get().equals(e.versionKey()))
                    || (v.last() && max.get().equals(e.versionKey()))
                    || v.exact().contains(e.versionKey()))
        .toList();
  }

  // ---- group commit -----------------------------------------------------------------------

  static Function<List<WriteOutcome>, StatusRecord> statusFor(String statusId) {
    return outcomes -> {
      List<Detail> ok = new ArrayList<>();
      List<Detail> bad = new ArrayList<>();
      for (WriteOutcome o : outcomes) {
        (o.success() ? ok : bad).add(new Detail(o.id(), o.version(), o.message()));
      }
      return new StatusRecord(
          statusId,
          "api1",
          "alice",
          Instant.parse("2026-11-01T00:00:00Z"),
          outcomes.size(),
          ok,
          bad,
          List.of());
    };
  }

  /** Holds the store's write lock until the returned latch is counted down. */
  private CountDownLatch blockWriter() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread blocker =
        new Thread(
            () ->
                store.write(
                    tx -> {
                      started.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return null;
                    }));
    blocker.start();
    started.await();
    return release;
  }

  @Test
  void groupCommitOfManyConcurrentSubmittersReportsEveryOutcome() throws Exception {
    int threads = 8;
    int perThread = 40;
    int objects = 10;
    List<Map.Entry<String, CompletableFuture<List<WriteOutcome>>>> submitted =
        Collections.synchronizedList(new ArrayList<>());
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 100_000, 500)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.submit(
            () -> {
              for (int s = 0; s < perThread; s++) {
                List<ObjectWrite> writes = new ArrayList<>();
                for (int o = 0; o < objects; o++) {
                  // Objects 0..4 are shared by every thread (duplicates), 5..9 are own.
                  int n = o < 5 ? s * 5 + o : 100_000 + (thread * perThread + s) * 5 + o;
                  writes.add(write(A, indicator(id("indicator", n), "2021-01-01T00:00:00.000Z")));
                }
                String statusId = "status-" + thread + "-" + s;
                submitted.add(Map.entry(statusId, writer.submit(writes, statusFor(statusId))));
              }
              return null;
            });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      Map<String, Integer> added = new HashMap<>();
      for (var s : submitted) {
        List<WriteOutcome> outcomes = s.getValue().get(60, TimeUnit.SECONDS);
        assertThat(outcomes).hasSize(objects).allSatisfy(o -> assertThat(o.success()).isTrue());
        for (WriteOutcome o : outcomes) {
          if (o.kind() == Kind.ADDED) {
            added.merge(o.id(), 1, Integer::sum);
          }
        }
        StatusRecord status = store.status(s.getKey()).orElseThrow();
        assertThat(status.successes()).hasSize(objects);
        assertThat(status.totalCount()).isEqualTo(objects);
      }
      int distinct = perThread * 5 + threads * perThread * 5;
      assertThat(added).hasSize(distinct).allSatisfy((id, count) -> assertThat(count).isOne());
      assertThat(page(query(A).limit(100_000)).entries()).hasSize(distinct);
      assertThat(writer.pendingObjects()).isZero();
    }
  }

  @Test
  void groupCommitRefusesWhenTheBacklogIsFull() throws Exception {
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 10, 100)) {
      CountDownLatch release = blockWriter();
      List<ObjectWrite> eight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        eight.add(write(A, indicator(id("indicator", i), "2021-01-01T00:00:00Z")));
      }
      CompletableFuture<List<WriteOutcome>> accepted = writer.submit(eight, statusFor("s-8"));
      List<ObjectWrite> three = eight.subList(0, 3);

      assertThatThrownBy(() -> writer.submit(three, statusFor("s-3")))
          .isInstanceOf(IngestBacklogException.class);
      // Two still fit; then the queue is full.
      CompletableFuture<List<WriteOutcome>> two =
          writer.submit(three.subList(0, 2), statusFor("s-2"));
      assertThatThrownBy(() -> writer.submit(List.of(), statusFor("s-0")))
          .isInstanceOf(IngestBacklogException.class);
      assertThatThrownBy(() -> writer.submit(Collections.nCopies(11, eight.get(0)), statusFor("x")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(accepted).isNotDone();
      assertThat(writer.pendingObjects()).isEqualTo(10);

      release.countDown();
      assertThat(accepted.get(30, TimeUnit.SECONDS)).hasSize(8);
      assertThat(two.get(30, TimeUnit.SECONDS)).hasSize(2);
      assertThat(store.status("s-3")).isEmpty();
      assertThat(writer.submit(three, statusFor("s-3")).get(30, TimeUnit.SECONDS))
          .allSatisfy(o -> assertThat(o.kind()).isEqualTo(Kind.DUPLICATE));
    }
  }

  @Test
  void aFailingSubmissionFailsAloneAndSavesNoStatus() throws Exception {
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 1_000, 1_000)) {
      CountDownLatch release = blockWriter();
      var good1 =
          writer.submit(
              List.of(write(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z"))),
              statusFor("good-1"));
      var bad =
          writer.submit(
              List.of(
                  write(A, indicator(id("indicator", 2), "2021-01-01T00:00:00Z")),
                  write(
                      "99999999-9999-4999-8999-999999999999",
                      indicator(id("indicator", 3), "2021-01-01T00:00:00Z"))),
              statusFor("bad"));
      var good2 =
          writer.submit(
              List.of(write(B, indicator(id("indicator", 4), "2021-01-01T00:00:00Z"))),
              statusFor("good-2"));
      release.countDown();

      assertThat(good1.get(30, TimeUnit.SECONDS))
          .extracting(WriteOutcome::kind)
          .containsExactly(Kind.ADDED);
      assertThat(good2.get(30, TimeUnit.SECONDS))
          .extracting(WriteOutcome::kind)
          .containsExactly(Kind.ADDED);
      assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(NotFoundException.class);
      assertThat(store.status("good-1")).isPresent();
      assertThat(store.status("good-2")).isPresent();
      assertThat(store.status("bad")).isEmpty();
      assertThat(page(query(A).ids(id("indicator", 2))).entries()).isEmpty();
      assertThat(writer.pendingObjects()).isZero();
    }
  }

  @Test
  void aSubmissionsAuditEventIsCommittedWithItsObjects() throws Exception {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 100, 100)) {
      writer
          .submit(
              List.of(write(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z"))),
              statusFor("audited"),
              status -> AuditEvent.of(t, "alice", "org-a", "::1", "objects.add", A, status.id()))
          .get(30, TimeUnit.SECONDS);
    }
    assertThat(store.audit(new AuditQuery(0, null, null, null, 10)))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("audited"));
    assertThat(page(query(A)).entries()).hasSize(1);
  }

  @Test
  void conflictsAreReportedInTheStatusNotAsFailures() throws Exception {
    String id = id("indicator", 1);
    put(A, sdo("indicator", id, "2021-01-01T00:00:00Z", "2.1", "one"));
    try (GroupCommitWriter writer = new GroupCommitWriter(store, 100, 100)) {
      List<WriteOutcome> outcomes =
          writer
              .submit(
                  List.of(
                      write(A, sdo("indicator", id, "2021-01-01T00:00:00Z", "2.1", "two")),
                      write(A, indicator(id("indicator", 2), "2021-01-01T00:00:00Z"))),
                  statusFor("mixed"))
              .get(30, TimeUnit.SECONDS);

      assertThat(outcomes)
          .extracting(WriteOutcome::kind)
          .containsExactly(Kind.CONFLICT, Kind.ADDED);
      StatusRecord status = store.status("mixed").orElseThrow();
      assertThat(status.failures()).extracting(Detail::id).containsExactly(id);
      assertThat(status.successes()).extracting(Detail::id).containsExactly(id("indicator", 2));
    }
  }

  @Test
  void closeDrainsTheQueueAndThenRefuses() throws Exception {
    GroupCommitWriter writer = new GroupCommitWriter(store, 1_000, 3);
    List<CommittedWrite> committed = Collections.synchronizedList(new ArrayList<>());
    writer.addCommitListener(committed::addAll);
    CountDownLatch release = blockWriter();
    List<CompletableFuture<List<WriteOutcome>>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(
          writer.submit(
              List.of(write(A, indicator(id("indicator", i), "2021-01-01T00:00:00Z"))),
              statusFor("s-" + i)));
    }
    Thread closer = new Thread(writer::close);
    closer.start();
    Thread.sleep(50);
    assertThat(closer.isAlive()).isTrue();

    release.countDown();
    closer.join(30_000);

    assertThat(closer.isAlive()).isFalse();
    for (var f : futures) {
      assertThat(f.get(30, TimeUnit.SECONDS))
          .singleElement()
          .satisfies(o -> assertThat(o.kind()).isEqualTo(Kind.ADDED));
    }
    assertThat(committed).hasSize(10);
    assertThat(page(query(A)).entries()).hasSize(10);
    assertThatThrownBy(() -> writer.submit(List.of(), statusFor("late")))
        .isInstanceOf(IllegalStateException.class);
    writer.close();
  }

  // ---- federation: peers, sync state, pending pushes, provenance, leases ------------------

  private static Peer peer(String name) {
    return new Peer(
        name,
        "org-b",
        "https://peer.example/taxii2/",
        null,
        "remote-collection",
        Peer.Direction.BOTH,
        60,
        A,
        List.of(A, B),
        Tlp.AMBER,
        new Peer.PeerCredentials("basic", "node-a", "sealed-secret", null),
        null,
        Instant.parse("2026-01-01T00:00:00.123456789Z"),
        "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n");
  }

  private void organisations() {
    store.write(
        tx -> {
          tx.createOrganisation(new Organisation("org-a", null, null, true));
          tx.createOrganisation(new Organisation("org-b", null, null, false));
          return null;
        });
  }

  @Test
  void peersAreAddedReadAndRemovedWithTheirStatePendingPushesAndLease() {
    organisations();
    Peer p = peer("peer-b");
    store.write(tx -> tx.createPeer(p));
    store.write(tx -> tx.createPeer(peer("peer-a")));

    assertThat(store.peer("peer-b")).contains(p);
    assertThat(store.peers()).extracting(Peer::name).containsExactly("peer-a", "peer-b");
    assertThat(store.peer("nope")).isEmpty();
    assertThatThrownBy(() -> store.write(tx -> tx.createPeer(p)))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("peer-b");

    Instant t = Instant.parse("2026-02-01T00:00:00Z");
    store.write(
        tx -> {
          tx.savePeerState(
              new PeerState(
                  "peer-b",
                  "x",
                  Map.of(A, 7L),
                  null,
                  0,
                  null,
                  t,
                  t,
                  null,
                  null,
                  0,
                  null,
                  null,
                  1,
                  2,
                  3));
          tx.savePushPending(
              List.of(new PushPending("peer-b", A, id("indicator", 1), "v", 1, t, "e")));
          return tx.lease(Peer.leaseName("peer-b"), "serve-1", t, t.plusSeconds(60));
        });
    assertThat(store.pushPendingCount("peer-b")).isOne();

    assertThat(store.<Boolean>write(tx -> tx.removePeer("peer-b"))).isTrue();
    assertThat(store.<Boolean>write(tx -> tx.removePeer("peer-b"))).isFalse();
    assertThat(store.peer("peer-b")).isEmpty();
    assertThat(store.peerState("peer-b")).isEqualTo(PeerState.initial("peer-b"));
    assertThat(store.pushPendingCount("peer-b")).isZero();
    // The lease went with it: anyone may take it at once.
    assertThat(
            store.<Boolean>write(
                tx -> tx.lease(Peer.leaseName("peer-b"), "serve-2", t, t.plusSeconds(1))))
        .isTrue();
    store.write(tx -> tx.createPeer(p));
    assertThat(store.peer("peer-b")).contains(p);
  }

  @Test
  void aPeerNeedsItsOrganisationAndCollections() {
    assertThatThrownBy(() -> store.write(tx -> tx.createPeer(peer("peer-b"))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("org-b");
    organisations();
    Peer unknownCollection =
        new Peer(
            "peer-c",
            "org-b",
            "https://peer.example/taxii2/",
            null,
            "r",
            Peer.Direction.PUSH,
            60,
            null,
            List.of("99999999-9999-4999-8999-999999999999"),
            Tlp.GREEN,
            Peer.PeerCredentials.NONE,
            null,
            Instant.parse("2026-01-01T00:00:00Z"));
    assertThatThrownBy(() -> store.write(tx -> tx.createPeer(unknownCollection)))
        .isInstanceOf(NotFoundException.class);
    assertThat(store.peers()).isEmpty();
  }

  @Test
  void thePeerStateIsReplacedWhole() {
    organisations();
    store.write(tx -> tx.createPeer(peer("peer-b")));
    assertThat(store.peerState("peer-b")).isEqualTo(PeerState.initial("peer-b"));
    Instant t = Instant.parse("2026-02-01T10:00:00.123456Z");
    PeerState first =
        new PeerState(
            "peer-b",
            "2026-02-01T09:00:00.000001Z",
            Map.of(A, 41L, B, 5L),
            A,
            44,
            "status-1",
            t,
            t.minusSeconds(60),
            "HTTP 503",
            t,
            2,
            t.plusSeconds(4),
            t.minusSeconds(3600),
            1_000_000_000_000L,
            7,
            3);
    store.write(
        tx -> {
          tx.savePeerState(first);
          return null;
        });
    assertThat(store.peerState("peer-b")).isEqualTo(first);

    PeerState second =
        new PeerState(
            "peer-b", null, Map.of(), null, 0, null, t, t, null, null, 0, null, null, 1, 2, 3);
    store.write(
        tx -> {
          tx.savePeerState(second);
          return null;
        });
    reopen();
    assertThat(store.peerState("peer-b")).isEqualTo(second);
  }

  @Test
  void pendingPushesAreDueInOrderReplacedAndForgotten() {
    organisations();
    store.write(tx -> tx.createPeer(peer("peer-b")));
    Instant t = Instant.parse("2026-03-01T00:00:00Z");
    PushPending late =
        new PushPending("peer-b", A, id("indicator", 1), "v1", 1, t.plusSeconds(60), "e");
    PushPending soon =
        new PushPending("peer-b", B, id("indicator", 2), "v1", 3, t.plusSeconds(1), null);
    PushPending due = new PushPending("peer-b", A, id("indicator", 3), "v2", 2, t, "HTTP 500");
    store.write(
        tx -> {
          tx.savePushPending(List.of(late, soon, due));
          return null;
        });

    assertThat(store.pushPendingCount("peer-b")).isEqualTo(3);
    assertThat(store.pushPendingCount("peer-x")).isZero();
    assertThat(store.pushPending("peer-b", t.plusSeconds(1), 10)).containsExactly(due, soon);
    assertThat(store.pushPending("peer-b", t.plusSeconds(3600), 1)).containsExactly(due);

    PushPending retried =
        new PushPending("peer-b", A, id("indicator", 3), "v2", 3, t.plusSeconds(120), "again");
    store.write(
        tx -> {
          tx.savePushPending(List.of(retried));
          tx.removePushPending("peer-b", B, id("indicator", 2), "v1");
          return null;
        });
    assertThat(store.pushPending("peer-b", t.plusSeconds(3600), 10)).containsExactly(late, retried);
  }

  @Test
  void aLeaseIsHeldByOneOwnerUntilItExpiresOrIsReleased() {
    Instant t = Instant.parse("2026-03-01T00:00:00Z");
    assertThat(store.<Boolean>write(tx -> tx.lease("p", "one", t, t.plusSeconds(30)))).isTrue();
    assertThat(
            store.<Boolean>write(tx -> tx.lease("p", "two", t.plusSeconds(10), t.plusSeconds(40))))
        .isFalse();
    // Its holder renews it.
    assertThat(
            store.<Boolean>write(tx -> tx.lease("p", "one", t.plusSeconds(20), t.plusSeconds(50))))
        .isTrue();
    assertThat(
            store.<Boolean>write(tx -> tx.lease("p", "two", t.plusSeconds(40), t.plusSeconds(70))))
        .isFalse();
    // Expired: anyone takes it.
    assertThat(
            store.<Boolean>write(tx -> tx.lease("p", "two", t.plusSeconds(51), t.plusSeconds(81))))
        .isTrue();
    store.write(
        tx -> {
          tx.releaseLease("p", "one"); // not its holder: nothing happens
          return null;
        });
    assertThat(
            store.<Boolean>write(tx -> tx.lease("p", "one", t.plusSeconds(52), t.plusSeconds(90))))
        .isFalse();
    store.write(
        tx -> {
          tx.releaseLease("p", "two");
          return null;
        });
    assertThat(
            store.<Boolean>write(tx -> tx.lease("p", "one", t.plusSeconds(53), t.plusSeconds(90))))
        .isTrue();
  }

  @Test
  void versionsRememberThePeersThatBroughtThem() {
    organisations();
    store.write(tx -> tx.createPeer(peer("peer-b")));
    String i1 = id("indicator", 1);
    String i2 = id("indicator", 2);
    String sco = id("ipv4-addr", 3);
    List<WriteOutcome> outcomes =
        store.write(
            tx ->
                tx.putAll(
                    List.of(
                        write(A, indicator(i1, "2021-01-01T00:00:00.000Z"))
                            .received("peer-b", false),
                        write(A, ipv4(sco, "10.0.0.1")).received("peer-b", false),
                        write(A, indicator(i2, "2021-01-01T00:00:00.000Z")))));
    // Brought again by the same peer (a duplicate): still one provenance row, no error.
    store.write(
        tx ->
            tx.put(write(B, indicator(i1, "2021-01-01T00:00:00.000Z")).received("peer-b", false)));

    String scoVersion = outcomes.get(1).version();
    assertThat(
            store.receivedFrom(
                "peer-b",
                List.of(
                    i1 + '\u0000' + "2021-01-01T00:00:00.000Z",
                    i2 + '\u0000' + "2021-01-01T00:00:00.000Z",
                    sco + '\u0000' + scoVersion,
                    i1 + '\u0000' + "2021-02-01T00:00:00.000Z")))
        .containsExactlyInAnyOrder(
            i1 + '\u0000' + "2021-01-01T00:00:00.000Z", sco + '\u0000' + scoVersion);
    assertThat(store.receivedFrom("peer-x", List.of(i1 + '\u0000' + "2021-01-01T00:00:00.000Z")))
        .isEmpty();
    assertThat(store.receivedFrom("peer-b", List.of())).isEmpty();
    assertThat(
            store.heldVersions(
                List.of(
                    i1 + '\u0000' + key("2021-01-01T00:00:00Z"),
                    i1 + '\u0000' + key("2021-02-01T00:00:00Z"),
                    id("indicator", 9) + '\u0000' + key("2021-01-01T00:00:00Z"))))
        .containsExactly(i1 + '\u0000' + key("2021-01-01T00:00:00Z"));
    assertThat(store.heldVersions(List.of())).isEmpty();
  }

  @Test
  void aVersionReceivedFromAPeerIsTakenOnlyOnceWhateverTheCollection() {
    String i1 = id("indicator", 1);
    String sco = id("ipv4-addr", 2);
    WriteOutcome local = put(A, indicator(i1, "2021-01-01T00:00:00.000Z"));
    WriteOutcome localSco = put(A, ipv4(sco, "10.0.0.1"));

    List<WriteOutcome> received =
        store.write(
            tx ->
                tx.putAll(
                    List.of(
                        write(B, indicator(i1, "2021-01-01T00:00:00.000Z"))
                            .received("peer-b", false),
                        write(B, ipv4(sco, "10.0.0.1")).received("peer-b", false),
                        write(B, sdo("indicator", i1, "2021-01-01T00:00:00.000Z", "2.1", "other"))
                            .received("peer-b", false))));

    assertThat(received.get(0))
        .isEqualTo(
            new WriteOutcome(
                i1,
                local.version(),
                Kind.DUPLICATE,
                "Object version already held by this node",
                local.dateAdded()));
    assertThat(received.get(1).kind()).isEqualTo(Kind.DUPLICATE);
    assertThat(received.get(1).version()).isEqualTo(localSco.version());
    assertThat(received.get(1).dateAdded()).isEqualTo(localSco.dateAdded());
    assertThat(received.get(2).kind()).isEqualTo(Kind.CONFLICT);
    assertThat(page(query(B).versions(VersionSelector.ALL)).entries()).isEmpty();
    // A local post of the same version is still added to the other collection.
    assertThat(put(B, indicator(i1, "2021-01-01T00:00:00.000Z")).kind()).isEqualTo(Kind.ADDED);
  }

  @Test
  void theBacklogCountsEntriesAfterASeqAndTellsTheOldest() {
    assertThat(store.backlog(A, 0)).isEqualTo(new Store.Backlog(0, null));
    WriteOutcome first = put(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z"));
    long firstSeq = page(query(A)).lastSeq();
    WriteOutcome second = put(A, indicator(id("indicator", 2), "2021-01-01T00:00:00Z"));
    put(B, indicator(id("indicator", 3), "2021-01-01T00:00:00Z"));

    assertThat(store.backlog(A, 0)).isEqualTo(new Store.Backlog(2, first.dateAdded()));
    assertThat(store.backlog(A, firstSeq)).isEqualTo(new Store.Backlog(1, second.dateAdded()));
    assertThat(store.backlog("99999999-9999-4999-8999-999999999999", 0))
        .isEqualTo(new Store.Backlog(0, null));
  }

  @Test
  void producersOnlyEntriesAreSeenByTheirProducersAloneAndReportedAsAmberStrict() {
    StixObject o = indicator(id("indicator", 1), "2021-01-01T00:00:00.000Z");
    store.write(
        tx ->
            tx.put(
                new ObjectWrite(A, o, o.toJson(), "org-a", "peer-b", Tlp.AMBER)
                    .received("peer-b", true)));

    assertThat(page(query(A).visibility(Visibility.of("org-a", null))).entries())
        .singleElement()
        .satisfies(e -> assertThat(e.tlp()).isEqualTo(Tlp.AMBER_STRICT));
    // Above every ceiling, RED included: grants never reach it.
    assertThat(page(query(A).visibility(Visibility.of("org-b", Tlp.RED))).entries()).isEmpty();
    assertThat(
            page(query(A).versions(VersionSelector.ALL).visibility(Visibility.of("org-b", Tlp.RED)))
                .entries())
        .isEmpty();
    assertThat(page(query(A)).entries()).hasSize(1);
    // For a reader it is hidden from, an older version it may see is the last one.
    store.write(
        tx ->
            tx.put(
                ObjectWrite.of(
                    A,
                    indicator(o.id(), "2020-01-01T00:00:00.000Z"),
                    "org-c",
                    "carol",
                    Tlp.GREEN)));
    assertThat(versions(page(query(A).visibility(Visibility.of("org-b", Tlp.RED)))))
        .containsExactly(o.id() + "@2020-01-01T00:00:00.000Z");
    assertThat(versions(page(query(A).visibility(Visibility.of("org-a", Tlp.GREEN)))))
        .containsExactly(o.id() + "@2021-01-01T00:00:00.000Z");
  }

  // ---- several processes on the same data --------------------------------------------------

  /**
   * Users, collections and grants are cached in memory; a write through this store drops the cache
   * before it returns, and so, within moments, does one through another store on the same data
   * (another process, say).
   */
  @Test
  void cachedReadsSeeWritesOfThisStoreAtOnceAndOfOthersSoon() throws Exception {
    Instant created = Instant.parse("2026-01-02T03:04:05Z");
    User alice = new User("alice", "org-a", User.Role.ANALYST, null, false, created);
    store.write(
        tx -> {
          tx.createOrganisation(new Organisation("org-a", null, null, true));
          return tx.createUser(alice);
        });
    assertThat(store.user("alice")).contains(alice);
    assertThat(store.user("bob")).isEmpty();

    User disabled = new User("alice", "org-a", User.Role.ANALYST, null, true, created);
    store.write(
        tx -> {
          tx.updateUser(disabled);
          return null;
        });
    assertThat(store.user("alice")).contains(disabled);
    assertThat(store.user("bob")).isEmpty();

    User bob = new User("bob", "org-a", User.Role.READER, null, false, created);
    try (Store other = newStore(dir)) {
      other.write(tx -> tx.createUser(bob));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (store.user("bob").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(store.user("bob")).contains(bob);
  }

  /**
   * The writer that drew the lower seq commits later than another process's writer would like to: a
   * reader paging by seq in between must still get both, never skip the late one.
   */
  @Test
  void anEntryCommittedLaterWithALowerSeqIsNeverSkipped() throws Exception {
    String first = id("indicator", 1);
    String second = id("indicator", 2);
    try (Store other = newStore(dir)) {
      CountDownLatch drawn = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<WriteOutcome> slow =
            pool.submit(
                () ->
                    store.write(
                        tx -> {
                          WriteOutcome o =
                              tx.put(write(A, indicator(first, "2021-01-01T00:00:00Z")));
                          drawn.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                          return o;
                        }));
        assertThat(drawn.await(30, TimeUnit.SECONDS)).isTrue();
        // Another process writes while the first transaction, numbers drawn, has not committed.
        Future<WriteOutcome> fast =
            pool.submit(
                () ->
                    other.write(tx -> tx.put(write(A, indicator(second, "2021-01-01T00:00:00Z")))));
        // The other process's write either commits now or waits for the first one to commit.
        try {
          fast.get(500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException waiting) {
          // It waits: fine, as long as it does not end up before the first one in the cursor.
        }
        // A reader pages in between...
        List<Entry> seen = new ArrayList<>();
        long cursor = 0;
        EntryPage between = page(query(A).versions(VersionSelector.ALL).afterSeq(cursor));
        seen.addAll(between.entries());
        Instant addedAfter = Instant.EPOCH;
        if (!between.entries().isEmpty()) {
          cursor = between.lastSeq();
          addedAfter = between.entries().get(between.entries().size() - 1).dateAdded();
        }
        release.countDown();
        WriteOutcome slowOutcome = slow.get(30, TimeUnit.SECONDS);
        WriteOutcome fastOutcome = fast.get(30, TimeUnit.SECONDS);
        // ...and goes on from its cursor once both have committed.
        EntryPage rest = page(query(A).versions(VersionSelector.ALL).afterSeq(cursor));
        seen.addAll(rest.entries());
        List<Entry> seenByDate = new ArrayList<>(between.entries());
        seenByDate.addAll(
            page(query(A).versions(VersionSelector.ALL).addedAfter(addedAfter)).entries());

        assertThat(slowOutcome.kind()).isEqualTo(Kind.ADDED);
        assertThat(fastOutcome.kind()).isEqualTo(Kind.ADDED);
        assertThat(seen).extracting(Entry::id).containsExactlyInAnyOrder(first, second);
        assertIncreasing(new EntryPage(seen, false));
        assertThat(seenByDate).isEqualTo(seen);
        assertThat(fastOutcome.dateAdded()).isAfter(slowOutcome.dateAdded());
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
    }
  }

  /**
   * Two stores on the same data (two processes) write at once, their transactions lingering after
   * they drew their numbers; readers paging by seq and by added_after neither skip nor repeat.
   */
  @Test
  void pagingWhileTwoStoresWriteTheSameDataNeitherSkipsNorRepeats() throws Exception {
    int perWriter = 300;
    try (Store other = newStore(dir)) {
      AtomicReference<Throwable> writerError = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(2);
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        Store target = w == 0 ? store : other;
        int base = w * 100_000;
        writers.add(
            new Thread(
                () -> {
                  try {
                    SplittableRandom random = new SplittableRandom(base);
                    int n = 0;
                    while (n < perWriter) {
                      int batch = 1 + random.nextInt(5);
                      int start = n;
                      int linger = random.nextInt(3);
                      target.write(
                          tx -> {
                            for (int i = start; i < start + batch; i++) {
                              tx.put(write(A, indicator(id("indicator", base + i), modified(i))));
                            }
                            sleep(linger);
                            return null;
                          });
                      n += batch;
                    }
                  } catch (Throwable t) {
                    writerError.compareAndSet(null, t);
                  } finally {
                    done.countDown();
                  }
                }));
      }
      writers.forEach(Thread::start);

      List<Entry> bySeq = new ArrayList<>();
      List<Entry> byDate = new ArrayList<>();
      long cursor = 0;
      Instant addedAfter = Instant.EPOCH;
      while (true) {
        boolean finished = done.getCount() == 0;
        EntryPage p = page(query(A).versions(VersionSelector.ALL).limit(23).afterSeq(cursor));
        bySeq.addAll(p.entries());
        if (!p.entries().isEmpty()) {
          cursor = p.lastSeq();
        }
        EntryPage d =
            other.entries(
                query(A).versions(VersionSelector.ALL).limit(17).addedAfter(addedAfter).get());
        byDate.addAll(d.entries());
        if (!d.entries().isEmpty()) {
          addedAfter = d.entries().get(d.entries().size() - 1).dateAdded();
        }
        if (finished && !p.more() && !d.more()) {
          break;
        }
      }
      for (Thread t : writers) {
        t.join();
      }

      assertThat(writerError.get()).isNull();
      List<Long> all =
          page(query(A).versions(VersionSelector.ALL).limit(100_000)).entries().stream()
              .map(Entry::seq)
              .toList();
      assertThat(all).hasSize(2 * perWriter);
      assertThat(bySeq).extracting(Entry::seq).containsExactlyElementsOf(all);
      assertThat(byDate).extracting(Entry::seq).containsExactlyElementsOf(all);
      assertIncreasing(new EntryPage(bySeq, false));
    }
  }

  private static void sleep(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void jsonBodiesAreServedAsTheirStoredUtf8Bytes() {
    StixObject o =
        sdo(
            "indicator",
            id("indicator", 1),
            "2021-01-01T00:00:00.000Z",
            "2.1",
            "Ħéłłø ✓ 𝄞 \\u0000");

    put(A, o);

    assertThat(page(query(A)).entries())
        .singleElement()
        .satisfies(
            e -> assertThat(e.jsonUtf8()).isEqualTo(o.toJson().getBytes(StandardCharsets.UTF_8)));
  }

  /** A clock that can be set, for stepping time backwards. */
  protected static final class SettableClock extends Clock {
    volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void dateAddedKeepsRisingWhenTheClockStepsBackEvenAcrossReopen() {
    store.close();
    SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00.000000500Z"));
    List<Instant> added = new ArrayList<>();
    try (Store s = newStore(dir, clock)) {
      added.add(
          s.write(tx -> tx.put(write(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z"))))
              .dateAdded());
      added.add(
          s.write(tx -> tx.put(write(A, indicator(id("indicator", 2), "2021-01-01T00:00:00Z"))))
              .dateAdded());
    }
    clock.now = Instant.parse("2029-12-31T00:00:00Z");
    try (Store s = newStore(dir, clock)) {
      added.add(
          s.write(tx -> tx.put(write(A, indicator(id("indicator", 3), "2021-01-01T00:00:00Z"))))
              .dateAdded());
    }
    store = newStore(dir);

    assertThat(added)
        .containsExactly(
            Instant.parse("2030-01-01T00:00:00Z"),
            Instant.parse("2030-01-01T00:00:00.000001Z"),
            Instant.parse("2030-01-01T00:00:00.000002Z"));
    assertThat(store.entries(query(A).get()).entries())
        .extracting(Entry::dateAdded)
        .containsExactlyElementsOf(added);
  }

  @Test
  void aRolledBackTransactionDoesNotAdvanceTheStoresCounters() {
    SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
    store.close();
    try (Store s = newStore(dir, clock)) {
      try {
        s.write(
            tx -> {
              tx.put(write(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z")));
              throw new IllegalStateException("abandon");
            });
      } catch (IllegalStateException expected) {
        // rolled back
      }
      WriteOutcome o =
          s.write(tx -> tx.put(write(A, indicator(id("indicator", 2), "2021-01-01T00:00:00Z"))));

      assertThat(o.dateAdded()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
      assertThat(s.entries(query(A).get()).entries())
          .singleElement()
          .satisfies(e -> assertThat(e.seq()).isEqualTo(1));
    }
    store = newStore(dir);
  }

  /**
   * A writer process is killed with SIGKILL while committing; every write it reported as committed
   * must be there afterwards.
   */
  @Test
  void noCommittedWriteIsLostWhenTheWriterIsKilled() throws Exception {
    store.close();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                dir.toString(),
                A));
    if (databaseUrl(dir) != null) {
      command.add(databaseUrl(dir));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Set<String> acknowledged = new HashSet<>();
    List<String> output = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("committed ")) {
          acknowledged.add(line.substring("committed ".length()));
          if (acknowledged.size() == 300) {
            // SIGKILL, no shutdown hooks, no close. Through the handle, so the output stream
            // stays readable: lines printed before the kill still count as acknowledged.
            p.toHandle().destroyForcibly();
          }
        } else {
          output.add(line);
        }
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(acknowledged).as("writer output: %s", output).hasSizeGreaterThanOrEqualTo(300);

    store = newStore(dir);

    Set<String> present = new HashSet<>();
    store
        .entries(query(A).versions(VersionSelector.ALL).limit(100_000).withoutJson().get())
        .entries()
        .forEach(e -> present.add(e.id()));
    assertThat(present).containsAll(acknowledged);
  }
}
