package org.entente.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.entente.stix.pattern.IpBlock;

/**
 * Selects the indicators whose patterns may match an observation without scanning every pattern.
 *
 * <p>Each pattern is decomposed by {@link PatternAnchors}: equality and IN tests become hash keys
 * (object type, canonical path, canonical value), CIDR ISSUBSET tests become entries in a binary
 * prefix trie per path, and patterns with no indexable test go to a scan list that every
 * observation visits. An observation is flattened only along the paths that some anchor uses, and
 * each value is looked up. The result is a superset of the matching indicators; {@link #match}
 * hands each candidate to the full {@link PatternEvaluator}.
 *
 * <p>Multi-observation patterns (AND, OR, FOLLOWEDBY between observations, REPEATS) are registered
 * under the anchors of every sub-observation. For each, the index keeps the recent observations
 * that hit one of its anchors, so that a later observation can complete a match; the candidate then
 * carries them all. The state is bounded: an observation is dropped once its {@code last_observed}
 * is more than the window before the newest observation's {@code first_observed} (the window is the
 * pattern's top-level WITHIN, else the configured horizon), and at most {@code perPatternCap}
 * observations are kept per pattern (oldest dropped first). Observations are assumed to arrive
 * roughly in time order; one arriving later than the window is not joined.
 *
 * <p>Not thread-safe: one detection thread owns an index (lookups update multi-observation state).
 */
public final class IndicatorIndex {
  private final Duration horizon;
  private final int perPatternCap;

  private final Map<String, Entry> byId = new HashMap<>();

  /** Key to an Entry, or to a List of Entries when several indicators share the key. */
  private final Map<String, Object> keys = new HashMap<>();

  /** Per SCO type, the anchored paths with their use counts and CIDR tries. */
  private final Map<String, Map<String, PathSlot>> paths = new HashMap<>();

  private final Set<Entry> scan = new LinkedHashSet<>();
  private final TreeSet<Entry> expiries =
      new TreeSet<>(
          Comparator.comparing((Entry e) -> e.indicator.validUntil())
              .thenComparing(e -> e.indicator.id()));

  /**
   * @param horizon how long a multi-observation pattern without a top-level WITHIN remembers an
   *     observation
   * @param perPatternCap how many observations a multi-observation pattern remembers at most
   */
  public IndicatorIndex(Duration horizon, int perPatternCap) {
    if (horizon.isNegative() || perPatternCap < 1) {
      throw new IllegalArgumentException("horizon must be >= 0 and perPatternCap >= 1");
    }
    this.horizon = horizon;
    this.perPatternCap = perPatternCap;
  }

  /** One hour of memory and 64 observations per multi-observation pattern. */
  public IndicatorIndex() {
    this(Duration.ofHours(1), 64);
  }

  /**
   * One registered indicator and, if compound, its recent hits. Its anchors are not kept: with a
   * million indicators they would be most of the heap, and removal derives them again from the
   * pattern (the plan is a pure function of it).
   */
  private static final class Entry {
    final IndexedIndicator indicator;
    final Duration window;
    final ArrayDeque<Observation> recent;

    Entry(IndexedIndicator indicator, PatternAnchors.Plan plan) {
      this.indicator = indicator;
      this.window = plan.window();
      this.recent = plan.multi() ? new ArrayDeque<>(4) : null;
    }
  }

  private static final class PathSlot {
    final ValuePath path;
    int keyUses;
    CidrTrie<Entry> trie;

    PathSlot(ValuePath path) {
      this.path = path;
    }

    boolean unused() {
      return keyUses == 0 && (trie == null || trie.size() == 0);
    }
  }

  /** Number of indexed indicators. */
  public int size() {
    return byId.size();
  }

  /** Number of indicators on the scan list (visited by every observation). */
  public int scanned() {
    return scan.size();
  }

  /**
   * Adds an indicator, replacing any earlier version with the same id. A revoked indicator is
   * simply removed: it can never match again.
   */
  public void add(IndexedIndicator indicator) {
    remove(indicator.id());
    if (indicator.revoked()) {
      return;
    }
    PatternAnchors.Plan plan = PatternAnchors.plan(indicator.pattern());
    Entry e = new Entry(indicator, plan);
    byId.put(indicator.id(), e);
    if (indicator.validUntil() != null) {
      expiries.add(e);
    }
    List<PatternAnchors.Anchor> anchors = plan.anchors();
    if (anchors == null) {
      scan.add(e);
      return;
    }
    for (PatternAnchors.Anchor a : anchors) {
      PathSlot slot =
          paths
              .computeIfAbsent(a.path().type(), t -> new HashMap<>(4))
              .computeIfAbsent(a.path().id(), id -> new PathSlot(a.path()));
      if (a instanceof PatternAnchors.Key k) {
        slot.keyUses++;
        keys.merge(k.key(), e, IndicatorIndex::join);
      } else {
        PatternAnchors.Subnet s = (PatternAnchors.Subnet) a;
        if (slot.trie == null) {
          slot.trie = new CidrTrie<>();
        }
        slot.trie.add(s.block(), e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Object join(Object old, Object added) {
    if (old instanceof List<?> list) {
      ((List<Entry>) list).add((Entry) added);
      return list;
    }
    List<Entry> list = new ArrayList<>(2);
    list.add((Entry) old);
    list.add((Entry) added);
    return list;
  }

  /** Marks an indicator revoked: it is removed. Returns whether it was indexed. */
  public boolean revoke(String id) {
    return remove(id);
  }

  /** Removes an indicator and its multi-observation state. Returns whether it was indexed. */
  public boolean remove(String id) {
    Entry e = byId.remove(id);
    if (e == null) {
      return false;
    }
    if (e.indicator.validUntil() != null) {
      expiries.remove(e);
    }
    List<PatternAnchors.Anchor> anchors = PatternAnchors.plan(e.indicator.pattern()).anchors();
    if (anchors == null) {
      scan.remove(e);
      return true;
    }
    for (PatternAnchors.Anchor a : anchors) {
      Map<String, PathSlot> byPath = paths.get(a.path().type());
      PathSlot slot = byPath.get(a.path().id());
      if (a instanceof PatternAnchors.Key k) {
        slot.keyUses--;
        keys.computeIfPresent(k.key(), (key, v) -> without(v, e));
      } else {
        slot.trie.remove(((PatternAnchors.Subnet) a).block(), e);
      }
      if (slot.unused()) {
        byPath.remove(a.path().id());
        if (byPath.isEmpty()) {
          paths.remove(a.path().type());
        }
      }
    }
    return true;
  }

  private static Object without(Object v, Entry e) {
    if (v == e) {
      return null;
    }
    if (v instanceof List<?> list) {
      // An IN list may repeat a member: remove one occurrence per anchor, as add put one each.
      list.remove(e);
      return list.size() == 1 ? list.get(0) : list.isEmpty() ? null : list;
    }
    return v;
  }

  /** Removes every indicator whose valid_until is at or before {@code now}; returns how many. */
  public int expire(Instant now) {
    int n = 0;
    while (!expiries.isEmpty() && !expiries.first().indicator.validUntil().isAfter(now)) {
      remove(expiries.first().indicator.id());
      n++;
    }
    return n;
  }

  /**
   * The indicators that may match {@code obs}, valid during its window, each with the observations
   * to evaluate it on. Records {@code obs} in the state of the multi-observation patterns it hits.
   */
  public List<Candidate> candidates(Observation obs) {
    Set<Entry> hits = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (JsonNode sco : obs.objects().values()) {
      JsonNode type = sco.get("type");
      Map<String, PathSlot> byPath = type == null ? null : paths.get(type.asText());
      if (byPath == null) {
        continue;
      }
      for (PathSlot slot : byPath.values()) {
        if (slot.keyUses > 0) {
          String prefix = slot.path.id() + '\u0000';
          slot.path.forEachValue(sco, obs.objects(), v -> collect(keys.get(prefix + v), hits));
        }
        if (slot.trie != null && slot.trie.size() > 0) {
          slot.path.forEachText(
              sco,
              obs.objects(),
              text -> {
                IpBlock p = IpBlock.parse(text);
                if (p != null) {
                  slot.trie.forEachContaining(p, hits::add);
                }
              });
        }
      }
    }
    hits.addAll(scan);
    List<Candidate> out = new ArrayList<>(hits.size());
    for (Entry e : hits) {
      if (!e.indicator.validDuring(obs.firstObserved(), obs.lastObserved())) {
        continue;
      }
      out.add(new Candidate(e.indicator, e.recent == null ? List.of(obs) : remember(e, obs)));
    }
    return out;
  }

  /** Adds {@code obs} to a compound pattern's recent hits, applies the bounds, returns them. */
  private List<Observation> remember(Entry e, Observation obs) {
    Duration window = e.window != null ? e.window : horizon;
    Instant oldest = minus(obs.firstObserved(), window);
    e.recent.removeIf(o -> o.lastObserved().isBefore(oldest) || o.id().equals(obs.id()));
    e.recent.addLast(obs);
    while (e.recent.size() > perPatternCap) {
      e.recent.removeFirst();
    }
    return List.copyOf(e.recent);
  }

  private static Instant minus(Instant t, Duration d) {
    try {
      return t.minus(d);
    } catch (ArithmeticException | java.time.DateTimeException overflow) {
      return Instant.MIN;
    }
  }

  /** The candidates that {@code evaluator} confirms. */
  public List<IndexedIndicator> match(Observation obs, PatternEvaluator evaluator) {
    Objects.requireNonNull(evaluator);
    List<IndexedIndicator> out = new ArrayList<>();
    for (Candidate c : candidates(obs)) {
      if (evaluator.matches(c.indicator().pattern(), c.observations())) {
        out.add(c.indicator());
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void collect(Object v, Collection<Entry> hits) {
    if (v == null) {
      return;
    }
    if (v instanceof Entry e) {
      hits.add(e);
    } else {
      hits.addAll((List<Entry>) v);
    }
  }
}
