package org.entente.node.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.CommittedWrite;
import org.entente.store.GroupCommitWriter;
import org.entente.store.ObjectWrite;
import org.entente.store.WriteOutcome;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detection thread takes the objects this process committed through its writer from the commit
 * listener's hand-off instead of parsing them again, and parses from the change feed what was
 * committed some other way (another process, the CLI).
 */
class ObservationInputsHandOffTest {
  @TempDir Path dir;

  @Test
  void ownCommitsAreNotParsedAgainOthersAre() throws Exception {
    try (SqliteStore store = SqliteStore.open(dir);
        GroupCommitWriter writer = new GroupCommitWriter(store, 100_000, 10_000)) {
      store.write(
          tx -> {
            tx.createApiRoot(new ApiRoot("api", "API", null, 10_000_000));
            tx.createCollection(
                new Collection("c1", "api", "c1", null, null, "amber", Instant.now()));
            return null;
          });
      ObservationInputs inputs =
          new ObservationInputs(
              store, () -> SightingsEngine.load(store, Clock.systemUTC()), () -> true, tx -> {});
      writer.addCommitListener(inputs::onCommitted);
      try {
        // Until the engine is loaded nothing is handed over; wait for it to follow the feed.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  writer.submit(List.of(indicator(0)), (tx, outcomes) -> {}).get();
                  return inputs.reusedObjects() > 0;
                });
        // Let it finish with the warm-up's commits (it is woken by each; 300 ms without change).
        long[] seen = {-1};
        await()
            .pollInterval(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  long now = inputs.reusedObjects() + inputs.parsedObjects();
                  boolean settled = now == seen[0];
                  seen[0] = now;
                  return settled;
                });
        long reusedBefore = inputs.reusedObjects();
        long parsedBefore = inputs.parsedObjects();

        List<ObjectWrite> writes = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
          writes.add(indicator(i));
        }
        writer.submit(writes, (tx, outcomes) -> {}).get();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(
                            inputs.reusedObjects()
                                - reusedBefore
                                + inputs.parsedObjects()
                                - parsedBefore)
                        .isEqualTo(200));
        // A poll that runs between the commit and the listener's hand-off parses what it finds;
        // that window is short, so (nearly) all of them come from the hand-off.
        assertThat(inputs.reusedObjects() - reusedBefore).isGreaterThanOrEqualTo(190);
        long reusedAfter = inputs.reusedObjects();
        long parsedAfter = inputs.parsedObjects();

        // Committed without this writer (as another process or `entente sync` would): parsed.
        List<ObjectWrite> others = new ArrayList<>();
        for (int i = 201; i <= 230; i++) {
          others.add(indicator(i));
        }
        store.write(tx -> tx.putAll(others));
        inputs.onCommitted(List.of()); // the wake-up another process's commit gets from the poll
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(inputs.parsedObjects() - parsedBefore).isEqualTo(30));
        assertThat(inputs.reusedObjects() - reusedBefore).isEqualTo(200);

        // The race the hand-off has: a poll that ran between a commit and the writer's hand-off
        // parsed the entries, and their trees arrive afterwards. They must not stay behind.
        List<ObjectWrite> late = new ArrayList<>();
        for (int i = 231; i <= 260; i++) {
          late.add(indicator(i));
        }
        List<WriteOutcome> lateOutcomes = store.write(tx -> tx.putAll(late));
        inputs.onCommitted(List.of());
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(inputs.parsedObjects() - parsedBefore).isEqualTo(60));
        List<CommittedWrite> handedLate = new ArrayList<>();
        for (int i = 0; i < late.size(); i++) {
          handedLate.add(new CommittedWrite(late.get(i), lateOutcomes.get(i)));
        }
        inputs.onCommitted(handedLate);
        writer.submit(List.of(indicator(261)), (tx, outcomes) -> {}).get();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  assertThat(inputs.reusedObjects() - reusedBefore).isEqualTo(201);
                  assertThat(inputs.heldHandOffs()).isZero();
                });
      } finally {
        inputs.close();
      }
    }
  }

  private static ObjectWrite indicator(int i) {
    String json =
        "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--"
            + UUID.randomUUID()
            + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value"
            + " = '198.51.100."
            + (i % 250)
            + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}";
    return ObjectWrite.of("c1", StixObject.of(StixJson.parse(json)), null, null);
  }
}
