package org.entente.node.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.marking.Tlp;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.CommittedWrite;
import org.entente.store.Entry;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.SpecVersions;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.WriteOutcome;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sightings engine on a real SQLite store: aggregation, visibility, index upkeep. */
class SightingsEngineTest {
  private static final String COLL = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
  private static final String IND = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
  private static final String IND2 = "indicator--0b7c5e5a-1b0e-4f4a-9e55-3c1f6a3a1d42";
  private static final String ID_A = "identity--a1a1a1a1-0000-4000-8000-000000000001";
  private static final String ID_B = "identity--b2b2b2b2-0000-4000-8000-000000000002";
  private static final String ID_C = "identity--c3c3c3c3-0000-4000-8000-000000000003";

  @TempDir Path dir;
  private SqliteStore store;
  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void setUp() {
    store = SqliteStore.open(dir);
    store.write(
        tx -> {
          tx.createApiRoot(new ApiRoot("api", "t", "d", 10_000_000));
          tx.createOrganisation(new Organisation("org-a", ID_A, "FR", true));
          tx.createOrganisation(new Organisation("org-b", ID_B, "DE", false));
          tx.createOrganisation(new Organisation("org-c", ID_C, "IT", false));
          tx.createCollection(
              new Collection(COLL, "api", "Shared", "shared", "shared", "amber", null));
          return null;
        });
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private static StixObject indicator(String id, String pattern, String modified, boolean revoked) {
    return StixObject.of(
        StixJson.parse(
            "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\""
                + id
                + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\""
                + modified
                + "\",\"pattern\":\""
                + pattern
                + "\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\""
                + (revoked ? ",\"revoked\":true" : "")
                + "}"));
  }

  private WriteOutcome putIndicator(StixObject o) {
    return store.write(tx -> tx.put(ObjectWrite.of(COLL, o, "org-a", "alice", Tlp.RED)));
  }

  private static SimpleEvent event(String timestamp, String ip) {
    return SimpleEvent.of(
        StixJson.parse("{\"timestamp\":\"" + timestamp + "\",\"ip\":\"" + ip + "\"}"),
        ID_B,
        Instant.parse("2026-03-01T12:00:00Z"));
  }

  private List<Entry> visible(Visibility v, String type) {
    return store
        .entries(
            new ObjectQuery(
                COLL,
                Set.of(),
                Set.of(type),
                VersionSelector.LAST,
                SpecVersions.NEWEST,
                null,
                0,
                100,
                true,
                v))
        .entries();
  }

  @Test
  void threeEventsMakeOneAggregatedSightingVisibleToTheIndicatorProducerOnly() {
    putIndicator(
        indicator(IND, "[ipv4-addr:value = '198.51.100.7']", "2026-01-01T00:00:00.000Z", false));
    SightingsEngine engine = SightingsEngine.load(store, clock);
    assertThat(engine.indicators()).isEqualTo(1);

    List<SightingsEngine.Recorded> all = new ArrayList<>();
    for (String t :
        List.of("2026-02-10T08:00:00Z", "2026-02-09T07:30:00Z", "2026-02-11T23:59:00Z")) {
      SimpleEvent e = event(t, "198.51.100.7");
      all.addAll(engine.observe("org-b", "bob", e.observedData(), e.scos()));
    }
    SimpleEvent miss = event("2026-02-12T00:00:00Z", "198.51.100.8");
    assertThat(engine.observe("org-b", "bob", miss.observedData(), miss.scos())).isEmpty();

    assertThat(all).extracting(SightingsEngine.Recorded::count).containsExactly(1L, 2L, 3L);
    assertThat(all)
        .extracting(SightingsEngine.Recorded::sightingId)
        .containsOnly(all.get(0).sightingId());

    List<Entry> sightings = visible(Visibility.EVERYTHING, "sighting");
    assertThat(sightings).hasSize(1);
    JsonNode s = StixJson.parse(sightings.get(0).json());
    assertThat(s.get("sighting_of_ref").asText()).isEqualTo(IND);
    assertThat(s.get("count").asLong()).isEqualTo(3);
    assertThat(s.get("first_seen").asText()).isEqualTo("2026-02-09T07:30:00.000Z");
    assertThat(s.get("last_seen").asText()).isEqualTo("2026-02-11T23:59:00.000Z");
    assertThat(s.get("where_sighted_refs")).extracting(JsonNode::asText).containsExactly(ID_B);
    assertThat(s.get("created_by_ref").asText()).isEqualTo(ID_B);
    assertThat(s.get("observed_data_refs")).hasSize(3);
    assertThat(sightings.get(0).producerOrg()).isEqualTo("org-b");
    assertThat(sightings.get(0).tlp()).isEqualTo(Tlp.AMBER);
    // Three versions of one sighting, each with a later modified.
    assertThat(
            store
                .entries(
                    new ObjectQuery(
                        COLL,
                        Set.of(s.get("id").asText()),
                        Set.of(),
                        VersionSelector.ALL,
                        SpecVersions.NEWEST,
                        null,
                        0,
                        100,
                        true,
                        Visibility.EVERYTHING))
                .entries())
        .extracting(Entry::version)
        .doesNotHaveDuplicates()
        .hasSize(3);
    // The cited observed-data is stored too.
    assertThat(visible(Visibility.EVERYTHING, "observed-data"))
        .extracting(Entry::id)
        .containsAll(
            () -> s.get("observed_data_refs").valueStream().map(JsonNode::asText).iterator());

    // Org A (the indicator's producer) sees the sighting and its evidence without any ceiling;
    // org C, with no ceiling, sees none of it; org B sees what it reported.
    assertThat(visible(Visibility.of("org-a", null), "sighting")).hasSize(1);
    assertThat(visible(Visibility.of("org-a", null), "observed-data")).hasSize(3);
    assertThat(visible(Visibility.of("org-c", null), "sighting")).isEmpty();
    assertThat(visible(Visibility.of("org-c", Tlp.GREEN), "sighting")).isEmpty();
    assertThat(visible(Visibility.of("org-c", null), "observed-data")).isEmpty();
    assertThat(visible(Visibility.of("org-b", null), "sighting")).hasSize(1);
  }

  @Test
  void eachReportingOrganisationHasItsOwnSighting() {
    putIndicator(
        indicator(IND, "[ipv4-addr:value = '198.51.100.7']", "2026-01-01T00:00:00.000Z", false));
    SightingsEngine engine = SightingsEngine.load(store, clock);
    SimpleEvent b = event("2026-02-10T08:00:00Z", "198.51.100.7");
    SimpleEvent c =
        SimpleEvent.of(
            StixJson.parse("{\"timestamp\":\"2026-02-10T09:00:00Z\",\"ip\":\"198.51.100.7\"}"),
            ID_C,
            clock.instant());
    String sb = engine.observe("org-b", "bob", b.observedData(), b.scos()).get(0).sightingId();
    String sc = engine.observe("org-c", "carol", c.observedData(), c.scos()).get(0).sightingId();
    assertThat(sb).isNotEqualTo(sc);
    assertThat(visible(Visibility.EVERYTHING, "sighting")).hasSize(2);
    assertThat(visible(Visibility.of("org-a", null), "sighting")).hasSize(2);
    assertThat(visible(Visibility.of("org-c", null), "sighting"))
        .extracting(Entry::id)
        .containsExactly(sc);
  }

  @Test
  void commitEventsAddNewIndicatorsAndRemoveRevokedOnes() {
    SightingsEngine engine = SightingsEngine.load(store, clock);
    assertThat(engine.indicators()).isZero();
    StixObject v1 =
        indicator(IND, "[domain-name:value = 'evil.example']", "2026-01-01T00:00:00.000Z", false);
    WriteOutcome o1 = putIndicator(v1);
    engine.onCommitted(
        List.of(new CommittedWrite(ObjectWrite.of(COLL, v1, "org-a", "alice", Tlp.RED), o1)));
    assertThat(engine.indicators()).isEqualTo(1);

    SimpleEvent hit =
        SimpleEvent.of(
            StixJson.parse("{\"timestamp\":\"2026-02-10T08:00:00Z\",\"domain\":\"evil.example\"}"),
            ID_B,
            clock.instant());
    assertThat(engine.observe("org-b", "bob", hit.observedData(), hit.scos())).hasSize(1);

    // An older version arriving late changes nothing; the revoked version removes it.
    StixObject revoked =
        indicator(IND, "[domain-name:value = 'evil.example']", "2026-01-02T00:00:00.000Z", true);
    WriteOutcome o2 = putIndicator(revoked);
    engine.onCommitted(
        List.of(new CommittedWrite(ObjectWrite.of(COLL, revoked, "org-a", "alice", Tlp.RED), o2)));
    engine.onCommitted(
        List.of(new CommittedWrite(ObjectWrite.of(COLL, v1, "org-a", "alice", Tlp.RED), o1)));
    assertThat(engine.indicators()).isZero();
    SimpleEvent again =
        SimpleEvent.of(
            StixJson.parse("{\"timestamp\":\"2026-02-11T08:00:00Z\",\"domain\":\"evil.example\"}"),
            ID_B,
            clock.instant());
    assertThat(engine.observe("org-b", "bob", again.observedData(), again.scos())).isEmpty();
    // A fresh engine loads the revoked (last) version and indexes nothing.
    assertThat(SightingsEngine.load(store, clock).indicators()).isZero();
  }

  @Test
  void expiredIndicatorsLeaveTheIndexAfterTheGrace() {
    StixObject expiring =
        StixObject.of(
            StixJson.parse(
                indicator(
                        IND,
                        "[domain-name:value = 'evil.example']",
                        "2026-01-01T00:00:00.000Z",
                        false)
                    .json()
                    .toString()
                    .replace("}", ",\"valid_until\":\"2026-03-01T11:30:00Z\"}")));
    putIndicator(expiring);
    putIndicator(
        indicator(
            IND2, "[domain-name:value = 'other.example']", "2026-01-01T00:00:00.000Z", false));
    SightingsEngine engine = SightingsEngine.load(store, clock);
    assertThat(engine.indicators()).isEqualTo(2);
    // 30 minutes past valid_until: still within an hour's grace for late observations.
    assertThat(engine.expire(Duration.ofHours(1))).isZero();
    assertThat(engine.expire(Duration.ofMinutes(10))).isEqualTo(1);
    assertThat(engine.indicators()).isEqualTo(1);
  }

  @Test
  void observedDataRefsAreBounded() {
    putIndicator(
        indicator(IND, "[ipv4-addr:value = '198.51.100.7']", "2026-01-01T00:00:00.000Z", false));
    SightingsEngine engine = SightingsEngine.load(store, clock);
    int n = SightingsEngine.MAX_OBSERVED_DATA_REFS + 5;
    for (int i = 0; i < n; i++) {
      SimpleEvent e = event("2026-02-10T08:00:00Z", "198.51.100.7");
      engine.observe("org-b", "bob", e.observedData(), e.scos());
    }
    JsonNode s = StixJson.parse(visible(Visibility.EVERYTHING, "sighting").get(0).json());
    assertThat(s.get("count").asLong()).isEqualTo(n);
    assertThat(s.get("observed_data_refs")).hasSize(SightingsEngine.MAX_OBSERVED_DATA_REFS);
  }

  @Test
  void badEventsAreRefusedWithAReason() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SimpleEvent.of(StixJson.parse("{\"ip\":\"1.2.3.4\"}"), ID_B, clock.instant()))
        .hasMessageContaining("timestamp");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                SimpleEvent.of(
                    StixJson.parse("{\"timestamp\":\"2026-02-10T08:00:00Z\"}"),
                    ID_B,
                    clock.instant()))
        .hasMessageContaining("no observable");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                SimpleEvent.of(
                    StixJson.parse("{\"timestamp\":\"2026-02-10T08:00:00Z\",\"ipp\":\"x\"}"),
                    ID_B,
                    clock.instant()))
        .hasMessageContaining("unknown field 'ipp'");
    SimpleEvent all =
        SimpleEvent.of(
            StixJson.parse(
                "{\"timestamp\":\"2026-02-10T08:00:00+02:00\",\"ip\":\"2001:db8::1\","
                    + "\"domain\":\"a.example\",\"url\":\"http://a.example/x\","
                    + "\"hashes\":{\"SHA-256\":\"aa\"},\"email\":\"x@a.example\"}"),
            ID_B,
            clock.instant());
    assertThat(all.scos())
        .extracting(o -> o.get("type").asText())
        .containsExactly("ipv6-addr", "domain-name", "url", "email-addr", "file");
    assertThat(all.observedData().get("first_observed").asText())
        .isEqualTo("2026-02-10T06:00:00.000Z");
  }
}
