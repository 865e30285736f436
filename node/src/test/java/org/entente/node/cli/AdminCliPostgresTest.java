package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.entente.node.Main;
import org.entente.store.Stores;
import org.entente.store.TestBackend;
import org.entente.store.postgres.PostgresUrl;
import org.entente.store.postgres.TestPostgres;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link AdminCliTest} on PostgreSQL (every command with {@code --db}), and how the commands find
 * the database and refuse one they cannot use: in one line, never with the password.
 */
class AdminCliPostgresTest extends AdminCliTest {
  /** A server nobody listens on, with a password that must not be printed. */
  private static final String UNREACHABLE = "postgresql://entente:S3cret%2Fpw@127.0.0.1:1/entente";

  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }

  /** Runs a command line with these environment variables (and no others). */
  static Run runWith(Map<String, String> env, String... args) {
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            K made = CommandLine.defaultFactory().create(type);
            if (made instanceof AdminCommand a) {
              a.env = env;
            } else if (made instanceof ServeCommand s) {
              s.env = env;
            }
            return made;
          }
        };
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main(), factory);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String db() {
    return backend().databaseUrl(data());
  }

  @Test
  void theDatabaseComesFromTheFlagTheEnvironmentOrTheConfigFile() throws Exception {
    firstStart();
    String data = data().toString();
    String libpq = TestPostgres.get().libpqUri(db());

    Run fromEnv = runWith(Map.of("ENTENTE_DB", libpq), "org", "list", "--data", data);
    assertThat(fromEnv.code()).as(fromEnv.err()).isZero();
    assertThat(fromEnv.out()).containsPattern("home\\s+-\\s+yes");

    Path config = dir.resolve("node.properties");
    Files.writeString(config, "data=" + data + "\ndb=" + libpq + "\n");
    Run fromFile = runWith(Map.of(), "user", "list", "--config", config.toString());
    assertThat(fromFile.code()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).contains("admin");

    // --db over ENTENTE_DB over the config file.
    Path wrong = dir.resolve("wrong.properties");
    Files.writeString(wrong, "data=" + data + "\ndb=" + UNREACHABLE + "\n");
    Run envOverFile =
        runWith(Map.of("ENTENTE_DB", libpq), "org", "list", "--config", wrong.toString());
    assertThat(envOverFile.code()).as(envOverFile.err()).isZero();
    Run flagOverEnv =
        runWith(Map.of("ENTENTE_DB", UNREACHABLE), "org", "list", "--data", data, "--db", db());
    assertThat(flagOverEnv.code()).as(flagOverEnv.err()).isZero();

    // Without any, the data directory's SQLite database is meant: there is none.
    Run none = runWith(Map.of(), "org", "list", "--data", data);
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("--db URL");
    assertThat(data().resolve("entente.db")).doesNotExist();
  }

  @Test
  void aDatabaseWithoutTheSchemaIsRefusedAndLeftAlone() {
    String empty = TestPostgres.get().newEmptyDatabase();
    try {
      Run r = run("org", "list", "--data", data().toString(), "--db", empty);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("error: ").contains("no Entente schema");
      assertThat(r.err().lines()).hasSize(1);
      assertThat(Stores.exists(empty, data())).isFalse();
    } finally {
      TestPostgres.get().drop(empty);
    }
  }

  @Test
  void aDatabaseNoNodeSetUpIsRefused() {
    // Migrated (as by a node that never got to its first-start content), no API root.
    Run r = cli("org", "list");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: ").contains("is not set up yet");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void aDatabaseThatCannotBeOpenedIsOneErrorLineWithoutThePassword() {
    Run refused = run("org", "list", "--data", data().toString(), "--db", UNREACHABLE);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).startsWith("error: ").contains("127.0.0.1:1");
    assertThat(refused.err().lines()).hasSize(1);
    assertThat(refused.err()).doesNotContain("S3cret").doesNotContain("%2Fpw");

    // A database the server does not have, with the server's real credentials.
    String missing = TestPostgres.get().libpqUri(TestPostgres.get().url("no_such_database"));
    String password = PostgresUrl.parse(missing).password();
    Run absent = run("user", "list", "--data", data().toString(), "--db", missing);
    assertThat(absent.code()).isEqualTo(1);
    assertThat(absent.err()).startsWith("error: ").contains("no_such_database");
    assertThat(absent.err().lines()).hasSize(1);
    assertThat(absent.err()).doesNotContain(":" + password + "@");

    // Not a PostgreSQL URL: a usage error.
    Run malformed =
        run("org", "list", "--data", data().toString(), "--db", "mysql://root:S3cret@db/x");
    assertThat(malformed.code()).isEqualTo(2);
    assertThat(malformed.err()).contains("postgresql://").doesNotContain("S3cret");
  }

  @Test
  void serveWithADatabaseItCannotOpenSaysSoInOneLine() {
    Run r =
        runWith(
            Map.of("ENTENTE_DB", UNREACHABLE), "serve", "--data", data().toString(), "--port", "0");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("entente serve: ").contains("127.0.0.1:1");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).doesNotContain("S3cret").doesNotContain("%2Fpw");
  }

  @Test
  void peerSecretsAreSealedOnlyWithTheNodesOwnKey() throws Exception {
    firstStart();
    ok("org", "add", "nation-a", "--country", "FR");
    Path elsewhere = dir.resolve("elsewhere");
    String[] add = {
      "peer",
      "add",
      "nation-a",
      "--org",
      "nation-a",
      "--url",
      "http://127.0.0.1:9/taxii2/",
      "--collection",
      "allies",
      "--direction",
      "pull",
      "--local-collection",
      "default",
      "--user",
      "node-b",
      "--password-stdin",
      "--db",
      db()
    };
    Run noKey = withStdinAt(elsewhere, "b-node-secret\n", add);
    assertThat(noKey.code()).isEqualTo(1);
    assertThat(noKey.err()).contains("no node key").contains("--data");
    assertThat(elsewhere.resolve("node.key")).doesNotExist();

    Run added = withStdinAt(data(), "b-node-secret\n", add);
    assertThat(added.code()).as(added.err()).isZero();
    assertThat(ok("peer", "list").out()).contains("nation-a");
  }

  private static Run withStdinAt(Path data, String input, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      String[] all = Arrays.copyOf(args, args.length + 2);
      all[args.length] = "--data";
      all[args.length + 1] = data.toString();
      return run(all);
    } finally {
      System.setIn(saved);
    }
  }
}
