package org.entente.node;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.entente.node.admin.AdminApi;
import org.entente.node.admin.Administration;
import org.entente.node.audit.AuditJournal;
import org.entente.node.auth.LoginThrottle;
import org.entente.node.auth.NodeAuthenticator;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.node.detection.ObservationInputs;
import org.entente.node.detection.SightingsEngine;
import org.entente.node.federation.Federation;
import org.entente.node.federation.SecretSeal;
import org.entente.node.policy.GrantPolicy;
import org.entente.stix.validate.StixValidator;
import org.entente.store.GroupCommitWriter;
import org.entente.store.Organisation;
import org.entente.store.Store;
import org.entente.store.Stores;
import org.entente.taxii.server.TaxiiServer;
import org.entente.taxii.server.TaxiiServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Entente node: its store, its single writer, its TAXII 2.1 server and its federation
 * with peer nodes.
 */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  /** The node setting holding the key of TAXII {@code next} cursors (shared by all processes). */
  static final String CURSOR_SECRET = "taxii.cursor-secret";

  /** The node setting naming the node key (see {@link SecretSeal#fingerprint}). */
  public static final String NODE_KEY_FINGERPRINT = "node-key.fingerprint";

  private final NodeConfig config;
  private final Store store;
  private final GroupCommitWriter writer;
  private final AuditJournal audit;
  private final ObservationInputs detection;
  private final Federation federation;
  private final TaxiiServer server;
  private final ScheduledExecutorService housekeeping;
  private final Leadership leadership;
  private final NodeSetup.Outcome setup;
  private boolean closed;

  private Node(
      NodeConfig config,
      Store store,
      GroupCommitWriter writer,
      AuditJournal audit,
      ObservationInputs detection,
      Federation federation,
      TaxiiServer server,
      ScheduledExecutorService housekeeping,
      Leadership leadership,
      NodeSetup.Outcome setup) {
    this.config = config;
    this.store = store;
    this.writer = writer;
    this.audit = audit;
    this.detection = detection;
    this.federation = federation;
    this.server = server;
    this.housekeeping = housekeeping;
    this.leadership = leadership;
    this.setup = setup;
  }

  /**
   * Opens (creating on first start) the data directory and the store (SQLite in the data directory,
   * or the PostgreSQL database {@link NodeConfig#databaseUrl} names) and starts serving.
   *
   * @param env environment variables (for {@code ENTENTE_ADMIN_PASSWORD})
   */
  public static Node start(NodeConfig config, Map<String, String> env) {
    return start(config, env, new PasswordHasher());
  }

  static Node start(NodeConfig config, Map<String, String> env, PasswordHasher hasher) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
    }
    Clock clock = Clock.systemUTC();
    // The data directory holds node.key (and SQLite's database unless PostgreSQL is configured).
    Store store = Stores.open(config.databaseUrl(), config.dataDir());
    GroupCommitWriter writer = null;
    AuditJournal audit = null;
    ObservationInputs detection = null;
    Federation federation = null;
    Leadership leadership = new Leadership(store, clock);
    try {
      NodeSetup.Outcome setup =
          new NodeSetup(store, hasher, new Secrets(), clock).ensure(config, env);
      // --org only names the home organisation at first start; afterwards the store says.
      String homeOrg =
          store.organisations().stream()
              .filter(Organisation::home)
              .map(Organisation::name)
              .findFirst()
              .orElse(config.homeOrg());
      config = config.withHomeOrg(homeOrg);
      writer = new GroupCommitWriter(store, config.maxQueuedObjects(), config.maxBatchObjects());
      audit = new AuditJournal(store, clock, 100_000);
      // Several processes may serve one database: one of them does the once-per-node work.
      leadership.renew();
      // Indicators are indexed on the detection thread before it matches anything, so no
      // observation is matched against an empty index, and start-up does not wait for it.
      detection =
          new ObservationInputs(
              store,
              () -> SightingsEngine.load(store, clock),
              leadership::leading,
              leadership::fence);
      writer.addCommitListener(detection::onCommitted);
      StixValidator validator = new StixValidator();
      SecretSeal seal = SecretSeal.of(config.dataDir());
      checkNodeKey(store, seal, config);
      federation = new Federation(store, writer, validator, seal, clock);
      TaxiiServerConfig.Builder taxii =
          TaxiiServerConfig.builder()
              .bindAddress(config.bind())
              .port(config.port())
              .title(config.title())
              .description("TAXII 2.1 node of " + config.homeOrg())
              .contact(config.contact())
              .defaultApiRoot(NodeSetup.API_ROOT)
              .pageSizeDefault(config.pageDefault())
              .pageSizeMax(config.pageMax())
              .processName(leadership.process())
              // One key for every process: a next cursor from one is honoured by the others.
              .cursorSecret(
                  store.write(tx -> tx.initSetting(CURSOR_SECRET, new Secrets().randomToken(32))))
              .statusWait(config.statusWait());
      if (config.tls()) {
        taxii.tls(
            new TaxiiServerConfig.Tls(
                config.tlsKeystore(), config.tlsKeystorePassword(), config.tlsKeystoreType()));
      }
      TaxiiServer server =
          new TaxiiServer(
              taxii.build(),
              store,
              writer,
              validator,
              new NodeAuthenticator(
                  store, hasher, new LoginThrottle(10, Duration.ofMinutes(5), clock, store), clock),
              new GrantPolicy(store),
              audit,
              List.of(
                  new AdminApi(
                      new Administration(store, hasher, new Secrets(), () -> seal, clock),
                      NodeSetup.API_ROOT,
                      federation,
                      clock)));
      server.start();
      startFederation(federation);
      ScheduledExecutorService housekeeping =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "entente-housekeeping");
                t.setDaemon(true);
                return t;
              });
      Housekeeping chores = new Housekeeping(store, leadership, clock);
      housekeeping.scheduleWithFixedDelay(chores::run, 0, 5, TimeUnit.SECONDS);
      housekeeping.scheduleWithFixedDelay(chores::expireStatuses, 1, 60, TimeUnit.MINUTES);
      return new Node(
          config,
          store,
          writer,
          audit,
          detection,
          federation,
          server,
          housekeeping,
          leadership,
          setup);
    } catch (RuntimeException e) {
      if (federation != null) {
        federation.close();
      }
      if (audit != null) {
        audit.close();
      }
      if (detection != null) {
        detection.close();
      }
      if (writer != null) {
        writer.close();
      }
      leadership.close();
      store.close();
      throw e;
    }
  }

  /**
   * Every process of a node must hold the key its peers' credentials were sealed with: a process
   * with another one would fail every sync. Refuses to start then, saying what to do; with no peer
   * there is nothing sealed, and this process's key becomes the node's.
   */
  private static void checkNodeKey(Store store, SecretSeal seal, NodeConfig config) {
    String mine = seal.fingerprint();
    String nodes = store.write(tx -> tx.initSetting(NODE_KEY_FINGERPRINT, mine));
    if (nodes.equals(mine)) {
      return;
    }
    if (!store.peers().isEmpty()) {
      throw new IllegalStateException(
          "the node key "
              + config.dataDir().resolve("node.key")
              + " is not the key this node's peer credentials are sealed with: copy node.key from"
              + " the data directory of the process that added the peers (every process serving"
              + " one database needs the same node.key), or remove the peers and add them again");
    }
    store.write(
        tx -> {
          tx.saveSetting(NODE_KEY_FINGERPRINT, mine);
          return null;
        });
  }

  /** Starts syncing the peers on their schedules; a federation that cannot start is not fatal. */
  private static void startFederation(Federation federation) {
    try {
      federation.start();
    } catch (UnsupportedOperationException e) {
      LOG.warn("federation with peers is not available in this build: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("federation with peers did not start; the node serves without it", e);
    }
  }

  public int port() {
    return server.port();
  }

  /** e.g. {@code http://127.0.0.1:6250} (no trailing slash). */
  public String baseUrl() {
    return server.baseUrl();
  }

  public Store store() {
    return store;
  }

  /** Appends the audit events queued so far (tests read the log right after a request). */
  public void flushAudit() {
    audit.flush();
  }

  NodeSetup.Outcome setup() {
    return setup;
  }

  /** The start-up banner: where the node serves, and the admin password if generated now. */
  public void printBanner(PrintWriter out) {
    out.printf("Entente %s: TAXII 2.1 at %s/taxii2/%n", Main.VERSION, baseUrl());
    out.printf(
        "  data: %s   home organisation: %s%n",
        config.dataDir().toAbsolutePath(), config.homeOrg());
    if (config.postgres()) {
      out.printf("  database: %s%n", DatabaseUrls.redacted(config.databaseUrl()));
    }
    if (setup.firstStart()) {
      out.printf(
          "  first start: API root /%s/, collection 'default', user '%s'%n",
          NodeSetup.API_ROOT, NodeSetup.ADMIN);
      if (setup.generatedAdminPassword() != null) {
        out.printf(
            "  admin password (shown once, store it now): %s%n", setup.generatedAdminPassword());
      }
    }
    out.flush();
  }

  /** Stops accepting requests, commits what was accepted, closes the store. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    housekeeping.shutdownNow();
    try {
      server.stop();
    } finally {
      try {
        federation.close(); // stops its syncs before the writer they commit through
        writer.close(); // commits what was accepted; its listeners queue the last matching
        detection.close();
        audit.close();
        leadership.close(); // another process takes the node's background work over at once
      } finally {
        store.close();
      }
    }
  }
}
