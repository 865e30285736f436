package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.entente.node.IngestLedger.Version;
import org.entente.stix.StixJson;
import org.entente.store.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Success means durable", under SIGKILL: a node in a child JVM takes a sustained ingest from
 * several clients (new objects, new versions of earlier ones, exact repeats) and is killed {@value
 * #DEFAULT_KILLS} times, each at a random moment 0-500 ms after it answered its first POST, and
 * restarted on the same data. Every version that any status reported as success (the POST's answer,
 * or a GET of the status during the run or after the last restart) must then be in the collection
 * exactly as posted, once; and no status that said "not stored" may have lied ({@link
 * IngestLedger}). On SQLite here, on PostgreSQL in {@link IngestKillPostgresTest}.
 *
 * <p>The timing is random (the seed is printed; {@code -Dingestkill.seed=...} repeats a run's
 * choices, though not the scheduling of threads); the outcome must not be.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class IngestKillTest {
  private static final int DEFAULT_KILLS = 20;
  private static final int KILLS = Integer.getInteger("ingestkill.kills", DEFAULT_KILLS);
  private static final long SEED = Long.getLong("ingestkill.seed", System.nanoTime());
  private static final int CLIENTS = 4;
  private static final String PASSWORD = "kill-test-password";

  @TempDir Path dir;

  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  private Path data() {
    return dir.resolve("data");
  }

  @AfterEach
  void dropTheDatabase() {
    backend().discard(data());
  }

  @Test
  void everyVersionAStatusCalledSuccessSurvivesRepeatedSigkills() throws Exception {
    System.out.printf(
        "%s on %s: seed %d (-Dingestkill.seed=%d repeats it)%n",
        getClass().getSimpleName(), backend(), SEED, SEED);
    Random random = new Random(SEED);
    IngestLedger ledger = new IngestLedger();
    AtomicReference<TaxiiHttp> live = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    ChildNode child = null;
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        Random own = new Random(SEED * 31 + c);
        running.add(
            clients.submit(
                () -> {
                  ingest(own, ledger, live, stop);
                  return null;
                }));
      }
      long started = System.nanoTime();
      long startupNanos = 0;
      int inFlightAtKill = 0;
      String token = null;
      for (int kill = 0; kill < KILLS; kill++) {
        long t = System.nanoTime();
        child = startNode();
        if (kill == 0) {
          token = token(child, PASSWORD);
          ledger.baseline(TaxiiHttp.bearer(child.baseUrl, token));
        }
        TaxiiHttp http = TaxiiHttp.bearer(child.baseUrl, token);
        int answers = ledger.answers();
        live.set(http);
        // The kill comes at a random moment of a sustained ingest: after the node answered again
        // (a kill before that would mostly cut requests short before their commit).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ledger.answers() == answers) {
          assertThat(System.nanoTime()).as("the restarted node answers").isLessThan(deadline);
          Thread.sleep(5);
        }
        startupNanos += System.nanoTime() - t;
        Thread.sleep(random.nextInt(500));
        int before = ledger.unanswered();
        // Clients that already hold this node keep posting to it until it dies.
        live.set(null);
        child.kill();
        assertThat(child.process.isAlive()).isFalse();
        Thread.sleep(20);
        if (ledger.unanswered() > before) {
          inFlightAtKill++;
        }
      }
      long killing = System.nanoTime() - started;
      stop.set(true);
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS); // a client's own failure (a bug in the test) shows here
      }

      child = startNode();
      TaxiiHttp last = TaxiiHttp.bearer(child.baseUrl, token);
      ledger.settlePending(last);
      System.out.printf(
          "%s on %s: %d kills (%d with POSTs in flight) in %.1f s (restart to first answer %.0f"
              + " ms on average); %s%n",
          getClass().getSimpleName(),
          backend(),
          KILLS,
          inFlightAtKill,
          killing / 1e9,
          startupNanos / 1e6 / KILLS,
          ledger.summary());
      ledger.verify(last, random);
      // Not vacuous: the kills came during ingest, and there was plenty to lose.
      assertThat(inFlightAtKill).isGreaterThanOrEqualTo(KILLS / 2);
      assertThat(ledger.acknowledged()).isGreaterThan(KILLS * 100);
    } finally {
      stop.set(true);
      clients.shutdownNow();
      if (child != null) {
        child.close();
      }
    }
  }

  /**
   * An API token of the admin user: checking a password is an Argon2 hash (slow on purpose, and
   * slower still in a JVM just started), a token is only a SHA-256, so a restarted node answers
   * sooner.
   */
  static String token(ChildNode child, String adminPassword)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        new TaxiiHttp(child.baseUrl, "admin", adminPassword)
            .post("/admin/users/admin/tokens/", "application/json", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return StixJson.parse(r.body()).get("token").asText();
  }

  private ChildNode startNode() throws IOException, InterruptedException {
    Path config = dir.resolve("node.properties");
    if (!Files.exists(config)) {
      // A short status wait: many POSTs are answered "pending", so statuses are also settled by
      // GET, before kills and after restarts.
      Files.writeString(config, "status-wait-ms=50\n");
    }
    String db = backend().databaseUrl(data());
    return ChildNode.start(
        ChildNode.QUICK_START,
        data(),
        db == null ? Map.of() : Map.of("ENTENTE_DB", db),
        PASSWORD,
        "--config",
        config.toString(),
        "--log-level",
        "warn");
  }

  /**
   * One client: posts envelopes of new objects, new versions of objects already acknowledged and
   * exact repeats of earlier posts to whichever node is up, and now and then asks for a pending
   * status, until told to stop.
   */
  private static void ingest(
      Random random, IngestLedger ledger, AtomicReference<TaxiiHttp> live, AtomicBoolean stop)
      throws InterruptedException {
    List<String> sentBefore = new ArrayList<>();
    List<String> idsBefore = new ArrayList<>();
    Map<String, Integer> newest = new HashMap<>();
    int round = 0;
    while (!stop.get()) {
      TaxiiHttp http = live.get();
      if (http == null) {
        Thread.sleep(5);
        continue;
      }
      List<String> objects = new ArrayList<>();
      for (int i = 0; i < 5 && !idsBefore.isEmpty(); i++) {
        String id = idsBefore.get(random.nextInt(idsBefore.size()));
        objects.add(Fixtures.indicatorVersion(id, newest.merge(id, 1, Integer::sum), random));
      }
      for (int i = 0; i < 3 && !sentBefore.isEmpty(); i++) {
        String repeat = sentBefore.get(random.nextInt(sentBefore.size()));
        if (!objects.contains(repeat)) {
          objects.add(repeat);
        }
      }
      for (int i = 0; i < 30; i++) {
        String id = Fixtures.indicatorId();
        newest.put(id, 1);
        idsBefore.add(id);
        objects.add(Fixtures.indicatorVersion(id, 1, random));
      }
      List<Version> versions = new ArrayList<>();
      objects.forEach(o -> versions.add(ledger.posting(o)));
      sentBefore.addAll(objects);
      try {
        ledger.answered(versions, http.post(IngestLedger.OBJECTS, Fixtures.envelope(objects)));
      } catch (IOException e) {
        ledger.noAnswer();
        Thread.sleep(5);
        continue;
      }
      if (++round % 4 == 0) {
        try {
          ledger.pollOne(http, random);
        } catch (IOException e) {
          // the node died under the poll: asked again later
        }
      }
    }
  }
}
