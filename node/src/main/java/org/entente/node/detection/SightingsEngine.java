package org.entente.node.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.entente.detect.Candidate;
import org.entente.detect.IndexedIndicator;
import org.entente.detect.IndicatorIndex;
import org.entente.detect.Observation;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.StixTimestamp;
import org.entente.stix.marking.Tlp;
import org.entente.stix.marking.TlpMarkings;
import org.entente.stix.pattern.PatternMatcher;
import org.entente.stix.pattern.PatternSyntaxException;
import org.entente.stix.pattern.StixPattern;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.CommittedWrite;
import org.entente.store.Entry;
import org.entente.store.EntryPage;
import org.entente.store.NotFoundException;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.SpecVersions;
import org.entente.store.Store;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.WriteTransaction;

/**
 * Matches observations against every stored STIX-pattern indicator and records the hits as
 * aggregated STIX sightings, one per (indicator, reporting organisation).
 *
 * <p>A later hit writes a new version of the same sighting (same id, later {@code modified}):
 * {@code count} grows by the observed-data's {@code number_observed}, {@code first_seen} / {@code
 * last_seen} widen, and {@code observed_data_refs} gains the observed-data that matched, keeping
 * only the newest {@value #MAX_OBSERVED_DATA_REFS} (the count still counts them all; a sighting
 * would otherwise grow without bound on a busy indicator). The sighting id is a UUIDv5 of the
 * indicator id and the reporting identity, so the CLI and a running node aggregate into the same
 * object without sharing memory.
 *
 * <p>The sighting, the observed-data it cites and its SCOs go into the collection that holds the
 * indicator, produced by the reporting organisation at TLP:AMBER (the collections' default level;
 * nothing in the project documents a better rule for sightings). The indicator's producer must see
 * them even when its TLP ceiling in that collection does not reach AMBER, so the engine also puts
 * the same versions on behalf of that organisation: the store then records it as a co-producer,
 * which the sharing policy treats like the first producer. This uses only the existing store
 * contract and needs no new visibility rule; the cost is that the producer appears as a co-producer
 * of what it is told about.
 *
 * <p>The read of the previous sighting version happens outside the write transaction; calls are
 * serialised within one engine, but two processes (a node and {@code entente match}) recording the
 * same sighting at the same moment may each build on the same previous version, and the later one
 * wins (a count may then be short). Thread-safe: all methods are synchronised.
 */
public final class SightingsEngine {
  /** At most this many observed-data ids are kept in a sighting's {@code observed_data_refs}. */
  public static final int MAX_OBSERVED_DATA_REFS = 100;

  /** The STIX 2.1 upper bound of a sighting's {@code count}. */
  static final long MAX_COUNT = 999_999_999L;

  /** The user recorded on the co-producer puts made for the indicator's producer. */
  static final String ENGINE_USER = "sightings-engine";

  private static final UUID SIGHTING_NAMESPACE =
      UUID.fromString("6f3a2d1e-5b7c-4e2a-9d1f-0c8b7a6e5d4c");
  private static final int PAGE = 500;

  /** Where an indicator is held: the collection its sightings go to and who produced it. */
  private record Source(String collectionId, String producerOrg, Instant version) {}

  /** One recorded hit: the indicator, the sighting version written, and its count. */
  public record Recorded(String indicatorId, String sightingId, long count) {}

  private final Store store;
  private final Clock clock;
  private final IndicatorIndex index = new IndicatorIndex();
  private final Map<String, Source> sources = new HashMap<>();

  private SightingsEngine(Store store, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
  }

  /** An engine indexing every indicator the store holds now, in every collection. */
  public static SightingsEngine load(Store store, Clock clock) {
    SightingsEngine engine = new SightingsEngine(store, clock);
    for (ApiRoot root : store.apiRoots()) {
      for (Collection c : store.collections(root.path())) {
        ObjectQuery q =
            new ObjectQuery(
                c.id(),
                Set.of(),
                Set.of("indicator"),
                VersionSelector.LAST,
                SpecVersions.NEWEST,
                null,
                0,
                PAGE,
                true,
                Visibility.EVERYTHING);
        while (true) {
          EntryPage page = store.entries(q);
          for (Entry e : page.entries()) {
            engine.consider(c.id(), e.producerOrg(), StixJson.parse(e.json()));
          }
          if (!page.more() || page.entries().isEmpty()) {
            break;
          }
          q = q.afterSeq(page.lastSeq());
        }
      }
    }
    return engine;
  }

  /** Number of indicators indexed. */
  public synchronized int indicators() {
    return index.size();
  }

  /**
   * Drops the indicators whose valid_until passed more than {@code grace} ago (an observation may
   * arrive that late and still fall inside their window); returns how many.
   */
  public synchronized int expire(java.time.Duration grace) {
    return index.expire(clock.instant().minus(grace));
  }

  /**
   * Keeps the index current from committed writes: new indicators, new versions and revocations.
   * Meant as a {@code GroupCommitWriter} commit listener; it only updates memory (no store access),
   * so it is cheap on the writer thread.
   */
  public synchronized void onCommitted(List<CommittedWrite> writes) {
    for (CommittedWrite w : writes) {
      if (w.outcome().kind() == org.entente.store.WriteOutcome.Kind.CONFLICT
          || !"indicator".equals(w.write().object().type())) {
        continue;
      }
      consider(w.write().collectionId(), w.write().producerOrg(), w.write().object().json());
    }
  }

  /** Indexes one indicator version unless an equal or newer one is already indexed. */
  synchronized void consider(String collectionId, String producerOrg, JsonNode indicator) {
    String id = indicator.path("id").asText(null);
    if (id == null) {
      return;
    }
    Instant version = instant(indicator.path("modified").asText(null));
    if (version == null) {
      version = instant(indicator.path("created").asText(null));
    }
    if (version == null) {
      version = Instant.EPOCH;
    }
    Source known = sources.get(id);
    if (known != null && !version.isAfter(known.version())) {
      // An older version, or the same one posted to another collection: sightings stay in the
      // collection where the indicator was first seen.
      return;
    }
    if (!"stix".equals(indicator.path("pattern_type").asText())) {
      index.remove(id);
      return;
    }
    StixPattern pattern;
    try {
      pattern = StixPattern.parse(indicator.path("pattern").asText());
    } catch (PatternSyntaxException e) {
      index.remove(id); // a pattern that does not parse matches nothing
      return;
    }
    Instant validFrom = instant(indicator.path("valid_from").asText(null));
    if (validFrom == null) {
      validFrom = version;
    }
    Instant validUntil = instant(indicator.path("valid_until").asText(null));
    boolean revoked = indicator.path("revoked").asBoolean(false);
    String holder = known != null ? known.collectionId() : collectionId;
    String producer = known != null ? known.producerOrg() : producerOrg;
    sources.put(id, new Source(holder, producer, version));
    index.add(new IndexedIndicator(id, pattern, validFrom, validUntil, revoked));
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return StixTimestamp.parse(text).instant();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Matches one observed-data (with the SCOs it references) reported by {@code reportingOrg} and
   * records a sighting version for every indicator it matches.
   *
   * @param user the user recorded as the writer of the reporting organisation's objects
   * @return one entry per matched indicator, in no particular order
   * @throws NotFoundException if the organisation does not exist
   */
  public synchronized List<Recorded> observe(
      String reportingOrg, String user, ObjectNode observedData, List<ObjectNode> scos) {
    return observe(reportingOrg, user, observedData, scos, tx -> {});
  }

  /**
   * {@link #observe(String, String, ObjectNode, List)}, running {@code alsoInTransaction} in the
   * transaction that records the sightings (when there are any), e.g. to save how far the caller
   * got and to check that it may still write.
   */
  public synchronized List<Recorded> observe(
      String reportingOrg,
      String user,
      ObjectNode observedData,
      List<ObjectNode> scos,
      Consumer<WriteTransaction> alsoInTransaction) {
    Organisation org =
        store
            .organisation(reportingOrg)
            .orElseThrow(
                () -> new NotFoundException("organisation '" + reportingOrg + "' does not exist"));
    if (org.identityId() == null) {
      // A sighting names where it was seen by identity; without one it would not be valid STIX.
      throw new IllegalStateException(
          "organisation '" + reportingOrg + "' has no STIX identity; it cannot report sightings");
    }
    Observation obs = observation(observedData, scos);
    List<Pending> pending = new ArrayList<>();
    for (Candidate c : index.candidates(obs)) {
      PatternMatcher.Result r = PatternMatcher.match(c.indicator().pattern(), objects(c));
      if (!r.matched()) {
        continue;
      }
      Source source = sources.get(c.indicator().id());
      pending.add(
          new Pending(
              source,
              sighting(source, c.indicator().id(), org.identityId(), obs, r.observedDataIds())));
    }
    if (pending.isEmpty()) {
      return List.of();
    }
    store.write(
        tx -> {
          alsoInTransaction.accept(tx);
          for (Pending p : pending) {
            String coll = p.source().collectionId();
            put(tx, coll, observedData, reportingOrg, user, p.source().producerOrg());
            for (ObjectNode sco : scos) {
              put(tx, coll, sco, reportingOrg, user, p.source().producerOrg());
            }
            put(tx, coll, p.sighting(), reportingOrg, user, p.source().producerOrg());
          }
          return null;
        });
    List<Recorded> out = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      out.add(
          new Recorded(
              p.sighting().path("sighting_of_ref").asText(),
              p.sighting().path("id").asText(),
              p.sighting().path("count").asLong()));
    }
    return out;
  }

  private record Pending(Source source, ObjectNode sighting) {}

  /** Puts an object for the reporter, then for the indicator's producer (a co-producer). */
  private static void put(
      WriteTransaction tx,
      String collectionId,
      ObjectNode object,
      String reportingOrg,
      String user,
      String indicatorProducer) {
    StixObject o = StixObject.of(object);
    tx.put(ObjectWrite.of(collectionId, o, reportingOrg, user, Tlp.AMBER));
    if (indicatorProducer != null && !indicatorProducer.equals(reportingOrg)) {
      tx.put(ObjectWrite.of(collectionId, o, indicatorProducer, ENGINE_USER, Tlp.AMBER));
    }
  }

  /** The next version of the (indicator, reporter) sighting, built on the stored one if any. */
  private ObjectNode sighting(
      Source source,
      String indicatorId,
      String identityId,
      Observation obs,
      List<String> observedDataIds) {
    String id = sightingId(indicatorId, identityId);
    JsonNode previous = latest(source.collectionId(), id);
    Instant now = clock.instant();
    Instant first = obs.firstObserved();
    Instant last = obs.lastObserved();
    long count = Math.max(1, obs.numberObserved());
    Set<String> refs = new LinkedHashSet<>();
    String created = StixTimestamp.of(now, 3).text();
    if (previous != null) {
      created = previous.path("created").asText(created);
      Instant prevModified = instant(previous.path("modified").asText(null));
      if (prevModified != null && !now.isAfter(prevModified)) {
        now = prevModified.plusMillis(1); // a new version needs a strictly later modified
      }
      Instant f = instant(previous.path("first_seen").asText(null));
      Instant l = instant(previous.path("last_seen").asText(null));
      first = f != null && f.isBefore(first) ? f : first;
      last = l != null && l.isAfter(last) ? l : last;
      count += previous.path("count").asLong(0);
      previous.path("observed_data_refs").forEach(r -> refs.add(r.asText()));
    }
    refs.addAll(observedDataIds);
    List<String> kept = new ArrayList<>(refs);
    if (kept.size() > MAX_OBSERVED_DATA_REFS) {
      kept = kept.subList(kept.size() - MAX_OBSERVED_DATA_REFS, kept.size());
    }
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("type", "sighting");
    s.put("spec_version", "2.1");
    s.put("id", id);
    s.put("created", created);
    s.put("modified", StixTimestamp.of(now, 3).text());
    s.put("created_by_ref", identityId);
    s.put("sighting_of_ref", indicatorId);
    ArrayNode od = s.putArray("observed_data_refs");
    kept.forEach(od::add);
    s.putArray("where_sighted_refs").add(identityId);
    s.put("count", Math.min(count, MAX_COUNT));
    s.put("first_seen", StixTimestamp.of(first, 3).text());
    s.put("last_seen", StixTimestamp.of(last, 3).text());
    s.putArray("object_marking_refs").add(TlpMarkings.TLP2_AMBER);
    return s;
  }

  /** The stored last version of an object in a collection, or null. */
  private JsonNode latest(String collectionId, String id) {
    EntryPage page =
        store.entries(
            new ObjectQuery(
                collectionId,
                Set.of(id),
                Set.of(),
                VersionSelector.LAST,
                SpecVersions.NEWEST,
                null,
                0,
                1,
                true,
                Visibility.EVERYTHING));
    return page.entries().isEmpty() ? null : StixJson.parse(page.entries().get(0).json());
  }

  /** The sighting id of an (indicator, reporting identity) pair: a UUIDv5 of both. */
  static String sightingId(String indicatorId, String identityId) {
    return "sighting--" + uuid5(SIGHTING_NAMESPACE, indicatorId + "\n" + identityId);
  }

  private static UUID uuid5(UUID namespace, String name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      java.nio.ByteBuffer ns = java.nio.ByteBuffer.allocate(16);
      ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
      sha1.update(ns.array());
      byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
      h[6] = (byte) ((h[6] & 0x0f) | 0x50);
      h[8] = (byte) ((h[8] & 0x3f) | 0x80);
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h, 0, 16);
      return new UUID(b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The matcher's view of an observed-data: its window, count and referenced SCOs by id. */
  static Observation observation(ObjectNode observedData, List<ObjectNode> scos) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    Set<String> wanted = new LinkedHashSet<>();
    observedData.path("object_refs").forEach(r -> wanted.add(r.asText()));
    for (ObjectNode sco : scos) {
      String id = sco.path("id").asText();
      if (wanted.contains(id)) {
        byId.put(id, sco);
      }
    }
    Instant first = instant(observedData.path("first_observed").asText(null));
    Instant last = instant(observedData.path("last_observed").asText(null));
    if (first == null || last == null) {
      throw new IllegalArgumentException("observed-data needs first_observed and last_observed");
    }
    return new Observation(
        observedData.path("id").asText(),
        first,
        last,
        observedData.path("number_observed").asLong(1),
        byId);
  }

  /**
   * The observed-data objects (rebuilt from the observations, which keep what matching needs) and
   * their SCOs, as {@link PatternMatcher} takes them.
   */
  private static List<JsonNode> objects(Candidate c) {
    List<JsonNode> out = new ArrayList<>();
    for (Observation o : c.observations()) {
      ObjectNode od = JsonNodeFactory.instance.objectNode();
      od.put("type", "observed-data");
      od.put("id", o.id());
      od.put("first_observed", StixTimestamp.of(o.firstObserved(), 6).text());
      od.put("last_observed", StixTimestamp.of(o.lastObserved(), 6).text());
      od.put("number_observed", o.numberObserved());
      ArrayNode refs = od.putArray("object_refs");
      o.objects().keySet().forEach(refs::add);
      out.add(od);
      out.addAll(o.objects().values());
    }
    return out;
  }
}
