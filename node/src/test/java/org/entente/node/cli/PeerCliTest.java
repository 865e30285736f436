package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.entente.node.Main;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.federation.SecretSeal;
import org.entente.stix.StixJson;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.entente.store.Peer;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code entente peer add|list|remove} and {@code entente sync} as an operator scripts them:
 * output, exit codes, secrets read from stdin and never shown or stored in plain text, and a
 * running node that sees what the command line changed.
 */
class PeerCliTest {
  private static final String ADMIN_PASSWORD = "admin-password-for-tests";
  private static final String PEER_PASSWORD = "Peer-Basic-Secret-5e1d0b";
  private static final String PEER_TOKEN = "peer-bearer-token-Zr7Yq1";
  private static final String REMOTE = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data");
    all.add(data().toString());
    return run(all.toArray(String[]::new));
  }

  private Run ok(String... args) {
    Run r = cli(args);
    assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  private Run withStdin(String input, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return cli(args);
    } finally {
      System.setIn(saved);
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  private NodeConfig config() {
    return NodeConfig.defaults().withDataDir(data()).withListen("127.0.0.1", 0);
  }

  /** What `./entente serve` does once, and an organisation and a collection to share. */
  private void setUp() {
    Node.start(config(), Map.of("ENTENTE_ADMIN_PASSWORD", ADMIN_PASSWORD)).close();
    ok("org", "add", "cert-de", "--country", "DE");
    ok("collection", "add", "Shared with Germany", "--alias", "shared");
  }

  private static String[] basicPeer(String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "peer",
                "add",
                name,
                "--org",
                "cert-de",
                "--url",
                "https://taxii.cert.de/taxii2/",
                "--collection",
                REMOTE,
                "--user",
                "entente-fr",
                "--password-stdin"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private List<AuditEvent> audit(String prefix) {
    try (SqliteStore store = SqliteStore.open(data())) {
      return store.audit(new AuditQuery(0, null, null, prefix, 1000));
    }
  }

  private long auditCount() {
    return audit(null).size();
  }

  private Peer stored(String name) {
    try (SqliteStore store = SqliteStore.open(data())) {
      return store.peer(name).orElseThrow();
    }
  }

  // ---- add, list, remove ------------------------------------------------------------------

  @Test
  void peersAreAddedListedAndRemoved() throws Exception {
    setUp();
    Run added =
        withStdin(
            PEER_PASSWORD + "\n",
            basicPeer(
                "cert-de",
                "--direction",
                "both",
                "--local-collection",
                "default",
                "--publish",
                "shared",
                "--interval",
                "60"));
    assertThat(added.code()).as(added.err()).isZero();
    assertThat(added.out())
        .contains(
            "peer cert-de added: both with https://taxii.cert.de/taxii2/ collection " + REMOTE)
        .contains("into default, publishing shared")
        .contains("every 60 s, TLP ceiling amber+strict, credentials basic");
    assertThat(added.err()).isEmpty(); // https: no warning

    Run token =
        withStdin(
            PEER_TOKEN + "\n",
            "peer",
            "add",
            "cert-de-pull",
            "--org",
            "cert-de",
            "--url",
            "http://127.0.0.1:9/taxii2/",
            "--api-root",
            "http://127.0.0.1:9/api/",
            "--collection",
            "inbox",
            "--direction",
            "PULL",
            "--local-collection",
            "shared",
            "--tlp-ceiling",
            "green",
            "--token-stdin");
    assertThat(token.code()).as(token.err()).isZero();
    assertThat(token.err()).contains("warning: the peer is reached over plain http");

    Run list = ok("peer", "list");
    List<String> lines = list.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .containsPattern(
            "NAME\\s+ORG\\s+DIRECTION\\s+URL\\s+REMOTE\\s+LOCAL\\s+PUBLISH\\s+INTERVAL\\s+"
                + "LAST-SUCCESS\\s+LAST-ERROR\\s+PULLED/PUSHED");
    assertThat(lines.get(1))
        .containsPattern(
            "cert-de\\s+cert-de\\s+both\\s+https://taxii.cert.de/taxii2/\\s+"
                + REMOTE
                + "\\s+default\\s+shared\\s+60s\\s+-\\s+-\\s+0/0");
    assertThat(lines.get(2))
        .containsPattern(
            "cert-de-pull\\s+cert-de\\s+pull\\s+http://127.0.0.1:9/taxii2/\\s+inbox\\s+shared"
                + "\\s+-\\s+300s");
    for (Run r : List.of(added, token, list)) {
      assertThat(r.out() + r.err()).doesNotContain(PEER_PASSWORD).doesNotContain(PEER_TOKEN);
    }

    Peer basic = stored("cert-de");
    assertThat(basic.credentials().kind()).isEqualTo("basic");
    assertThat(basic.credentials().user()).isEqualTo("entente-fr");
    assertThat(SecretSeal.of(data()).open(basic.credentials().sealedSecret()))
        .isEqualTo(PEER_PASSWORD);
    Peer bearer = stored("cert-de-pull");
    assertThat(bearer.credentials().kind()).isEqualTo("bearer");
    assertThat(SecretSeal.of(data()).open(bearer.credentials().sealedSecret()))
        .isEqualTo(PEER_TOKEN);
    assertThat(bearer.apiRoot()).isEqualTo("http://127.0.0.1:9/api/");
    assertThat(dataFilesContain(PEER_PASSWORD)).isFalse();
    assertThat(dataFilesContain(PEER_TOKEN)).isFalse();

    assertThat(ok("peer", "remove", "cert-de").out()).isEqualTo("peer cert-de removed\n");
    Run again = cli("peer", "remove", "cert-de");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("error: peer 'cert-de' does not exist\n");
    assertThat(ok("peer", "list").out().lines().count()).isEqualTo(2);

    List<AuditEvent> events = audit("peer.");
    assertThat(events)
        .extracting(AuditEvent::action)
        .containsExactly("peer.add", "peer.add", "peer.remove");
    assertThat(events).allSatisfy(e -> assertThat(e.actorUser()).startsWith("cli:"));
    assertThat(events).allSatisfy(e -> assertThat(e.address()).isEqualTo("local"));
  }

  @Test
  void aClientCertificateAndTrustedCertificatesAreCheckedAndThePasswordSealed() throws Exception {
    setUp();
    Path p12 = dir.resolve("client.p12");
    String storePassword = "p12-Store-Password-8c";
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=entente-fr",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                storePassword,
                "-keypass",
                storePassword)
            .redirectErrorStream(true)
            .start();
    String keytoolOut = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(keytoolOut).isZero();
    Path pem = dir.resolve("ca.pem");
    Process export =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-exportcert",
                "-rfc",
                "-alias",
                "client",
                "-keystore",
                p12.toString(),
                "-storepass",
                storePassword,
                "-file",
                pem.toString())
            .redirectErrorStream(true)
            .start();
    String exportOut = new String(export.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(export.waitFor()).as(exportOut).isZero();

    long before = auditCount();
    Run wrong =
        withStdin(
            PEER_PASSWORD + "\nnot-the-password\n",
            basicPeer(
                "cert-de",
                "--direction",
                "pull",
                "--local-collection",
                "default",
                "--client-cert",
                p12.toString(),
                "--client-cert-password-stdin"));
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("cannot be opened as PKCS#12 with the given password");
    Run notPem =
        withStdin(
            PEER_PASSWORD + "\n",
            basicPeer(
                "cert-de",
                "--direction",
                "pull",
                "--local-collection",
                "default",
                "--trusted-certs",
                p12.toString()));
    assertThat(notPem.code()).isEqualTo(1);
    assertThat(notPem.err()).contains("is not PEM X.509 certificates");
    assertThat(auditCount()).isEqualTo(before);

    Run added =
        withStdin(
            PEER_PASSWORD + "\n" + storePassword + "\n",
            basicPeer(
                "cert-de",
                "--direction",
                "pull",
                "--local-collection",
                "default",
                "--client-cert",
                p12.toString(),
                "--client-cert-password-stdin",
                "--trusted-certs",
                pem.toString()));
    assertThat(added.code()).as(added.err()).isZero();
    Peer p = stored("cert-de");
    assertThat(p.clientCertificate()).isEqualTo(p12.toAbsolutePath().toString());
    assertThat(p.trustedCertificates()).isEqualTo(pem.toAbsolutePath().toString());
    assertThat(SecretSeal.of(data()).open(p.credentials().sealedCertificatePassword()))
        .isEqualTo(storePassword);
    assertThat(dataFilesContain(storePassword)).isFalse();
  }

  // ---- refusals ---------------------------------------------------------------------------

  @Test
  void badPeersAreRefusedWithOneErrorLineAndChangeNothing() throws Exception {
    setUp();
    long before = auditCount();
    record Case(String expected, String[] args) {}
    List<Case> cases =
        List.of(
            new Case(
                "TLP ceiling cannot be red",
                basicPeer(
                    "p",
                    "--direction",
                    "pull",
                    "--local-collection",
                    "default",
                    "--tlp-ceiling",
                    "red")),
            new Case(
                "organisation 'cert-xx' does not exist",
                new String[] {
                  "peer",
                  "add",
                  "p",
                  "--org",
                  "cert-xx",
                  "--url",
                  "https://x.example/taxii2/",
                  "--collection",
                  REMOTE,
                  "--direction",
                  "pull",
                  "--local-collection",
                  "default"
                }),
            new Case(
                "needs the local collection its objects go to",
                basicPeer("p", "--direction", "pull")),
            new Case(
                "needs at least one local collection to publish",
                basicPeer("p", "--direction", "both", "--local-collection", "default")),
            new Case(
                "collection 'nope' does not exist",
                basicPeer("p", "--direction", "push", "--publish", "nope")),
            new Case(
                "the direction is pull, push or both",
                basicPeer("p", "--direction", "sideways", "--local-collection", "default")),
            new Case(
                "at least 10 seconds",
                basicPeer(
                    "p",
                    "--direction",
                    "pull",
                    "--local-collection",
                    "default",
                    "--interval",
                    "1")),
            new Case(
                "must be an absolute http(s) URL",
                new String[] {
                  "peer",
                  "add",
                  "p",
                  "--org",
                  "cert-de",
                  "--url",
                  "taxii.cert.de/taxii2/",
                  "--collection",
                  REMOTE,
                  "--direction",
                  "pull",
                  "--local-collection",
                  "default"
                }));
    for (Case c : cases) {
      Run r = withStdin(PEER_PASSWORD + "\n", c.args());
      assertThat(r.code()).as(String.join(" ", c.args()) + ": " + r.err()).isEqualTo(1);
      assertThat(r.err()).startsWith("error: ").contains(c.expected());
      assertThat(r.err().lines()).hasSize(1);
      assertThat(r.out()).isEmpty();
    }
    Run noPassword =
        withStdin("", basicPeer("p", "--direction", "pull", "--local-collection", "default"));
    assertThat(noPassword.code()).isEqualTo(1);
    assertThat(noPassword.err()).contains("--password-stdin: no password on stdin");

    assertThat(ok("peer", "list").out().lines().count()).isEqualTo(1); // the header alone
    assertThat(auditCount()).isEqualTo(before);
    assertThat(dataFilesContain(PEER_PASSWORD)).isFalse();
  }

  @Test
  void usageErrorsExitWithTwo() {
    setUp();
    assertThat(run("peer").code()).isEqualTo(2);
    assertThat(run("peer").err()).contains("say what to do");
    // --user without --password-stdin: the password is never an argument
    Run user =
        cli(
            "peer",
            "add",
            "p",
            "--org",
            "cert-de",
            "--url",
            "https://x.example/taxii2/",
            "--collection",
            REMOTE,
            "--direction",
            "pull",
            "--local-collection",
            "default",
            "--user",
            "u");
    assertThat(user.code()).isEqualTo(2);
    assertThat(user.err()).contains("--user needs --password-stdin");
    assertThat(
            withStdin(
                    "x\n",
                    basicPeer(
                        "p",
                        "--direction",
                        "pull",
                        "--local-collection",
                        "default",
                        "--token-stdin"))
                .code())
        .isEqualTo(2);
    assertThat(
            cli(
                    "peer",
                    "add",
                    "p",
                    "--org",
                    "cert-de",
                    "--url",
                    "https://x.example/taxii2/",
                    "--collection",
                    REMOTE,
                    "--direction",
                    "pull",
                    "--local-collection",
                    "default",
                    "--client-cert-password-stdin")
                .code())
        .isEqualTo(2);
    assertThat(cli("peer", "add", "p", "--org", "cert-de").code()).isEqualTo(2); // no --url
    assertThat(cli("peer", "remove").code()).isEqualTo(2);
    assertThat(cli("sync").code()).isEqualTo(2); // no --peer
    assertThat(cli("sync", "--peer", "nobody").code()).isEqualTo(1);
    assertThat(cli("sync", "--peer", "nobody").err())
        .isEqualTo("error: peer 'nobody' does not exist\n");
  }

  // ---- with a running node ----------------------------------------------------------------

  @Test
  void aRunningNodeListsAPeerTheCommandLineAddedAndSyncReportsAFailedSync() throws Exception {
    setUp();
    try (Node node = Node.start(config(), Map.of())) {
      // The peer is this node itself, with credentials it does not know: every sync is a 401.
      String url = node.baseUrl() + "/taxii2/";
      Run added =
          withStdin(
              PEER_PASSWORD + "\n",
              "peer",
              "add",
              "self",
              "--org",
              "cert-de",
              "--url",
              url,
              "--collection",
              REMOTE,
              "--direction",
              "pull",
              "--local-collection",
              "shared",
              "--user",
              "nobody-here",
              "--password-stdin");
      assertThat(added.code()).as(added.err()).isZero();
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(node.baseUrl() + "/admin/peers/"))
                      .header(
                          "Authorization",
                          "Basic "
                              + Base64.getEncoder()
                                  .encodeToString(
                                      ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).doesNotContain(PEER_PASSWORD);
      JsonNode peers = StixJson.parse(r.body()).get("peers");
      assertThat(peers.size()).isEqualTo(1);
      assertThat(peers.get(0).get("name").asText()).isEqualTo("self");
      assertThat(peers.get(0).get("credentials").get("kind").asText()).isEqualTo("basic");

      Run sync;
      long deadline = System.nanoTime() + 20_000_000_000L;
      do {
        // The node's schedule syncs a new peer at once; ours may meet it still running.
        sync = cli("sync", "--peer", "self");
      } while (sync.err().contains("already") && System.nanoTime() < deadline);
      assertThat(sync.code()).as(sync.err()).isEqualTo(1);
      assertThat(sync.err())
          .startsWith("error: sync with peer self failed: ")
          .contains("401")
          .doesNotContain(PEER_PASSWORD);
      assertThat(sync.out()).isEmpty();
      assertThat(audit("peer.sync"))
          .singleElement()
          .satisfies(e -> assertThat(e.actorUser()).startsWith("cli:"));
    }
  }

  // ---- progress ---------------------------------------------------------------------------

  @Test
  void progressIsOneLinePerUpdateOffATerminalAndRedrawnInPlaceOnOne() {
    StringWriter log = new StringWriter();
    SyncCommand.ProgressBar lines = new SyncCommand.ProgressBar(new PrintWriter(log), false);
    lines.pulled(1000, true);
    lines.pulled(1500, false);
    lines.pushed(10, 30);
    lines.finish();
    assertThat(log.toString().lines().toList())
        .containsExactly(
            "pull: 1000 objects, more to come",
            "pull: 1500 objects, caught up",
            "push: [#######.......................] 10/40 objects");

    StringWriter tty = new StringWriter();
    SyncCommand.ProgressBar bar = new SyncCommand.ProgressBar(new PrintWriter(tty), true);
    bar.pulled(1000, true);
    bar.pushed(40, 0);
    bar.finish();
    String drawn = tty.toString();
    assertThat(drawn).startsWith("\rpull: 1000 objects, more to come");
    assertThat(drawn).contains("\rpush: [" + "#".repeat(30) + "] 40/40 objects");
    assertThat(drawn).endsWith(System.lineSeparator());
    assertThat(drawn.strip()).doesNotContain("\n"); // one line, redrawn
  }

  // ---- helpers ----------------------------------------------------------------------------

  private boolean dataFilesContain(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(data())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] hay = Files.readAllBytes(f);
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
          for (int j = 0; j < needle.length; j++) {
            if (hay[i + j] != needle[j]) {
              continue outer;
            }
          }
          return true;
        }
      }
    }
    return false;
  }
}
