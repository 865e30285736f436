package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ThrowingRunnable;
import org.entente.node.Main;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.stix.StixJson;
import org.entente.store.AuditQuery;
import org.entente.store.Store;
import org.entente.store.TestBackend;
import org.entente.store.User;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The administration commands as an operator scripts them: output, exit codes, and their effect on
 * a node that is running on the same data directory.
 */
class AdminCliTest {
  private static final String TAXII = "application/taxii+json;version=2.1";
  private static final Pattern TOKEN = Pattern.compile("(?m)^token: (ent_\\S+)$");
  private static final Pattern TOKEN_ID = Pattern.compile("(?m)^id: (\\S+)$");

  @TempDir Path dir;

  /**
   * The store the node and the commands use; {@link AdminCliPostgresTest} runs these tests on
   * PostgreSQL (every command then gets {@code --db}).
   */
  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  @AfterEach
  void discardStore() {
    backend().discard(data());
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs a command in the test's data directory (and database). */
  Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data");
    all.add(data().toString());
    String db = backend().databaseUrl(data());
    if (db != null) {
      all.add("--db");
      all.add(db);
    }
    return run(all.toArray(String[]::new));
  }

  /** Like {@link #cli} but the command must succeed. */
  Run ok(String... args) {
    Run r = cli(args);
    assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  Run withStdin(String input, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return cli(args);
    } finally {
      System.setIn(saved);
    }
  }

  Path data() {
    return dir.resolve("data");
  }

  NodeConfig config() {
    return NodeConfig.defaults()
        .withDataDir(data())
        .withDatabase(backend().databaseUrl(data()))
        .withListen("127.0.0.1", 0);
  }

  /** What `./entente serve` does once: an API root, the default collection, the admin. */
  void firstStart() {
    Node.start(config(), Map.of("ENTENTE_ADMIN_PASSWORD", "admin-password-for-tests")).close();
  }

  private long auditCount() {
    try (Store store = backend().open(data())) {
      return store.audit(new AuditQuery(0, null, null, null, 100_000)).size();
    }
  }

  // ---- data directory and usage -----------------------------------------------------------

  @Test
  void aMissingDataDirectoryIsAnErrorAndIsNotCreated() {
    assumeTrue(backend() == TestBackend.SQLITE, "SQLite's data directory");
    Path missing = dir.resolve("nowhere");
    Run r = run("org", "list", "--data", missing.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: ").contains("run ./entente serve once first");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(missing).doesNotExist();

    Path empty = dir.resolve("empty");
    empty.toFile().mkdirs();
    Run e = run("user", "list", "--data", empty.toString());
    assertThat(e.code()).isEqualTo(1);
    assertThat(e.err()).contains("run ./entente serve once first");
    assertThat(empty.resolve(SqliteStore.FILE_NAME)).doesNotExist();
  }

  @Test
  void usageErrorsExitWithTwo() {
    firstStart();
    Run bare = run("org");
    assertThat(bare.code()).isEqualTo(2);
    assertThat(bare.err()).contains("say what to do");
    assertThat(cli("org", "rename", "x").code()).isEqualTo(2);
    assertThat(cli("org", "add", "cert-fr").code()).isEqualTo(2); // --country is required
    assertThat(cli("user", "add", "bob", "--org", "home").code()).isEqualTo(2); // no --role
    assertThat(
            cli(
                    "token",
                    "create",
                    "admin",
                    "--expires",
                    "2030-01-01T00:00:00Z",
                    "--expires-in",
                    "3")
                .code())
        .isEqualTo(2);
    assertThat(cli("collection", "grant", "default", "org:home").code()).isEqualTo(2); // no right
    assertThat(cli("collection", "revoke", "default", "org:home").code()).isEqualTo(2);
    assertThat(cli("audit", "--limit", "many").code()).isEqualTo(2);
    assertThat(cli("community", "join", "allies").code()).isEqualTo(2);
  }

  // ---- organisations and communities ------------------------------------------------------

  @Test
  void collectionsBecomeObservationInputs() {
    firstStart();
    assertThat(ok("collection", "observe", "default").out()).contains("is an observation input");
    assertThat(ok("collection", "observe", "default").out()).contains("(unchanged)");
    assertThat(ok("collection", "observe", "default", "--off").out())
        .contains("is not an observation input");
    assertThat(cli("collection", "observe", "nope").code()).isEqualTo(1);
  }

  @Test
  void communityNamesMayReadLikeNatoAllies() {
    firstStart();
    ok("org", "add", "cert-fr", "--country", "FR");
    ok("community", "add", "NATO allies", "--member", "home", "cert-fr");
    ok("collection", "grant", "default", "--read", "community:NATO allies");
    assertThat(ok("collection", "grants", "default").out()).contains("community:NATO allies");
    assertThat(cli("community", "add", " leading", "--member", "home").code()).isEqualTo(1);
    assertThat(cli("community", "add", "two  spaces", "--member", "home").code()).isEqualTo(1);
  }

  @Test
  void organisationsAndCommunities() {
    firstStart();
    Run added =
        ok(
            "org",
            "add",
            "cert-fr",
            "--country",
            "fr",
            "--sector",
            "government-national",
            "--sector",
            "energy",
            "--description",
            "French CERT");
    assertThat(added.out()).contains("organisation cert-fr added").contains("identity--");
    ok("org", "add", "cert-de", "--country", "DE", "--sector", "government-national,finance");
    ok("org", "add", "cert-nl", "--country", "NL");

    Run list = ok("org", "list");
    assertThat(list.out().lines().findFirst().orElseThrow())
        .contains("NAME")
        .contains("COUNTRY")
        .contains("SECTORS");
    assertThat(list.out())
        .containsPattern("cert-fr\\s+FR\\s+no\\s+government-national,energy\\s+identity--")
        .containsPattern("cert-de\\s+DE\\s+no\\s+government-national,finance")
        .containsPattern("home\\s+-\\s+yes");

    long before = auditCount();
    Run dup = cli("org", "add", "cert-fr", "--country", "FR");
    assertThat(dup.code()).isEqualTo(1);
    assertThat(dup.err()).startsWith("error: ").contains("cert-fr");
    assertThat(dup.err().lines()).hasSize(1);
    Run badCountry = cli("org", "add", "cert-it", "--country", "Italy");
    assertThat(badCountry.code()).isEqualTo(1);
    assertThat(badCountry.err()).startsWith("error: country must be");
    assertThat(cli("org", "add", "cert/it", "--country", "IT").code()).isEqualTo(1);
    assertThat(auditCount()).isEqualTo(before);

    ok(
        "community",
        "add",
        "allies",
        "--member",
        "cert-fr",
        "cert-de",
        "--description",
        "close partners");
    ok("community", "join", "allies", "cert-nl");
    assertThat(ok("community", "list").out())
        .containsPattern("allies\\s+cert-de,cert-fr,cert-nl\\s+close partners");
    assertThat(ok("community", "leave", "allies", "cert-fr").out()).contains("cert-fr left allies");
    assertThat(ok("community", "list").out()).contains("cert-de,cert-nl");

    assertThat(cli("community", "leave", "allies", "cert-fr").code()).isEqualTo(1);
    assertThat(cli("community", "leave", "nobody", "cert-fr").err())
        .contains("community 'nobody' does not exist");
    assertThat(cli("community", "join", "allies", "cert-xx").code()).isEqualTo(1);
    assertThat(cli("community", "add", "allies").code()).isEqualTo(1);
    assertThat(cli("community", "add", "others", "--member", "cert-xx").code()).isEqualTo(1);
    assertThat(ok("community", "list").out().lines().count()).isEqualTo(2);
  }

  // ---- users and tokens -------------------------------------------------------------------

  @Test
  void usersGetPasswordsShownOnceAndCanBeDisabled() throws Exception {
    firstStart();
    ok("org", "add", "cert-fr", "--country", "FR");
    Run added = ok("user", "add", "alice", "--org", "cert-fr", "--role", "org-admin");
    assertThat(added.out()).contains("user alice added (organisation cert-fr, role org-admin)");
    Matcher m = Pattern.compile("(?m)^password: (\\S+)$").matcher(added.out());
    assertThat(m.find()).isTrue();
    String password = m.group(1);
    assertThat(password).hasSizeGreaterThanOrEqualTo(20);

    Run chosen =
        withStdin(
            "a-long-chosen-password\n",
            "user",
            "add",
            "bob",
            "--org",
            "cert-fr",
            "--role",
            "READER",
            "--password-stdin");
    assertThat(chosen.code()).as(chosen.err()).isZero();
    assertThat(chosen.out()).doesNotContain("password:");
    Run shortPw =
        withStdin(
            "short\n",
            "user",
            "add",
            "carl",
            "--org",
            "cert-fr",
            "--role",
            "reader",
            "--password-stdin");
    assertThat(shortPw.code()).isEqualTo(1);
    assertThat(shortPw.err()).contains("at least 12 characters");

    Run list = ok("user", "list");
    assertThat(list.out()).doesNotContain(password).doesNotContain("argon2");
    assertThat(list.out())
        .containsPattern("alice\\s+cert-fr\\s+org-admin\\s+enabled")
        .containsPattern("bob\\s+cert-fr\\s+reader\\s+enabled")
        .doesNotContain("carl");
    assertThat(ok("user", "list", "--org", "home").out()).contains("admin").doesNotContain("alice");

    try (Store store = backend().open(data())) {
      User bob = store.user("bob").orElseThrow();
      assertThat(
              new org.entente.node.auth.PasswordHasher()
                  .matches("a-long-chosen-password", bob.passwordHash()))
          .isTrue();
    }

    assertThat(ok("user", "disable", "bob").out()).contains("user bob disabled");
    assertThat(ok("user", "list").out()).containsPattern("bob\\s+cert-fr\\s+reader\\s+disabled");
    ok("user", "enable", "bob");
    assertThat(ok("user", "list").out()).containsPattern("bob\\s+cert-fr\\s+reader\\s+enabled");

    assertThat(cli("user", "add", "dan", "--org", "cert-fr", "--role", "boss").err())
        .startsWith("error: a role is reader, analyst, org-admin, node-admin or peer");
    assertThat(cli("user", "add", "dan", "--org", "cert-xx", "--role", "reader").code())
        .isEqualTo(1);
    assertThat(cli("user", "add", "alice", "--org", "cert-fr", "--role", "reader").code())
        .isEqualTo(1);
    assertThat(cli("user", "disable", "nobody").code()).isEqualTo(1);
  }

  @Test
  void tokensPrintTheirSecretOnceAndCanBeRevoked() {
    firstStart();
    Run created = ok("token", "create", "admin", "--expires-in", "30");
    String secret = group(TOKEN, created.out());
    String id = group(TOKEN_ID, created.out());
    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    Run readOnly =
        ok("token", "create", "admin", "--read-only", "--expires", "2099-01-01T00:00:00Z");
    String readOnlyId = group(TOKEN_ID, readOnly.out());

    Run list = ok("token", "list", "admin");
    assertThat(list.out()).doesNotContain(secret).doesNotContain("ent_");
    assertThat(list.out())
        .containsPattern(id + "\\s+read-write\\s+active")
        .containsPattern(readOnlyId + "\\s+read-only\\s+active\\s+\\S+\\s+2099-01-01T00:00:00Z");

    assertThat(ok("token", "revoke", id).out()).contains("token " + id + " of admin revoked");
    assertThat(ok("token", "list", "admin").out())
        .containsPattern(id + "\\s+read-write\\s+revoked");
    assertThat(ok("token", "revoke", id).out()).contains("already revoked");

    long before = auditCount();
    assertThat(cli("token", "revoke", UUID.randomUUID().toString()).code()).isEqualTo(1);
    assertThat(cli("token", "create", "nobody").code()).isEqualTo(1);
    assertThat(cli("token", "list", "nobody").code()).isEqualTo(1);
    Run past = cli("token", "create", "admin", "--expires", "2020-01-01T00:00:00Z");
    assertThat(past.code()).isEqualTo(1);
    assertThat(past.err()).contains("the expiry must be in the future");
    assertThat(cli("token", "create", "admin", "--expires", "next week").code()).isEqualTo(1);
    assertThat(cli("token", "create", "admin", "--expires-in", "0").code()).isEqualTo(1);
    assertThat(auditCount()).isEqualTo(before);
  }

  // ---- collections and grants -------------------------------------------------------------

  @Test
  void collectionsAndGrants() {
    firstStart();
    ok("org", "add", "cert-fr", "--country", "FR");
    Run added =
        ok(
            "collection",
            "add",
            "Ransomware campaigns",
            "--alias",
            "ransomware",
            "--description",
            "what we see",
            "--default-tlp",
            "amber+strict");
    String id = added.out().trim();
    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    String chosen = UUID.randomUUID().toString();
    assertThat(ok("collection", "add", "Red", "--id", chosen, "--default-tlp", "red").out().trim())
        .isEqualTo(chosen);

    assertThat(ok("collection", "list").out())
        .containsPattern(id + "\\s+ransomware\\s+amber\\+strict\\s+Ransomware campaigns")
        .containsPattern(chosen + "\\s+-\\s+red\\s+Red")
        .containsPattern("\\s+default\\s+amber\\s+Default");

    assertThat(ok("collection", "grant", "ransomware", "--read", "org:cert-fr").out())
        .contains("org:cert-fr on " + id + ": read yes, write no");
    assertThat(ok("collection", "grant", id, "--write", "org:cert-fr").out())
        .contains("read yes, write yes");
    ok("collection", "grant", "ransomware", "--read", "--write", "user:admin");
    assertThat(ok("collection", "grants", "ransomware").out())
        .containsPattern("org:cert-fr\\s+yes\\s+yes")
        .containsPattern("user:admin\\s+yes\\s+yes");
    assertThat(ok("collection", "revoke", "ransomware", "--write", "org:cert-fr").out())
        .contains("read yes, write no");
    ok("collection", "revoke", "ransomware", "--read", "--write", "user:admin");
    Run grants = ok("collection", "grants", "ransomware");
    assertThat(grants.out())
        .containsPattern("org:cert-fr\\s+yes\\s+no")
        .doesNotContain("user:admin");

    long before = auditCount();
    assertThat(cli("collection", "add", "x", "--default-tlp", "purple").err())
        .contains("not a TLP label");
    assertThat(cli("collection", "add", "x", "--id", "42").code()).isEqualTo(1);
    assertThat(cli("collection", "add", "x", "--alias", "ransomware").code()).isEqualTo(1);
    assertThat(cli("collection", "grant", "ransomware", "--read", "org:cert-xx").code())
        .isEqualTo(1);
    assertThat(cli("collection", "grant", "ransomware", "--read", "cert-fr").err())
        .contains("a grantee is org:NAME, community:NAME or user:NAME");
    assertThat(cli("collection", "grant", "nothing", "--read", "org:cert-fr").code()).isEqualTo(1);
    assertThat(cli("collection", "revoke", "ransomware", "--read", "user:admin").code())
        .isEqualTo(1);
    assertThat(cli("collection", "grants", "nothing").code()).isEqualTo(1);
    assertThat(cli("collection", "list", "--api-root", "other").code()).isEqualTo(1);
    assertThat(auditCount()).isEqualTo(before);
  }

  // ---- audit ------------------------------------------------------------------------------

  @Test
  void auditPrintsATableOrJsonLinesAndPages() {
    firstStart();
    ok("org", "add", "cert-fr", "--country", "FR");
    ok("user", "add", "alice", "--org", "cert-fr", "--role", "analyst");
    ok("collection", "grant", "default", "--read", "org:cert-fr");

    Run table = ok("audit");
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0))
        .containsPattern("SEQ\\s+AT\\s+USER\\s+ORG\\s+ADDRESS\\s+ACTION\\s+TARGET\\s+DETAIL");
    String cliUser = "cli:" + System.getProperty("user.name");
    assertThat(table.out())
        .containsPattern(
            "\\d+\\s+\\S+Z\\s+"
                + Pattern.quote(cliUser)
                + "\\s+-\\s+local\\s+organisation\\.add\\s+cert-fr")
        .containsPattern("user\\.add\\s+alice")
        .contains("grant.add");

    Run json = ok("audit", "--json", "--user", cliUser);
    List<JsonNode> events = json.out().lines().map(StixJson::parse).toList();
    assertThat(events)
        .extracting(e -> e.get("action").asText())
        .containsExactly("organisation.add", "user.add", "grant.add");
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.get("user").asText()).isEqualTo(cliUser);
              assertThat(e.get("address").asText()).isEqualTo("local");
            });
    assertThat(events.get(2).get("detail").get("grantee").asText()).isEqualTo("org:cert-fr");

    String second = events.get(1).get("seq").asText();
    Run page = ok("audit", "--json", "--user", cliUser, "--limit", "2");
    assertThat(page.out().lines()).hasSize(2);
    assertThat(page.err()).contains("--after " + second);
    Run rest = ok("audit", "--json", "--user", cliUser, "--after", second);
    assertThat(rest.out().lines()).hasSize(1).allMatch(l -> l.contains("grant.add"));
    assertThat(ok("audit", "--json", "--action", "user.").out().lines()).hasSize(1);
    assertThat(ok("audit", "--json", "--user", "someone-else").out()).isEmpty();
    assertThat(ok("audit", "--json", "--since", "2999-01-01T00:00:00Z").out()).isEmpty();
    assertThat(
            ok(
                    "audit",
                    "--json",
                    "--user",
                    cliUser,
                    "--since",
                    Instant.now().minusSeconds(3600).toString())
                .out()
                .lines())
        .hasSize(3);
    assertThat(cli("audit", "--since", "yesterday").code()).isEqualTo(1);
    assertThat(cli("audit", "--limit", "0").code()).isEqualTo(1);
  }

  // ---- with a running node ----------------------------------------------------------------

  @Test
  void changesMadeWhileTheNodeRunsTakeEffectAtOnce() throws Exception {
    firstStart();
    try (Node node = Node.start(config(), Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      // Something to read: the admin imports an object into a new collection.
      String collection =
          ok("collection", "add", "Shared", "--alias", "shared", "--default-tlp", "green")
              .out()
              .trim();
      String indicator = "indicator--" + UUID.randomUUID();
      String object =
          """
          {"type":"indicator","spec_version":"2.1","id":"%s",\
          "created":"2026-11-27T10:00:00.000Z","modified":"2026-11-27T10:00:00.000Z",\
          "name":"C2","pattern":"[ipv4-addr:value = '198.51.100.9']","pattern_type":"stix",\
          "valid_from":"2026-11-27T10:00:00Z"}\
          """
              .formatted(indicator);
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      "admin:admin-password-for-tests".getBytes(StandardCharsets.UTF_8));
      await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  send(
                              http,
                              HttpRequest.newBuilder(
                                      URI.create(
                                          node.baseUrl()
                                              + "/api/collections/"
                                              + collection
                                              + "/objects/"))
                                  .header("Authorization", basic)
                                  .header("Accept", TAXII)
                                  .header("Content-Type", TAXII)
                                  .POST(
                                      HttpRequest.BodyPublishers.ofString(
                                          "{\"objects\":[" + object + "]}")))
                          .statusCode()
                      == 202);

      // An organisation, its analyst and a token, all from the command line.
      ok("org", "add", "cert-fr", "--country", "FR");
      ok("user", "add", "alice", "--org", "cert-fr", "--role", "analyst");
      Run token = ok("token", "create", "alice", "--read-only");
      String secret = group(TOKEN, token.out());
      String tokenId = group(TOKEN_ID, token.out());
      ok("collection", "grant", "shared", "--read", "org:cert-fr");
      long granted = System.nanoTime();

      String objects = node.baseUrl() + "/api/collections/shared/objects/";
      await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> get(http, objects, secret).statusCode() == 200);
      assertThat(Duration.ofNanos(System.nanoTime() - granted)).isLessThan(Duration.ofSeconds(1));
      HttpResponse<String> read = get(http, objects, secret);
      assertThat(read.body()).contains(indicator);

      // Revoking the grant hides the collection at the next request.
      ok("collection", "revoke", "shared", "--read", "org:cert-fr");
      seenByTheNode(() -> assertThat(get(http, objects, secret).statusCode()).isIn(403, 404));

      // Granted again, then the token is revoked: the next request is not authenticated.
      ok("collection", "grant", "shared", "--read", "org:cert-fr");
      seenByTheNode(() -> assertThat(get(http, objects, secret).statusCode()).isEqualTo(200));
      ok("token", "revoke", tokenId);
      seenByTheNode(() -> assertThat(get(http, objects, secret).statusCode()).isEqualTo(401));

      // The node's own admin API sees what the command line did, and its audit log has it.
      seenByTheNode(
          () -> {
            HttpResponse<String> users =
                send(
                    http,
                    HttpRequest.newBuilder(URI.create(node.baseUrl() + "/admin/users/"))
                        .header("Authorization", basic));
            assertThat(users.body()).contains("\"alice\"");
          });
      node.flushAudit();
      assertThat(node.store().audit(new AuditQuery(0, null, null, "token.", 100)))
          .extracting(e -> e.action() + " " + e.address())
          .containsExactly("token.create local", "token.revoke local");
    }
  }

  @Test
  void disablingAUserFromTheCommandLineLocksItOutOfARunningNode() throws Exception {
    firstStart();
    try (Node node = Node.start(config(), Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      ok("org", "add", "cert-fr", "--country", "FR");
      ok("user", "add", "bob", "--org", "cert-fr", "--role", "reader");
      String secret = group(TOKEN, ok("token", "create", "bob").out());
      String self = node.baseUrl() + "/admin/users/bob/";
      seenByTheNode(() -> assertThat(get(http, self, secret).statusCode()).isEqualTo(200));
      ok("user", "disable", "bob");
      seenByTheNode(() -> assertThat(get(http, self, secret).statusCode()).isEqualTo(401));
      ok("user", "enable", "bob");
      seenByTheNode(() -> assertThat(get(http, self, secret).statusCode()).isEqualTo(200));
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  /**
   * Asserts what a running node answers once a command changed users, tokens or grants: at its next
   * request on SQLite (the node checks the file's data_version), within moments on PostgreSQL (the
   * change reaches the node as a notification, after the command's commit).
   */
  void seenByTheNode(ThrowingRunnable assertion) {
    if (backend() == TestBackend.SQLITE) {
      try {
        assertion.run();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new AssertionError(e);
      }
    } else {
      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(5))
          .untilAsserted(assertion);
    }
  }

  private static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("%s in %s", p, text).isTrue();
    return m.group(1);
  }

  private static HttpResponse<String> get(HttpClient http, String url, String token)
      throws Exception {
    return send(
        http,
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Accept", TAXII));
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b)
      throws Exception {
    return http.send(
        b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
