package org.entente.taxii.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.entente.stix.validate.StixValidator;
import org.entente.store.GroupCommitWriter;
import org.entente.store.Store;
import org.entente.taxii.Taxii;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TAXII 2.1 server of a node: discovery, API roots, collections, objects, manifests, versions
 * and statuses over HTTPS, on Javalin/Jetty.
 *
 * <p>Every request is authenticated (discovery too) by the node's {@link Authenticator}, and every
 * collection decision is asked of its {@link AccessPolicy}. Paths end with '/'; a path without it
 * is answered 404 (with a hint), not redirected, because a redirected POST would lose its body with
 * many clients.
 */
public final class TaxiiServer {
  private static final Logger log = LoggerFactory.getLogger(TaxiiServer.class);

  /** TLS 1.2 suites outside the RFC 7540 Appendix A blacklist (AEAD with forward secrecy). */
  private static final String[] CIPHER_SUITES = {
    "TLS_AES_.*", // TLS 1.3
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_.*_GCM_SHA.*",
    "TLS_ECDHE_RSA_WITH_AES_.*_GCM_SHA.*",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_.*_GCM_SHA.*",
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
  };

  private static final long SHUTDOWN_IDLE_MS = 100;

  private final TaxiiServerConfig config;
  private final Authenticator authenticator;
  private final DiscoveryHandlers discovery;
  private final CollectionHandlers collections;
  private final ManifestHandlers manifest;
  private final ObjectHandlers objects;
  private final StatusHandlers statuses;
  private final List<Extension> extensions;
  private Javalin app;

  /** Routes a node serves beside TAXII under one path prefix, e.g. its admin API. */
  public interface Extension {
    /** The prefix every route of the extension starts with, e.g. {@code /admin/}. */
    String pathPrefix();

    /** Registers the routes; {@link #requester} tells who is asking. */
    void routes(RoutesConfig routes);
  }

  /** The requester the server authenticated, for extension routes. */
  public static Requester requester(Context ctx) {
    return Access.requester(ctx);
  }

  public TaxiiServer(
      TaxiiServerConfig config,
      Store store,
      GroupCommitWriter writer,
      StixValidator validator,
      Authenticator authenticator,
      AccessPolicy policy) {
    this(config, store, writer, validator, authenticator, policy, AuditTrail.NONE, List.of());
  }

  /**
   * @param audit where reads of AMBER and above, writes and deletes are reported
   * @param extensions routes served beside TAXII (e.g. the node's admin API), each under its own
   *     path prefix, authenticated like TAXII routes but without TAXII's Accept rules
   */
  public TaxiiServer(
      TaxiiServerConfig config,
      Store store,
      GroupCommitWriter writer,
      StixValidator validator,
      Authenticator authenticator,
      AccessPolicy policy,
      AuditTrail audit,
      List<Extension> extensions) {
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(audit, "audit");
    this.extensions = List.copyOf(extensions);
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(validator, "validator");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(policy, "policy");
    Access access = new Access(store, policy);
    StatusBoard board = new StatusBoard(Clock.systemUTC());
    Paging paging =
        new Paging(
            store,
            new PageCursors(config.cursorSecret()),
            config.pageSizeDefault(),
            config.pageSizeMax());
    Ingest ingest =
        new Ingest(
            store,
            writer,
            validator,
            policy,
            board,
            config.statusWait(),
            config.backlogRetryAfter(),
            config.processName());
    this.discovery = new DiscoveryHandlers(config, store, access);
    this.collections = new CollectionHandlers(store, policy, access);
    this.manifest = new ManifestHandlers(access, paging);
    this.objects = new ObjectHandlers(store, access, paging, ingest, audit);
    this.statuses = new StatusHandlers(store, board, access);
  }

  /** Every endpoint of TAXII 2.1 §4 and §5, in one place. */
  private void routes(RoutesConfig r) {
    r.before(this::authenticate);
    // Extensions first: Javalin runs the first route that matches, and "/{root}/collections/"
    // would otherwise answer e.g. /admin/collections/ (an API root cannot share their prefix).
    for (Extension e : extensions) {
      e.routes(r);
    }
    // Registered before "/{root}/" so that discovery wins; no API root may be called "taxii2".
    r.get(Taxii.DISCOVERY_PATH, discovery::discovery);
    r.get("/{root}/", discovery::apiRoot);
    r.get("/{root}/status/{status}/", statuses::get);
    r.get("/{root}/collections/", collections::list);
    r.get("/{root}/collections/{collection}/", collections::get);
    r.get("/{root}/collections/{collection}/manifest/", manifest::get);
    r.get("/{root}/collections/{collection}/objects/", objects::list);
    r.post("/{root}/collections/{collection}/objects/", objects::add);
    r.get("/{root}/collections/{collection}/objects/{object}/", objects::get);
    r.delete("/{root}/collections/{collection}/objects/{object}/", objects::delete);
    r.get("/{root}/collections/{collection}/objects/{object}/versions/", objects::versions);
    ErrorResponses.register(r, config.backlogRetryAfter());
  }

  /**
   * Runs before every route, and before the 404 of a path with none: nothing is revealed to an
   * unauthenticated client, not even which paths exist. Accept is checked next, for every endpoint
   * alike.
   */
  private void authenticate(Context ctx) {
    Requester requester = authenticator.authenticate(ctx.header("Authorization"), ctx.ip());
    if (requester == null) {
      throw new AuthenticationFailedException("the authenticator returned no requester");
    }
    Access.authenticated(ctx, requester);
    for (Extension e : extensions) {
      if (ctx.path().startsWith(e.pathPrefix())) {
        return; // not TAXII: it speaks plain JSON
      }
    }
    if (!MediaRanges.acceptsTaxii(ctx.header("Accept"))) {
      throw TaxiiError.notAcceptable();
    }
  }

  private void configure(JavalinConfig cfg) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.router.ignoreTrailingSlashes = false;
    cfg.router.treatMultipleSlashesAsSingleSlash = false;
    cfg.router.caseInsensitiveRoutes = false;
    cfg.http.prefer405over404 = true;
    cfg.http.generateEtags = false;
    cfg.http.defaultContentType = Taxii.MEDIA_TYPE;
    cfg.jetty.modifyServer(this::configureJetty);
    cfg.jetty.modifyHttpConfiguration(
        h -> {
          h.setSendServerVersion(false);
          h.setSendXPoweredBy(false);
        });
    if (config.tls() != null) {
      cfg.jetty.addConnector(this::tlsConnector);
    } else {
      cfg.jetty.host = config.bindAddress();
      cfg.jetty.port = config.port();
    }
    cfg.requestLogger.http(this::logRequest);
    routes(cfg.routes);
  }

  private void configureJetty(Server server) {
    // Graceful stop: in-flight requests (a POST waiting for its commit) may finish, while idle
    // keep-alive connections are closed at once instead of holding the stop for the grace.
    GracefulHandler graceful = new GracefulHandler();
    graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_MS);
    server.setHandler(graceful);
    server.setStopTimeout(config.shutdownGrace().toMillis());
    server.setErrorHandler(new JettyErrors());
  }

  private ServerConnector tlsConnector(Server server, HttpConfiguration http) {
    TaxiiServerConfig.Tls tls = config.tls();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(tls.keyStore().toString());
    ssl.setKeyStorePassword(tls.password());
    ssl.setKeyStoreType(tls.type());
    // TAXII 2.1 §8.2.2: TLS 1.2 required, 1.3 recommended, nothing older. The JDK does not
    // implement TLS 1.3 0-RTT, so early data cannot be accepted.
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    ssl.setIncludeCipherSuites(CIPHER_SUITES);
    ssl.setSniRequired(false);
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Clients often connect by IP address or an internal name the certificate does not list.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    connector.setHost(config.bindAddress());
    connector.setPort(config.port());
    return connector;
  }

  private void logRequest(Context ctx, Float ms) {
    if (log.isDebugEnabled()) {
      Requester r = Access.requesterOrNull(ctx);
      log.debug(
          "{} {} {} {}ms {}",
          ctx.method().name(),
          ctx.path(),
          ctx.statusCode(),
          String.format(java.util.Locale.ROOT, "%.1f", ms),
          r == null ? "-" : r.user());
    }
  }

  /** Binds and starts serving; returns once the port is open. */
  public synchronized void start() {
    if (app != null) {
      throw new IllegalStateException("already started");
    }
    Javalin created = Javalin.create(this::configure);
    created.start();
    app = created;
    log.info("TAXII 2.1 server listening on {}", baseUrl());
  }

  /** Stops accepting requests and lets those in flight finish (up to the shutdown grace). */
  public synchronized void stop() {
    if (app != null) {
      app.stop();
      app = null;
    }
  }

  /** The bound port (the real one when the configuration asked for 0). */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("not started");
    }
    return app.port();
  }

  /** Scheme, host and port, e.g. {@code https://127.0.0.1:8443}; discovery is at /taxii2/. */
  public String baseUrl() {
    String host = config.bindAddress();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "localhost";
    } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (config.tls() != null ? "https" : "http") + "://" + host + ":" + port();
  }
}
