package org.entente.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.sqlite.SQLiteConfig;

/**
 * How fast SQLite alone can durably write STIX-sized rows on this machine, with no HTTP, JSON or
 * Entente code on the path: the ceiling under any SQLite-backed ingest figure. It inserts fresh
 * random-UUID ids with 1,480-byte bodies in group commits, with the writer's settings (WAL,
 * synchronous=FULL, 256 MiB cache, no checkpoint inside commits), into three schemas: a table of
 * bodies alone, the same with the unique index on the object id that lookups by id need, and the
 * store's real schema (its migration, read from the classpath).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.entente.bench.SqliteWriteCeiling [objects] [batch...]
 * </pre>
 */
public final class SqliteWriteCeiling {
  private static final int ROWS_PER_STATEMENT = 32;
  private static final String[] TYPES = {
    "attack-pattern", "relationship", "malware", "intrusion-set", "tool", "course-of-action"
  };

  private SqliteWriteCeiling() {}

  public static void main(String[] args) throws Exception {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 320_000;
    List<Integer> batches = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      batches.add(Integer.parseInt(args[i]));
    }
    if (batches.isEmpty()) {
      batches = List.of(1_000, 16_000);
    }
    System.out.println("SQLite write ceiling: " + Machine.here().describe());
    System.out.println("load average at start: " + Machine.loadAverage());
    System.out.printf(
        "%-36s | %7s | %13s | %10s | %8s | %8s%n",
        "schema", "batch", "objects/s", "us/object", "user s", "sys s");
    for (int batch : batches) {
      for (Schema schema : Schema.values()) {
        run(schema, objects, batch);
      }
    }
  }

  enum Schema {
    BODIES_ONLY("bodies, no index"),
    BODIES_AND_ID_INDEX("bodies + unique (id, version) index"),
    STORE_SCHEMA("store schema (V1 migration)");

    final String label;

    Schema(String label) {
      this.label = label;
    }
  }

  private static void run(Schema schema, int objects, int batch) throws Exception {
    Path dir = Files.createTempDirectory("entente-sqlite-ceiling");
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setCacheSize(-262_144);
      config.setGetGeneratedKeys(false);
      config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0");
      try (Connection c =
          DriverManager.getConnection(
              "jdbc:sqlite:" + dir.resolve("ceiling.db"), config.toProperties())) {
        Inserter inserter = create(schema, c);
        byte[] body = new byte[1_480];
        Arrays.fill(body, (byte) 'x');
        long[] times0 = ProcessTimes.read();
        long t0 = System.nanoTime();
        long seq = 0;
        try (Statement s = c.createStatement()) {
          for (int done = 0; done < objects; done += batch) {
            s.execute("BEGIN IMMEDIATE");
            for (int b = 0; b < batch; b += ROWS_PER_STATEMENT) {
              seq = inserter.insert(seq, body);
            }
            s.execute("COMMIT");
          }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] times1 = ProcessTimes.read();
        long n = seq;
        System.out.printf(
            "%-36s | %7d | %,13.0f | %10.1f | %8.2f | %8.2f%n",
            schema.label,
            batch,
            n / seconds,
            seconds * 1e6 / n,
            (times1[0] - times0[0]) / 100.0,
            (times1[1] - times0[1]) / 100.0);
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Inserts ROWS_PER_STATEMENT fresh objects and returns the new highest seq. */
  @FunctionalInterface
  private interface Inserter {
    long insert(long seq, byte[] body) throws SQLException;
  }

  private static Inserter create(Schema schema, Connection c) throws SQLException, IOException {
    try (Statement s = c.createStatement()) {
      switch (schema) {
        case BODIES_ONLY, BODIES_AND_ID_INDEX -> {
          s.execute(
              "CREATE TABLE v (pk INTEGER PRIMARY KEY, id TEXT NOT NULL, version_key TEXT NOT"
                  + " NULL, json BLOB NOT NULL)");
          if (schema == Schema.BODIES_AND_ID_INDEX) {
            s.execute("CREATE UNIQUE INDEX v_id ON v (id, version_key)");
          }
          PreparedStatement ps = c.prepareStatement(multiRow("INSERT INTO v VALUES ", 4));
          return (seq, body) -> {
            int p = 1;
            for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
              seq++;
              ps.setLong(p++, seq);
              ps.setString(p++, TYPES[(int) (seq % TYPES.length)] + "--" + UUID.randomUUID());
              ps.setString(p++, "2024-01-01T00:00:00.000000000Z");
              ps.setBytes(p++, body);
            }
            ps.executeUpdate();
            return seq;
          };
        }
        default -> {
          for (String sql : migration().split(";")) {
            if (!sql.isBlank()) {
              s.execute(sql);
            }
          }
          s.execute(
              "INSERT INTO api_root (path, title, max_content_length) VALUES ('api', 'a', 1)");
          s.execute(
              "INSERT INTO collection (pk, id, api_root, title, created) VALUES (1, 'c', 'api',"
                  + " 'c', 'x')");
          PreparedStatement versions =
              c.prepareStatement(
                  multiRow(
                      "INSERT INTO object_version (id, version_key, version, type, spec_version,"
                          + " created, modified, producer_org, producer_user, json) VALUES ",
                      10));
          PreparedStatement entries =
              c.prepareStatement(
                  multiRow(
                      "INSERT INTO collection_entry (seq, collection_pk, id, version_key, type,"
                          + " spec_version, date_added, producer_org, producer_user,"
                          + " newest_spec, first_of_newest, last_of_newest) VALUES ",
                      12));
          String json = new String(new byte[1_480], StandardCharsets.ISO_8859_1).replace('\0', 'x');
          return (seq, body) -> {
            int p = 1;
            int q = 1;
            for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
              seq++;
              String type = TYPES[(int) (seq % TYPES.length)];
              String id = type + "--" + UUID.randomUUID();
              String key = "2024-01-01T00:00:00.000000000Z";
              for (Object v :
                  new Object[] {
                    id,
                    key,
                    "2024-01-01T00:00:00.000Z",
                    type,
                    "2.1",
                    key,
                    key,
                    "home",
                    "admin",
                    json
                  }) {
                versions.setObject(p++, v);
              }
              for (Object v :
                  new Object[] {
                    seq, 1L, id, key, type, "2.1", seq * 10, "home", "admin", 1, 1, 1
                  }) {
                entries.setObject(q++, v);
              }
            }
            versions.executeUpdate();
            entries.executeUpdate();
            return seq;
          };
        }
      }
    }
  }

  private static String multiRow(String insert, int width) {
    String row = "(" + String.join(", ", Collections.nCopies(width, "?")) + ")";
    return insert + String.join(", ", Collections.nCopies(ROWS_PER_STATEMENT, row));
  }

  private static String migration() throws IOException {
    try (InputStream in =
        SqliteWriteCeiling.class.getResourceAsStream(
            "/db/migration/sqlite/V1__initial_schema.sql")) {
      if (in == null) {
        throw new IOException("the store's migration is not on the class path");
      }
      StringBuilder sql = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.stripLeading().startsWith("--")) {
          sql.append(line).append('\n');
        }
      }
      return sql.toString();
    }
  }

  /** User and system CPU time of this process in clock ticks (1/100 s), from /proc. */
  private static final class ProcessTimes {
    static long[] read() {
      try {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
      } catch (IOException | RuntimeException e) {
        return new long[] {0, 0};
      }
    }
  }
}
