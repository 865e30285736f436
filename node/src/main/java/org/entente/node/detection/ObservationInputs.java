package org.entente.node.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.entente.stix.StixJson;
import org.entente.store.CommittedWrite;
import org.entente.store.Entry;
import org.entente.store.ObjectQuery;
import org.entente.store.SpecVersions;
import org.entente.store.Store;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.WriteOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running node's side of detection: after each commit it hands the committed writes to one
 * detection thread, which keeps the {@link SightingsEngine}'s indicators current and matches every
 * observed-data newly added to an observation-input collection, on behalf of the organisation that
 * posted it. One thread owns the engine, so the writer thread never waits for matching, and
 * indicator updates and observations are seen in commit order.
 */
public final class ObservationInputs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ObservationInputs.class);

  private final Store store;

  /** Set by the detection thread's first task; only that thread uses it. */
  private SightingsEngine engine;

  /** How late an observation may be matched against an indicator that has since expired. */
  static final Duration EXPIRY_GRACE = Duration.ofHours(1);

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "entente-detection");
            t.setDaemon(true);
            return t;
          });

  /**
   * Starts the detection thread, whose first task loads the engine (every stored indicator is
   * parsed and indexed: seconds for millions), so that start-up does not wait for it. Commits
   * queued meanwhile are matched after the load, in order; an indicator both loaded and seen in a
   * queued commit is indexed once.
   */
  public ObservationInputs(Store store, Supplier<SightingsEngine> load) {
    this.store = store;
    thread.execute(
        () -> {
          long started = System.nanoTime();
          try {
            engine = load.get();
            LOG.info(
                "detection: {} indicators indexed in {} ms",
                engine.indicators(),
                (System.nanoTime() - started) / 1_000_000);
          } catch (RuntimeException e) {
            LOG.error("detection disabled: the indicators could not be loaded", e);
          }
        });
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

  /** A {@code GroupCommitWriter} commit listener: queues the batch, returns at once. */
  public void onCommitted(List<CommittedWrite> writes) {
    try {
      thread.execute(() -> process(writes));
    } catch (RejectedExecutionException e) {
      // Closing: what was not matched now is not lost data, only a sighting not recorded.
      LOG.warn("detection is stopping; {} committed writes not matched", writes.size());
    }
  }

  private void process(List<CommittedWrite> writes) {
    if (engine == null) {
      return; // loading failed (logged); nothing to match against
    }
    try {
      engine.onCommitted(writes);
      Set<String> inputs = store.observationInputs();
      if (inputs.isEmpty()) {
        return;
      }
      Map<String, JsonNode> batch = new HashMap<>();
      for (CommittedWrite w : writes) {
        batch.put(w.write().object().id(), w.write().object().json());
      }
      for (CommittedWrite w : writes) {
        if (w.outcome().kind() == WriteOutcome.Kind.ADDED
            && "observed-data".equals(w.write().object().type())
            && inputs.contains(w.write().collectionId())
            && w.write().producerOrg() != null) {
          observe(w, batch);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("matching committed observations failed", e);
    }
  }

  private void observe(CommittedWrite w, Map<String, JsonNode> batch) {
    JsonNode observed = w.write().object().json();
    List<ObjectNode> scos = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>();
    for (JsonNode ref : observed.path("object_refs")) {
      JsonNode sco = batch.get(ref.asText());
      if (sco instanceof ObjectNode o) {
        scos.add(o);
      } else {
        missing.add(ref.asText());
      }
    }
    if (!missing.isEmpty()) {
      // Posted earlier, or in another envelope: the collection holds them.
      for (Entry e :
          store
              .entries(
                  new ObjectQuery(
                      w.write().collectionId(),
                      missing,
                      Set.of(),
                      VersionSelector.LAST,
                      SpecVersions.NEWEST,
                      null,
                      0,
                      missing.size(),
                      true,
                      Visibility.EVERYTHING))
              .entries()) {
        if (StixJson.parse(e.json()) instanceof ObjectNode o) {
          scos.add(o);
        }
      }
    }
    List<SightingsEngine.Recorded> hits =
        engine.observe(
            w.write().producerOrg(),
            w.write().producerUser(),
            (ObjectNode) observed.deepCopy(),
            scos);
    for (SightingsEngine.Recorded r : hits) {
      LOG.info(
          "sighting {} of {} (count {}) reported by {}",
          r.sightingId(),
          r.indicatorId(),
          r.count(),
          w.write().producerOrg());
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
