package org.entente.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.store.StoreTestObjects.id;
import static org.entente.store.StoreTestObjects.indicator;
import static org.entente.store.StoreTestObjects.query;
import static org.entente.store.StoreTestObjects.write;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.entente.store.Entry;
import org.entente.store.Organisation;
import org.entente.store.Store;
import org.entente.store.StoreContractTest;
import org.entente.store.User;
import org.entente.store.VersionSelector;
import org.entente.store.WriteOutcome;
import org.junit.jupiter.api.Test;

/** The store contract against real SQLite files, plus what only SQLite has. */
class SqliteStoreTest extends StoreContractTest {
  @Override
  protected Store newStore(Path dir) {
    return SqliteStore.open(dir);
  }

  private SqliteStore sqlite() {
    return (SqliteStore) store;
  }

  @Test
  void commitsAreDurableAndForeignKeysEnforced() {
    assertThat(sqlite().writerPragma("journal_mode")).isEqualTo("wal");
    // 2 = FULL: the WAL is fsynced at every commit, so a commit survives power loss.
    assertThat(sqlite().writerPragma("synchronous")).isEqualTo("2");
    assertThat(sqlite().writerPragma("foreign_keys")).isEqualTo("1");
    assertThat(Integer.parseInt(sqlite().writerPragma("busy_timeout"))).isPositive();
    assertThat(sqlite().file()).isEqualTo(dir.resolve(SqliteStore.FILE_NAME).toAbsolutePath());
  }

  /**
   * Users, collections and grants are cached in memory; a write through this store drops the cache
   * before it returns, and so, within moments, does one through another connection to the same file
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
    try (SqliteStore other = new SqliteStore(sqlite().file(), Clock.systemUTC(), 1)) {
      other.write(tx -> tx.createUser(bob));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (store.user("bob").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(store.user("bob")).contains(bob);
  }

  /** A clock that can be set, for stepping time backwards. */
  static final class SettableClock extends Clock {
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
    Path file = dir.resolve(SqliteStore.FILE_NAME);
    SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00.000000500Z"));
    List<Instant> added = new ArrayList<>();
    try (SqliteStore s = new SqliteStore(file, clock, 2)) {
      added.add(
          s.write(tx -> tx.put(write(A, indicator(id("indicator", 1), "2021-01-01T00:00:00Z"))))
              .dateAdded());
      added.add(
          s.write(tx -> tx.put(write(A, indicator(id("indicator", 2), "2021-01-01T00:00:00Z"))))
              .dateAdded());
    }
    clock.now = Instant.parse("2029-12-31T00:00:00Z");
    try (SqliteStore s = new SqliteStore(file, clock, 2)) {
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
    try (SqliteStore s = new SqliteStore(dir.resolve(SqliteStore.FILE_NAME), clock, 1)) {
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
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                dir.toString(),
                A)
            .redirectErrorStream(true)
            .start();
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
