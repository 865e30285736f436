package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.entente.node.IngestLedger.Version;
import org.entente.stix.StixJson;
import org.entente.store.Collection;
import org.entente.store.Store;
import org.entente.store.postgres.PostgresStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL server stops for some seconds under load (clients posting and reading), then
 * starts again. While it is down, every request is answered quickly with a 503 TAXII error and a
 * Retry-After; nothing a status acknowledged is lost; once it is back, the same node process serves
 * reads and writes again, without a restart, and hears of directory changes again.
 *
 * <p>The server is one of this test's own (the embedded binaries on a data directory and port of
 * its own), so stopping it disturbs no other test, also when {@code ENTENTE_TEST_POSTGRES_URL}
 * names the server the other tests use.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PostgresOutageTest {
  private static final long OUTAGE_MILLIS = 5_000;

  /** How long any answer may take, even while the database is down (the pools wait 1-2 s). */
  private static final long ANSWER_BOUND_MILLIS = 4_000;

  /** How soon after the server is back the node must serve reads and writes again. */
  private static final long RECOVERY_BOUND_MILLIS = 15_000;

  private static final String PASSWORD = "outage-test-password";
  private static final long SEED = Long.getLong("outage.seed", System.nanoTime());

  @TempDir Path dir;

  private EmbeddedPostgres server;

  /** One request and its answer (status -1: none, the connection failed). */
  private record Exchange(String request, long startNanos, long endNanos, int status) {
    long millis() {
      return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
    }

    boolean within(long fromNanos, long toNanos) {
      return startNanos >= fromNanos && endNanos <= toNanos;
    }
  }

  @AfterEach
  void stopTheServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Starts the server on its data directory, on {@code port} (0: any free one). */
  private EmbeddedPostgres startServer(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir.resolve("postgresql"))
        .setCleanDataDirectory(false)
        .setPort(port)
        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  @Test
  void whileTheDatabaseIsDownRequestsFailCleanlyAndTheNodeRecoversWithoutARestart()
      throws Exception {
    System.out.printf("PostgresOutageTest: seed %d (-Doutage.seed=%d)%n", SEED, SEED);
    server = startServer(0);
    int port = server.getPort();
    String database = server.getJdbcUrl("postgres", "postgres");
    IngestLedger ledger = new IngestLedger();
    Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(5);
    try (ChildNode child =
        ChildNode.start(
            dir.resolve("node"), Map.of("ENTENTE_DB", database), PASSWORD, "--log-level", "warn")) {
      try {
        String token = IngestKillTest.token(child, PASSWORD);
        TaxiiHttp http = TaxiiHttp.bearer(child.baseUrl, token);
        ledger.baseline(http);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
          Random random = new Random(SEED * 31 + c);
          running.add(
              clients.submit(
                  () -> {
                    post(http, random, ledger, exchanges, stop);
                    return null;
                  }));
        }
        for (int c = 3; c < 5; c++) {
          Random random = new Random(SEED * 31 + c);
          running.add(
              clients.submit(
                  () -> {
                    read(http, random, ledger, exchanges, stop);
                    return null;
                  }));
        }

        awaitExchanges(exchanges, System.nanoTime(), e -> e.status() == 200, 30_000);
        Thread.sleep(1_000);
        assertThat(ledger.acknowledged()).isPositive();

        long stopping = System.nanoTime();
        server.close();
        long stopped = System.nanoTime();
        Thread.sleep(OUTAGE_MILLIS);
        long restarting = System.nanoTime();
        server = startServer(port);
        long restarted = System.nanoTime();
        // Back: a POST and a read begun after the restart succeed (a POST may still be answered
        // 503 by a pool that has not reconnected yet, and is then retried by its client).
        long recovered =
            Math.max(
                awaitExchanges(
                    exchanges,
                    restarted,
                    e -> e.request().equals("POST") && e.status() == 202,
                    RECOVERY_BOUND_MILLIS),
                awaitExchanges(
                    exchanges,
                    restarted,
                    e -> e.request().startsWith("GET") && e.status() == 200,
                    RECOVERY_BOUND_MILLIS));
        Thread.sleep(1_000);
        stop.set(true);
        for (Future<?> f : running) {
          f.get(30, TimeUnit.SECONDS);
        }

        List<Exchange> all = List.copyOf(exchanges);
        List<Exchange> duringOutage =
            all.stream().filter(e -> e.within(stopped, restarting)).toList();
        long slowest = all.stream().mapToLong(Exchange::millis).max().orElse(0);
        long slowestDuring = duringOutage.stream().mapToLong(Exchange::millis).max().orElse(0);
        System.out.printf(
            "PostgresOutageTest: server stopped in %d ms, down %d ms, started in %d ms; %d"
                + " requests in all (slowest answer %d ms), %d during the outage (%d answered 503,"
                + " slowest %d ms); reads and writes back %d ms after the restart; %s%n",
            TimeUnit.NANOSECONDS.toMillis(stopped - stopping),
            TimeUnit.NANOSECONDS.toMillis(restarting - stopped),
            TimeUnit.NANOSECONDS.toMillis(restarted - restarting),
            all.size(),
            slowest,
            duringOutage.size(),
            duringOutage.stream().filter(e -> e.status() == 503).count(),
            slowestDuring,
            TimeUnit.NANOSECONDS.toMillis(recovered - restarted),
            ledger.summary());

        all.stream()
            .sorted(Comparator.comparingLong(Exchange::millis).reversed())
            .limit(5)
            .forEach(
                e ->
                    System.out.printf(
                        "  slow: %s began %d ms after the stop, answered %d in %d ms%n",
                        e.request(),
                        TimeUnit.NANOSECONDS.toMillis(e.startNanos() - stopping),
                        e.status(),
                        e.millis()));
        assertThat(child.process.isAlive()).as("the node was never restarted").isTrue();
        assertThat(all).as("requests without an answer").noneMatch(e -> e.status() < 0);
        assertThat(all)
            .as("answers slower than %d ms", ANSWER_BOUND_MILLIS)
            .allMatch(e -> e.millis() < ANSWER_BOUND_MILLIS);
        assertThat(all)
            .as("answers other than success or 503")
            .allMatch(e -> e.status() == 200 || e.status() == 202 || e.status() == 503);
        assertThat(duringOutage).as("requests while the database was down").hasSizeGreaterThan(4);
        assertThat(duringOutage)
            .as("answers while the database was down")
            .allMatch(e -> e.status() == 503);

        // The directory listener is back too: a collection another process adds is listed
        // within a moment, though the node had its list of collections cached.
        assertThat(http.get("/api/collections/").statusCode()).isEqualTo(200);
        String added = UUID.randomUUID().toString();
        try (Store other = PostgresStore.open(database)) {
          other.write(
              tx ->
                  tx.createCollection(
                      new Collection(
                          added,
                          "api",
                          "Added after the outage",
                          null,
                          null,
                          "amber",
                          Instant.now())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!http.get("/api/collections/").body().contains(added)
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(http.get("/api/collections/").body()).contains(added);

        // Nothing is left waiting; what any status acknowledged is there, as posted.
        Thread.sleep(500);
        ledger.settlePending(http);
        ledger.verify(http, new Random(SEED));
      } catch (AssertionError | Exception e) {
        System.out.println("node output:\n" + String.join("\n", child.output()));
        throw e;
      }
    } finally {
      stop.set(true);
      clients.shutdownNow();
    }
  }

  /** Waits for an exchange begun after {@code sinceNanos} that matches; returns when it ended. */
  private static long awaitExchanges(
      Queue<Exchange> exchanges, long sinceNanos, Predicate<Exchange> wanted, long boundMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMillis);
    while (System.nanoTime() < deadline) {
      for (Exchange e : exchanges) {
        if (e.startNanos() >= sinceNanos && wanted.test(e)) {
          return e.endNanos();
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("nothing matched within " + boundMillis + " ms");
  }

  /** A client posting envelopes of new objects, answering its books and the exchange log. */
  private static void post(
      TaxiiHttp http,
      Random random,
      IngestLedger ledger,
      Queue<Exchange> exchanges,
      AtomicBoolean stop)
      throws InterruptedException {
    while (!stop.get()) {
      List<String> objects = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        objects.add(Fixtures.indicatorVersion(Fixtures.indicatorId(), 1, random));
      }
      List<Version> versions = new ArrayList<>();
      objects.forEach(o -> versions.add(ledger.posting(o)));
      long start = System.nanoTime();
      try {
        HttpResponse<String> r = http.post(IngestLedger.OBJECTS, Fixtures.envelope(objects));
        exchanges.add(new Exchange("POST", start, System.nanoTime(), r.statusCode()));
        ledger.answered(versions, r);
        if (r.statusCode() == 503) {
          Thread.sleep(50); // a client backs off (less than Retry-After: the test wants answers)
        }
      } catch (IOException e) {
        exchanges.add(new Exchange("POST", start, System.nanoTime(), -1));
        ledger.noAnswer();
        Thread.sleep(100);
      }
    }
  }

  /**
   * A client reading: a page of the collection, an object a status acknowledged, or a status (GET
   * status settles pending ones in the books).
   */
  private static void read(
      TaxiiHttp http,
      Random random,
      IngestLedger ledger,
      Queue<Exchange> exchanges,
      AtomicBoolean stop)
      throws InterruptedException {
    int round = 0;
    while (!stop.get()) {
      String what = "GET objects";
      String path = IngestLedger.OBJECTS + "?limit=50";
      String object = ledger.anyAcknowledgedId(random);
      String status = ledger.anyStatusId(random);
      if (round % 3 == 1 && object != null) {
        what = "GET object";
        path = IngestLedger.OBJECTS + object + "/";
      } else if (round % 3 == 2 && status != null) {
        what = "GET status";
        path = "/api/status/" + status + "/";
      }
      round++;
      long start = System.nanoTime();
      try {
        HttpResponse<String> r = http.get(path);
        exchanges.add(new Exchange(what, start, System.nanoTime(), r.statusCode()));
        if (r.statusCode() == 503) {
          ledger.taxiiError(r);
          Thread.sleep(50);
        } else if (what.equals("GET status") && r.statusCode() == 200) {
          ledger.status(StixJson.parse(r.body()));
        } else if (what.equals("GET object") && r.statusCode() == 200) {
          JsonNode objects = StixJson.parse(r.body()).path("objects");
          assertThat(objects).isNotEmpty();
        }
      } catch (IOException e) {
        exchanges.add(new Exchange(what, start, System.nanoTime(), -1));
        Thread.sleep(100);
      }
      Thread.sleep(20);
    }
  }
}
