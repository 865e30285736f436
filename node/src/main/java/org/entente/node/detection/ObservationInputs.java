package org.entente.node.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.entente.stix.StixJson;
import org.entente.store.CommittedEntries;
import org.entente.store.CommittedEntry;
import org.entente.store.CommittedWrite;
import org.entente.store.Entry;
import org.entente.store.NotFoundException;
import org.entente.store.ObjectQuery;
import org.entente.store.SpecVersions;
import org.entente.store.Store;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.WriteOutcome;
import org.entente.store.WriteTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running node's side of detection: one thread follows the store's change feed (the commits of
 * every process sharing the store, and of {@code entente sync}), keeps the {@link
 * SightingsEngine}'s indicators current and matches every observed-data newly added to an
 * observation-input collection, on behalf of the organisation that posted it.
 *
 * <p>Only the process that leads the node does this: with several processes on one database,
 * observations are matched once. Where the feed stands is the node setting {@value #POSITION},
 * saved in the transaction of the sightings it led to (and fenced by the leader's lease), so a new
 * leader neither skips nor re-counts an observation. Local commits wake the thread at once; other
 * processes' commits are seen within {@link #POLL}.
 */
public final class ObservationInputs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ObservationInputs.class);

  /** The node setting holding the seq up to which the feed has been handled. */
  public static final String POSITION = "detection.seq";

  /** How late an observation may be matched against an indicator that has since expired. */
  static final Duration EXPIRY_GRACE = Duration.ofHours(1);

  static final Duration POLL = Duration.ofMillis(250);
  private static final int BATCH = 1_000;

  /** Without sightings to save it with, the position is saved at most this often. */
  private static final long POSITION_SAVE_NANOS = Duration.ofSeconds(2).toNanos();

  /** A store that stays unreachable is logged once a minute, not at every poll. */
  private static final long FAILURE_LOG_NANOS = Duration.ofMinutes(1).toNanos();

  /** Observed-data versions matched lately: an engine write may add one to a second collection. */
  private static final int RECENT = 100_000;

  private static final Set<String> FOLLOWED = Set.of("indicator", "observed-data");

  /** Parsed objects of recent local commits kept for the detection thread (several batches). */
  private static final int JUST_COMMITTED = 20_000;

  private final Store store;
  private final Supplier<SightingsEngine> load;
  private final BooleanSupplier leading;
  private final Consumer<WriteTransaction> fence;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "entente-detection");
            t.setDaemon(true);
            return t;
          });

  // Only the detection thread uses these.
  private SightingsEngine engine;
  private long position;
  private long savedPosition;
  private long savedAt;
  private long lastFailureLogged = System.nanoTime() - FAILURE_LOG_NANOS;

  /**
   * The parsed objects of this process's own recent commits, by entry (collection, id, version), so
   * the thread need not parse again what the request threads parsed. Bounded; what is not found
   * here is parsed from the feed.
   */
  private final Map<String, HandedOver> justCommitted =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HandedOver> eldest) {
          return size() > JUST_COMMITTED;
        }
      };

  /** A committed object's tree, and when its entry was added (entries commit in that order). */
  private record HandedOver(JsonNode object, Instant dateAdded) {}

  /** How many trees the hand-off holds after the last batch (read by tests). */
  private volatile int held;

  /**
   * Committed writes handed over by the writer's thread while this process leads: the writer only
   * queues the list (it is the node's one serial thread); the detection thread sorts it out.
   */
  private final Queue<List<CommittedWrite>> handedOver = new ConcurrentLinkedQueue<>();

  private final AtomicInteger handedOverWrites = new AtomicInteger();

  private volatile boolean following;

  /** Followed objects taken from the hand-off, and parsed from the feed (read by tests). */
  private final AtomicLong reused = new AtomicLong();

  private final AtomicLong parsed = new AtomicLong();

  private final Map<String, Boolean> recent =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT;
        }
      };

  /**
   * Starts the detection thread. While this process leads ({@code leading}), the thread loads the
   * engine (every stored indicator is parsed and indexed: seconds for millions, so start-up does
   * not wait for it) and then follows the feed; when it stops leading it drops the engine.
   *
   * @param fence called inside every transaction that records sightings: throws if this process no
   *     longer leads, so that transaction does not commit
   */
  public ObservationInputs(
      Store store,
      Supplier<SightingsEngine> load,
      BooleanSupplier leading,
      Consumer<WriteTransaction> fence) {
    this.store = store;
    this.load = load;
    this.leading = leading;
    this.fence = fence;
    thread.scheduleWithFixedDelay(this::follow, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    // Expired indicators can never match again; dropping them keeps the index to the live set.
    thread.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.MINUTES);
  }

  private void expire() {
    if (engine != null) {
      int n = engine.expire(EXPIRY_GRACE);
      if (n > 0) {
        LOG.info("detection: {} expired indicators dropped from the index", n);
      }
    }
  }

  /** A {@code GroupCommitWriter} commit listener: wakes the thread, returns at once. */
  public void onCommitted(List<CommittedWrite> writes) {
    if (following && handedOverWrites.get() < JUST_COMMITTED) {
      handedOverWrites.addAndGet(writes.size());
      handedOver.add(writes);
    }
    try {
      thread.execute(this::follow);
    } catch (RejectedExecutionException e) {
      // Closing: the feed position is saved, the next leader matches what is left.
    }
  }

  private void follow() {
    try {
      if (!leading.getAsBoolean()) {
        if (engine != null) {
          LOG.info("detection: another process leads the node now; index dropped");
          engine = null;
          recent.clear();
        }
        following = false;
        forgetJustCommitted();
        return;
      }
      if (engine == null) {
        start();
      }
      while (true) {
        CommittedEntries batch = store.committedEntries(position, FOLLOWED, BATCH);
        handle(batch);
        if (batch.entries().size() < BATCH) {
          break;
        }
      }
      if (position != savedPosition && System.nanoTime() - savedAt > POSITION_SAVE_NANOS) {
        long p = position;
        store.write(
            tx -> {
              fence.accept(tx);
              tx.saveSetting(POSITION, Long.toString(p));
              return null;
            });
        saved(p);
      }
    } catch (RuntimeException e) {
      // Retried at the next poll from the saved position: indicators seen again are indexed
      // once, and observations after that position were not recorded.
      position = savedPosition;
      recent.clear();
      forgetJustCommitted();
      long now = System.nanoTime();
      if (now - lastFailureLogged > FAILURE_LOG_NANOS) {
        lastFailureLogged = now;
        LOG.error("detection: following the store's commits failed; retrying", e);
      }
    }
  }

  /** Loads the engine and the feed position (a failure is retried at the next poll). */
  private void start() {
    long started = System.nanoTime();
    // Read before the load, so no commit falls between the loaded indicators and the feed.
    long head = store.lastSeq();
    SightingsEngine loaded = load.get();
    String stored =
        store.write(
            tx -> {
              fence.accept(tx);
              return tx.initSetting(POSITION, Long.toString(head));
            });
    position = Long.parseLong(stored);
    saved(position);
    engine = loaded;
    following = true;
    LOG.info(
        "detection: {} indicators indexed in {} ms; following commits after seq {}",
        engine.indicators(),
        (System.nanoTime() - started) / 1_000_000,
        position);
  }

  private void saved(long p) {
    savedPosition = p;
    savedAt = System.nanoTime();
  }

  private void handle(CommittedEntries batch) {
    Set<String> inputs = store.observationInputs();
    List<CommittedEntry> entries = batch.entries();
    takeHandedOver();
    JsonNode[] objects = new JsonNode[entries.size()];
    for (int i = 0; i < objects.length; i++) {
      CommittedEntry c = entries.get(i);
      HandedOver h =
          justCommitted.remove(entryKey(c.collectionId(), c.entry().id(), c.entry().version()));
      objects[i] = h == null ? null : h.object();
    }
    if (!entries.isEmpty()) {
      dropPassed(entries.get(entries.size() - 1).entry().dateAdded());
    }
    held = justCommitted.size();
    for (int i = 0; i < objects.length; i++) {
      CommittedEntry c = entries.get(i);
      Entry e = c.entry();
      JsonNode object = objects[i];
      if (object != null) {
        reused.incrementAndGet();
      } else {
        object = StixJson.parse(e.json());
        parsed.incrementAndGet();
      }
      if ("indicator".equals(e.type())) {
        engine.consider(c.collectionId(), e.producerOrg(), object);
      } else if (inputs.contains(c.collectionId())
          && e.producerOrg() != null
          && recent.put(e.id() + "\u0000" + e.version(), Boolean.TRUE) == null) {
        observe(c, object, e.seq());
      }
      position = e.seq();
    }
    position = Math.max(position, batch.throughSeq());
  }

  long reusedObjects() {
    return reused.get();
  }

  long parsedObjects() {
    return parsed.get();
  }

  private static String entryKey(String collectionId, String id, String version) {
    return collectionId + '\u0000' + id + '\u0000' + version;
  }

  /**
   * Drops what was handed over for entries the feed has already passed: a poll that ran between a
   * commit and its hand-off parsed them, and nothing would ever take their trees (they held up to
   * {@link #JUST_COMMITTED} trees in a soak). date_added rises with seq, so every entry added up to
   * {@code through} has been read.
   */
  private void dropPassed(Instant through) {
    for (Iterator<HandedOver> it = justCommitted.values().iterator(); it.hasNext(); ) {
      if (it.next().dateAdded().isAfter(through)) {
        return;
      }
      it.remove();
    }
  }

  int heldHandOffs() {
    return held;
  }

  private void takeHandedOver() {
    for (List<CommittedWrite> writes; (writes = handedOver.poll()) != null; ) {
      handedOverWrites.addAndGet(-writes.size());
      for (CommittedWrite w : writes) {
        if (w.outcome().kind() == WriteOutcome.Kind.ADDED
            && FOLLOWED.contains(w.write().object().type())) {
          justCommitted.put(
              entryKey(w.write().collectionId(), w.outcome().id(), w.outcome().version()),
              new HandedOver(w.write().object().json(), w.outcome().dateAdded()));
        }
      }
    }
  }

  private void forgetJustCommitted() {
    for (List<CommittedWrite> writes; (writes = handedOver.poll()) != null; ) {
      handedOverWrites.addAndGet(-writes.size());
    }
    justCommitted.clear();
    held = 0;
  }

  private void observe(CommittedEntry c, JsonNode observed, long seq) {
    if (!(observed instanceof ObjectNode od)) {
      return;
    }
    List<ObjectNode> scos = new ArrayList<>();
    Set<String> refs = new LinkedHashSet<>();
    observed.path("object_refs").forEach(r -> refs.add(r.asText()));
    if (!refs.isEmpty()) {
      // Posted with it or earlier: the collection holds them.
      for (Entry e :
          store
              .entries(
                  new ObjectQuery(
                      c.collectionId(),
                      refs,
                      Set.of(),
                      VersionSelector.LAST,
                      SpecVersions.NEWEST,
                      null,
                      0,
                      refs.size(),
                      true,
                      Visibility.EVERYTHING))
              .entries()) {
        if (StixJson.parse(e.json()) instanceof ObjectNode o) {
          scos.add(o);
        }
      }
    }
    List<SightingsEngine.Recorded> hits;
    try {
      hits =
          engine.observe(
              c.entry().producerOrg(),
              c.producerUser(),
              od,
              scos,
              tx -> {
                fence.accept(tx);
                tx.saveSetting(POSITION, Long.toString(seq));
              });
    } catch (IllegalArgumentException | IllegalStateException | NotFoundException e) {
      // Not matchable (no window, no identity for the reporter): skipped, not retried.
      LOG.warn("detection: observed-data {} not matched: {}", c.entry().id(), e.getMessage());
      return;
    }
    if (!hits.isEmpty()) {
      saved(seq);
    }
    for (SightingsEngine.Recorded r : hits) {
      LOG.info(
          "sighting {} of {} (count {}) reported by {}",
          r.sightingId(),
          r.indicatorId(),
          r.count(),
          c.entry().producerOrg());
    }
  }

  /** Finishes what is queued (up to 10 s), then stops. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }
}
