package org.entente.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
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
 * <p>The tables are flat primitive arrays keyed by 64-bit hashes ({@link KeyTable}, {@link
 * AddressBlocks}) so that a lookup costs about one cache miss at a million indicators, and a lookup
 * allocates nothing unless it finds candidates.
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

  /** Seeds every key hash, so that colliding values cannot be chosen in advance. */
  private final long seed = ThreadLocalRandom.current().nextLong();

  private final Map<String, Entry> byId = new HashMap<>();

  /** Entries by number (the value the key tables hold); null where freed. */
  private Entry[] entries = new Entry[16];

  private int[] freeNumbers = new int[16];
  private int freeCount;
  private int numbered;

  private final KeyTable keys = new KeyTable();

  /** Per SCO type, the anchored paths with their use counts and CIDR blocks. */
  private final Map<String, TypeSlots> paths = new HashMap<>();

  private final Set<Entry> scan = new LinkedHashSet<>();
  private final TreeSet<Entry> expiries =
      new TreeSet<>(
          Comparator.comparing((Entry e) -> e.indicator.validUntil())
              .thenComparing(e -> e.indicator.id()));

  // Scratch state of the lookup in progress (the index is single-threaded).
  private final List<Entry> hits = new ArrayList<>();
  private int stamp = 1;
  private long probeSeed;
  private AddressBlocks probeBlocks;
  private final KeyTable.EntrySink collector = this::collect;
  private final ValuePath.LeafSink keyProbe =
      (tag, value) -> keys.forEach(KeyTable.hash(probeSeed, tag, value), collector);
  private final java.util.function.Consumer<String> blockProbe = this::probeBlocks;

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
   * pattern (the plan is a pure function of it). The validity window is copied out of the indicator
   * so that rejecting an out-of-window candidate touches only this object.
   */
  private static final class Entry {
    final IndexedIndicator indicator;
    final int number;
    final Duration window;
    final ArrayDeque<Observation> recent;
    final long fromSecond;
    final int fromNano;
    final long untilSecond;
    final int untilNano;
    int stamp;

    Entry(IndexedIndicator indicator, int number, PatternAnchors.Plan plan) {
      this.indicator = indicator;
      this.number = number;
      this.window = plan.window();
      this.recent = plan.multi() ? new ArrayDeque<>(4) : null;
      this.fromSecond = indicator.validFrom().getEpochSecond();
      this.fromNano = indicator.validFrom().getNano();
      Instant until = indicator.validUntil();
      this.untilSecond = until == null ? Long.MAX_VALUE : until.getEpochSecond();
      this.untilNano = until == null ? Integer.MAX_VALUE : until.getNano();
    }

    /** Same as {@link IndexedIndicator#validDuring} (revoked entries are never indexed). */
    boolean validDuring(Instant first, Instant last) {
      long lastSecond = last.getEpochSecond();
      if (fromSecond > lastSecond || (fromSecond == lastSecond && fromNano > last.getNano())) {
        return false;
      }
      long firstSecond = first.getEpochSecond();
      return untilSecond > firstSecond
          || (untilSecond == firstSecond && untilNano > first.getNano());
    }
  }

  /** The anchored paths of one SCO type, also as an array for allocation-free iteration. */
  private static final class TypeSlots {
    final Map<String, PathSlot> byId = new HashMap<>(4);
    PathSlot[] all = new PathSlot[0];

    void refresh() {
      all = byId.values().toArray(new PathSlot[0]);
    }
  }

  private static final class PathSlot {
    final ValuePath path;
    final long seed;
    int keyUses;
    AddressBlocks blocks;

    PathSlot(ValuePath path, long seed) {
      this.path = path;
      this.seed = seed;
    }

    boolean unused() {
      return keyUses == 0 && (blocks == null || blocks.size() == 0);
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
    Entry e = new Entry(indicator, newNumber(), plan);
    entries[e.number] = e;
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
      TypeSlots slots = paths.computeIfAbsent(a.path().type(), t -> new TypeSlots());
      PathSlot slot = slots.byId.get(a.path().id());
      if (slot == null) {
        slot = new PathSlot(a.path(), KeyTable.hash(seed, 'p', a.path().id()));
        slots.byId.put(a.path().id(), slot);
        slots.refresh();
      }
      if (a instanceof PatternAnchors.Key k) {
        slot.keyUses++;
        keys.add(KeyTable.hash(slot.seed, k.tag(), k.value()), e.number);
      } else {
        if (slot.blocks == null) {
          slot.blocks = new AddressBlocks(slot.seed);
        }
        slot.blocks.add(((PatternAnchors.Subnet) a).block(), e.number);
      }
    }
  }

  private int newNumber() {
    if (freeCount > 0) {
      return freeNumbers[--freeCount];
    }
    if (numbered == entries.length) {
      entries = java.util.Arrays.copyOf(entries, numbered * 2);
    }
    return numbered++;
  }

  private void freeNumber(int number) {
    entries[number] = null;
    if (freeCount == freeNumbers.length) {
      freeNumbers = java.util.Arrays.copyOf(freeNumbers, freeCount * 2);
    }
    freeNumbers[freeCount++] = number;
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
      freeNumber(e.number);
      return true;
    }
    for (PatternAnchors.Anchor a : anchors) {
      TypeSlots slots = paths.get(a.path().type());
      PathSlot slot = slots.byId.get(a.path().id());
      if (a instanceof PatternAnchors.Key k) {
        slot.keyUses--;
        // An IN list may repeat a member: one occurrence per anchor, as add put one each.
        keys.remove(KeyTable.hash(slot.seed, k.tag(), k.value()), e.number);
      } else {
        slot.blocks.remove(((PatternAnchors.Subnet) a).block(), e.number);
      }
      if (slot.unused()) {
        slots.byId.remove(a.path().id());
        slots.refresh();
        if (slots.byId.isEmpty()) {
          paths.remove(a.path().type());
        }
      }
    }
    freeNumber(e.number);
    return true;
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
    hits.clear();
    if (++stamp == Integer.MAX_VALUE) {
      // Before the counter could come round to a stamp an entry still carries, clear them all.
      for (Entry e : byId.values()) {
        e.stamp = 0;
      }
      stamp = 1;
    }
    Map<String, JsonNode> objects = obs.objects();
    for (JsonNode sco : objects.values()) {
      JsonNode type = sco.get("type");
      TypeSlots slots = type == null ? null : paths.get(type.asText());
      if (slots == null) {
        continue;
      }
      for (PathSlot slot : slots.all) {
        if (slot.keyUses > 0) {
          probeSeed = slot.seed;
          slot.path.forEachValue(sco, objects, keyProbe);
        }
        if (slot.blocks != null && slot.blocks.size() > 0) {
          probeBlocks = slot.blocks;
          slot.path.forEachText(sco, objects, blockProbe);
        }
      }
    }
    for (Entry e : scan) {
      collect(e);
    }
    if (hits.isEmpty()) {
      return List.of();
    }
    List<Candidate> out = new ArrayList<>(hits.size());
    for (Entry e : hits) {
      if (!e.validDuring(obs.firstObserved(), obs.lastObserved())) {
        continue;
      }
      out.add(new Candidate(e.indicator, e.recent == null ? List.of(obs) : remember(e, obs)));
    }
    hits.clear();
    return out;
  }

  private void collect(int number) {
    collect(entries[number]);
  }

  private void collect(Entry e) {
    if (e.stamp != stamp) {
      e.stamp = stamp;
      hits.add(e);
    }
  }

  private void probeBlocks(String text) {
    long v4 = IpBlock.ipv4(text);
    if (v4 >= 0) {
      probeBlocks.forEachContainingV4(v4, 32, collector);
      return;
    }
    IpBlock block = IpBlock.parse(text);
    if (block != null) {
      probeBlocks.forEachContaining(block, collector);
    }
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
}
