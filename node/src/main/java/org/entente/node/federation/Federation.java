package org.entente.node.federation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.entente.stix.validate.StixValidator;
import org.entente.store.GroupCommitWriter;
import org.entente.store.NotFoundException;
import org.entente.store.Organisation;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import org.entente.store.Store;
import org.entente.store.StoreUnavailableException;
import org.entente.taxii.client.Credentials;
import org.entente.taxii.client.TaxiiClient;
import org.entente.taxii.client.TaxiiClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federation with peer nodes over TAXII 2.1: runs each peer's pull and push on its schedule (in
 * {@code serve}) or on demand ({@code ./entente sync}), and reports where each stands. A failed
 * sync backs off exponentially (or as the peer's Retry-After says) and resumes where the last
 * committed step left it.
 */
public final class Federation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Federation.class);

  /** How long a sync holds its peer without renewing (renewed after every page and envelope). */
  static final Duration LEASE = Duration.ofSeconds(30);

  /** This process's name in peer leases. */
  private final String owner = "federation-" + java.util.UUID.randomUUID();

  /** Longest wait after repeated failures. */
  static final Duration MAX_BACKOFF = Duration.ofHours(1);

  private final Store store;
  private final GroupCommitWriter writer;
  private final StixValidator validator;
  private final SecretSeal seal;
  private final Clock clock;

  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private volatile RetryPolicy retry = RetryPolicy.DEFAULT;
  private ScheduledExecutorService ticker;
  private ExecutorService workers;

  public Federation(
      Store store,
      GroupCommitWriter writer,
      StixValidator validator,
      SecretSeal seal,
      Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.writer = Objects.requireNonNull(writer);
    this.validator = Objects.requireNonNull(validator);
    this.seal = Objects.requireNonNull(seal);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Starts syncing every peer on its interval: a ticker looks each second for peers that are due
   * (re-reading the peer list, so peers added or removed while serving are followed) and hands them
   * to two worker threads; a peer never has two syncs at once in this process.
   */
  public synchronized void start() {
    if (ticker != null) {
      return;
    }
    ticker = Executors.newSingleThreadScheduledExecutor(daemon("entente-federation-ticker"));
    workers = Executors.newFixedThreadPool(2, daemon("entente-federation"));
    ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      for (Peer peer : store.peers()) {
        PeerState st = store.peerState(peer.name());
        boolean backedOff = st.nextAttempt() != null && now.isBefore(st.nextAttempt());
        boolean due =
            st.lastAttempt() == null
                || !now.isBefore(st.lastAttempt().plusSeconds(peer.intervalSeconds()));
        if (due && !backedOff && running.add(peer.name())) {
          workers.execute(
              () -> {
                try {
                  SyncReport r = syncLocked(peer.name(), SyncProgress.NONE);
                  if (r.pulled() + r.pushed() + r.skipped() > 0) {
                    LOG.info(
                        "peer {}: pulled {} (+{} held), skipped {}, pushed {} ({} unacknowledged)",
                        r.peer(),
                        r.pulled(),
                        r.pulledDuplicates(),
                        r.skipped(),
                        r.pushed(),
                        r.pushFailures());
                  }
                } catch (PeerBusyException busy) {
                  LOG.debug("peer {}: {}", peer.name(), busy.getMessage());
                } catch (RuntimeException e) {
                  LOG.warn("peer {}: sync failed: {}", peer.name(), e.getMessage());
                } finally {
                  running.remove(peer.name());
                }
              });
        }
      }
    } catch (StoreUnavailableException e) {
      // The store says so itself; the next tick tries again.
      LOG.warn("federation schedule skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("federation schedule failed", e);
    }
  }

  /**
   * Runs one sync with {@code peer} now (pull, then push, as its direction says) and reports it.
   *
   * @throws NotFoundException when there is no such peer
   * @throws FederationException when the sync stopped on an error (recorded in the peer's state;
   *     what was committed before it stays)
   */
  public SyncReport sync(String peer, SyncProgress progress) {
    if (!running.add(peer)) {
      throw new PeerBusyException("a sync with peer " + peer + " is already running");
    }
    try {
      return syncLocked(peer, progress);
    } finally {
      running.remove(peer);
    }
  }

  private SyncReport syncLocked(String name, SyncProgress progress) {
    Peer peer =
        store.peer(name).orElseThrow(() -> new NotFoundException("no peer named '" + name + "'"));
    Instant started = clock.instant();
    if (!lease(name)) {
      throw new PeerBusyException("peer " + name + " is being synced by another process");
    }
    PeerState before = store.peerState(name);
    save(before.attempted(started));
    PeerSync sync = null;
    try {
      sync =
          new PeerSync(
              peer,
              client(peer),
              store,
              writer,
              validator,
              clock,
              progress,
              homeOrganisation(),
              () -> {
                if (!lease(name)) {
                  throw new PeerBusyException("the lease on peer " + name + " was lost");
                }
              },
              retry);
      SyncReport report = sync.run();
      save(sync.state().succeeded(clock.instant()));
      return report;
    } catch (PeerBusyException e) {
      throw e;
    } catch (RuntimeException e) {
      PeerState st = sync != null ? sync.state() : store.peerState(name);
      int failures = st.consecutiveFailures() + 1;
      Duration wait = retryAfter(e).orElse(backoff(failures));
      Instant now = clock.instant();
      save(st.failed(describe(e), now, failures, now.plus(wait)));
      throw e instanceof FederationException f
          ? f
          : new FederationException("sync with peer " + name + " failed: " + describe(e), e);
    } finally {
      store.write(
          tx -> {
            tx.releaseLease(Peer.leaseName(name), owner);
            return null;
          });
    }
  }

  private boolean lease(String peer) {
    Instant now = clock.instant();
    return store.write(tx -> tx.lease(Peer.leaseName(peer), owner, now, now.plus(LEASE)));
  }

  /** Another process (or thread) is syncing the peer: not a failure of the peer. */
  public static final class PeerBusyException extends FederationException {
    PeerBusyException(String message) {
      super(message);
    }
  }

  /** 2 s, 4 s, 8 s, ... up to {@link #MAX_BACKOFF}. */
  static Duration backoff(int failures) {
    long seconds = 1L << Math.min(failures, 20);
    return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
  }

  private static Optional<Duration> retryAfter(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TaxiiClientException x) {
        return x.retryAfter();
      }
    }
    return Optional.empty();
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private String homeOrganisation() {
    return store.organisations().stream()
        .filter(Organisation::home)
        .map(Organisation::name)
        .findFirst()
        .orElseThrow(
            () -> new FederationException("the node has no home organisation to receive as"));
  }

  private TaxiiClient client(Peer peer) {
    Peer.PeerCredentials c = peer.credentials();
    Credentials credentials =
        switch (c.kind()) {
          case "basic" -> Credentials.basic(c.user(), seal.open(c.sealedSecret()));
          case "bearer" -> Credentials.bearer(seal.open(c.sealedSecret()));
          default ->
              throw new FederationException(
                  "peer " + peer.name() + " has no credentials (basic or bearer)");
        };
    String certPassword =
        peer.clientCertificate() == null ? null : seal.open(c.sealedCertificatePassword());
    javax.net.ssl.SSLContext tls =
        PeerTls.of(
            peer.clientCertificate() == null
                ? null
                : java.nio.file.Path.of(peer.clientCertificate()),
            certPassword == null ? new char[0] : certPassword.toCharArray(),
            peer.trustedCertificates() == null
                ? null
                : java.nio.file.Path.of(peer.trustedCertificates()));
    return new TaxiiClient(PeerSync.serverRoot(peer.discoveryUrl()), credentials, tls);
  }

  /** Changes how requests are retried within a sync (tests keep the pauses short). */
  void retryPolicy(RetryPolicy policy) {
    this.retry = Objects.requireNonNull(policy);
  }

  /** Every peer with where its sync stands. */
  public List<PeerStatus> statuses() {
    Instant now = clock.instant();
    List<PeerStatus> out = new ArrayList<>();
    for (Peer peer : store.peers()) {
      PeerState st = store.peerState(peer.name());
      long backlog = 0;
      Instant oldest = null;
      if (peer.direction().pushes()) {
        for (String c : peer.publishCollections()) {
          Store.Backlog b = store.backlog(c, st.pushMarks().getOrDefault(c, 0L));
          backlog += b.entries();
          if (b.oldestAdded() != null && (oldest == null || b.oldestAdded().isBefore(oldest))) {
            oldest = b.oldestAdded();
          }
        }
      }
      Long pushLag = oldest == null ? null : Math.max(0, Duration.between(oldest, now).toSeconds());
      Long pullLag =
          !peer.direction().pulls() || st.caughtUpAt() == null
              ? null
              : Math.max(0, Duration.between(st.caughtUpAt(), now).toSeconds());
      out.add(
          new PeerStatus(peer, st, backlog, pushLag, pullLag, store.pushPendingCount(peer.name())));
    }
    return out;
  }

  private void save(PeerState st) {
    store.write(
        tx -> {
          tx.savePeerState(st);
          return null;
        });
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      workers.shutdown();
      try {
        if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
          workers.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        workers.shutdownNow();
      }
      ticker = null;
    }
  }
}
