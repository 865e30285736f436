package org.entente.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.entente.node.DatabaseUrls;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.NodeSetup;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.node.demo.DemoWorld;
import org.entente.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entente serve}: runs the node until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the node: SQLite store in the data directory, or the PostgreSQL database of --db"
          + " (created on first start with a default API root, collection, home organisation and"
          + " admin user), TAXII 2.1 at /taxii2/."
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "properties file; flags override it")
  Path configFile;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "data directory (default ./entente-data)")
  Path data;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description =
          "PostgreSQL database instead of SQLite in the data directory:"
              + " postgresql://USER:PASSWORD@HOST:PORT/DB or jdbc:postgresql:... (default:"
              + " $ENTENTE_DB, else db in the config file; prefer those: a flag is visible in ps)")
  String db;

  @Option(names = "--bind", paramLabel = "ADDR", description = "listen address (default 127.0.0.1)")
  String bind;

  @Option(names = "--port", description = "TCP port (default 6250; 0 picks a free one)")
  Integer port;

  @Option(
      names = "--org",
      paramLabel = "NAME",
      description = "home organisation at first start (default home)")
  String org;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description = "PKCS12/JKS key store: serve HTTPS")
  Path tlsKeystore;

  @Option(
      names = "--tls-keystore-type",
      paramLabel = "TYPE",
      description = "PKCS12 (default) or JKS")
  String tlsKeystoreType;

  @Option(
      names = "--demo",
      description =
          "seed a fictional world (16 allies, 5 partners, collections per audience, objects at"
              + " every TLP) at first start and print its users' credentials")
  boolean demo;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "error, warn, info (default) or debug (one line per request)")
  String logLevel;

  @Option(
      names = "--self-test",
      hidden = true,
      description =
          "start, answer one authenticated discovery request over HTTP, stop"
              + " (the launcher's class-data-sharing training run)")
  boolean selfTest;

  @Spec CommandSpec spec;

  /** Environment variables (tests replace them). */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws InterruptedException, IOException {
    // slf4j-simple reads its level once, when the first logger is made: set it before that.
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel", logLevel == null ? "info" : logLevel);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    PrintWriter out = spec.commandLine().getOut();
    NodeConfig config;
    try {
      config = configure();
    } catch (IllegalArgumentException e) {
      spec.commandLine()
          .getErr()
          .println(
              "entente serve: "
                  + DatabaseUrls.scrub(
                      e.getMessage(), db != null ? db : env.get(DatabaseUrls.ENV)));
      return 2;
    }
    if (selfTest) {
      return selfTest(config);
    }
    Node node;
    try {
      node = Node.start(config, env);
    } catch (StoreException | UncheckedIOException e) {
      // One line, e.g. the database refused the login: never the password, never a stack trace.
      spec.commandLine()
          .getErr()
          .println("entente serve: " + Failures.oneLine(e, config.databaseUrl()));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // SIGTERM/Ctrl-C: finish requests in flight and commit the accepted queue.
                  node.close();
                  stopped.countDown();
                },
                "entente-shutdown"));
    node.printBanner(out);
    if (demo) {
      printDemo(out, node);
    }
    stopped.await();
    return 0;
  }

  /** Seeds the demo world (first time only) and prints how to look at it. */
  private static void printDemo(PrintWriter out, Node node) {
    DemoWorld.Seeded seeded =
        new DemoWorld(node.store(), new PasswordHasher(), new Secrets(), Clock.systemUTC())
            .seed(NodeSetup.API_ROOT);
    if (!seeded.fresh()) {
      out.println("  demo world: already seeded here (credentials were printed at that start)");
      out.flush();
      return;
    }
    out.printf(
        "  demo world seeded: %d organisations, %d collections, %d objects; demo users"
            + " (shown once):%n",
        node.store().organisations().size(), seeded.collections(), seeded.objects());
    out.printf(
        "  %-20s %-16s %-10s %-18s %s%n", "user", "organisation", "role", "password", "token");
    for (DemoWorld.Credentials c : seeded.credentials()) {
      out.printf(
          "  %-20s %-16s %-10s %-18s %s%n",
          c.user(), c.organisation(), c.role(), c.password(), c.token());
    }
    out.printf(
        "  try: curl -H 'Authorization: Bearer TOKEN' -H 'Accept:"
            + " application/taxii+json;version=2.1' %s/%s/collections/%n",
        node.baseUrl(), NodeSetup.API_ROOT);
    out.flush();
  }

  /**
   * Starts a throw-away node on a fresh temporary data directory and answers one request, so a JVM
   * run records the classes that start-up and the request path use.
   */
  private int selfTest(NodeConfig config) throws IOException {
    String password = "self-test";
    Path dir = Files.createTempDirectory("entente-self-test");
    // Always SQLite in the temporary directory: never first-start content in a real database.
    NodeConfig throwAway = config.withDataDir(dir).withDatabase(null).withListen("127.0.0.1", 0);
    try (Node node = Node.start(throwAway, Map.of("ENTENTE_ADMIN_PASSWORD", password))) {
      var request =
          HttpRequest.newBuilder(URI.create(node.baseUrl() + "/taxii2/"))
              .header("Accept", "application/taxii+json;version=2.1")
              .header(
                  "Authorization",
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
              .build();
      int status =
          HttpClient.newHttpClient()
              .send(request, HttpResponse.BodyHandlers.discarding())
              .statusCode();
      spec.commandLine().getOut().println("self-test: discovery answered " + status);
      return status == 200 ? 0 : 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("self-test: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  NodeConfig configure() {
    NodeConfig c = NodeConfig.defaults();
    if (configFile != null) {
      c = c.withFile(configFile);
    }
    if (data != null) {
      c = c.withDataDir(data);
    }
    String url = db != null ? db : env.get(DatabaseUrls.ENV);
    if (url != null && !url.isBlank()) {
      c = c.withDatabase(url);
    }
    if (bind != null || port != null) {
      c = c.withListen(bind != null ? bind : c.bind(), port != null ? port : c.port());
    }
    if (org != null) {
      c = c.withHomeOrg(org);
    }
    if (tlsKeystore != null) {
      String password = env.get("ENTENTE_TLS_KEYSTORE_PASSWORD");
      if (password == null) {
        password = c.tlsKeystorePassword();
      }
      if (password == null) {
        throw new IllegalArgumentException(
            "--tls-keystore needs the password in ENTENTE_TLS_KEYSTORE_PASSWORD"
                + " or tls.keystore-password in the config file");
      }
      c = c.withTls(tlsKeystore, password, tlsKeystoreType);
    }
    return c.checked();
  }
}
