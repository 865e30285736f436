package org.entente.taxii.testing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.entente.store.ApiRoot;
import org.entente.store.ApiToken;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.CommittedEntries;
import org.entente.store.Community;
import org.entente.store.EntryPage;
import org.entente.store.EntryRef;
import org.entente.store.ObjectQuery;
import org.entente.store.Organisation;
import org.entente.store.StatusRecord;
import org.entente.store.Store;
import org.entente.store.StoreException;
import org.entente.store.StoreUnavailableException;
import org.entente.store.User;
import org.entente.store.WriteTransaction;

/**
 * The real store, with writes that can be held back or made to fail, or writes and object reads
 * made to find the database unavailable: the only way to observe a pending status, a full ingest
 * queue or a failed commit deterministically.
 */
public final class GatedStore implements Store {
  private final Store delegate;
  private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicBoolean unavailable = new AtomicBoolean();

  public GatedStore(Store delegate) {
    this.delegate = delegate;
  }

  /** Writes started from now on wait until {@link #open()}. */
  public void hold() {
    gate.set(new CountDownLatch(1));
  }

  public void open() {
    gate.get().countDown();
  }

  public void failWrites(boolean fail) {
    failing.set(fail);
  }

  /** Writes and object reads fail as when the database cannot be reached. */
  public void unavailable(boolean down) {
    unavailable.set(down);
  }

  private void refuseIfUnavailable() {
    if (unavailable.get()) {
      throw new StoreUnavailableException(
          "the database is unavailable (test)", new IllegalStateException("connection refused"));
    }
  }

  @Override
  public <T> T write(Function<WriteTransaction, T> work) {
    try {
      gate.get().await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted");
    }
    if (failing.get()) {
      throw new StoreException("disk on fire (test)");
    }
    refuseIfUnavailable();
    return delegate.write(work);
  }

  @Override
  public EntryPage entries(ObjectQuery query) {
    refuseIfUnavailable();
    return delegate.entries(query);
  }

  @Override
  public Optional<StatusRecord> status(String statusId) {
    return delegate.status(statusId);
  }

  @Override
  public List<StatusRecord> abandonedStatuses(Instant now, Instant requestedBefore, int limit) {
    return delegate.abandonedStatuses(now, requestedBefore, limit);
  }

  @Override
  public CommittedEntries committedEntries(long afterSeq, Set<String> types, int limit) {
    return delegate.committedEntries(afterSeq, types, limit);
  }

  @Override
  public long lastSeq() {
    return delegate.lastSeq();
  }

  @Override
  public List<Instant> loginFailures(String key, Instant since) {
    return delegate.loginFailures(key, since);
  }

  @Override
  public Optional<String> setting(String name) {
    return delegate.setting(name);
  }

  @Override
  public List<ApiRoot> apiRoots() {
    return delegate.apiRoots();
  }

  @Override
  public Optional<ApiRoot> apiRoot(String path) {
    return delegate.apiRoot(path);
  }

  @Override
  public List<Collection> collections(String apiRootPath) {
    return delegate.collections(apiRootPath);
  }

  @Override
  public Optional<Collection> collection(String apiRootPath, String idOrAlias) {
    return delegate.collection(apiRootPath, idOrAlias);
  }

  @Override
  public List<CollectionGrant> grants(String collectionId) {
    return delegate.grants(collectionId);
  }

  @Override
  public Optional<Organisation> organisation(String name) {
    return delegate.organisation(name);
  }

  @Override
  public List<Organisation> organisations() {
    return delegate.organisations();
  }

  @Override
  public Optional<User> user(String name) {
    return delegate.user(name);
  }

  @Override
  public List<User> users() {
    return delegate.users();
  }

  @Override
  public Optional<ApiToken> tokenByHash(String tokenHash) {
    return delegate.tokenByHash(tokenHash);
  }

  @Override
  public List<ApiToken> tokens(String userName) {
    return delegate.tokens(userName);
  }

  @Override
  public Set<String> observationInputs() {
    return delegate.observationInputs();
  }

  @Override
  public java.util.List<org.entente.store.Peer> peers() {
    return delegate.peers();
  }

  @Override
  public java.util.Optional<org.entente.store.Peer> peer(String name) {
    return delegate.peer(name);
  }

  @Override
  public org.entente.store.PeerState peerState(String peer) {
    return delegate.peerState(peer);
  }

  @Override
  public java.util.List<org.entente.store.PushPending> pushPending(
      String peer, java.time.Instant now, int limit) {
    return delegate.pushPending(peer, now, limit);
  }

  @Override
  public long pushPendingCount(String peer) {
    return delegate.pushPendingCount(peer);
  }

  @Override
  public Set<String> receivedFrom(String peer, java.util.Collection<String> idAndVersions) {
    return delegate.receivedFrom(peer, idAndVersions);
  }

  @Override
  public Set<String> heldVersions(java.util.Collection<String> keys) {
    return delegate.heldVersions(keys);
  }

  @Override
  public Backlog backlog(String collectionId, long afterSeq) {
    return delegate.backlog(collectionId, afterSeq);
  }

  @Override
  public List<Community> communities() {
    return delegate.communities();
  }

  @Override
  public Optional<Community> community(String name) {
    return delegate.community(name);
  }

  @Override
  public Set<String> communitiesOf(String organisation) {
    return delegate.communitiesOf(organisation);
  }

  @Override
  public List<AuditEvent> audit(AuditQuery query) {
    return delegate.audit(query);
  }

  @Override
  public List<EntryRef> entryRefs(long[] seqs) {
    return delegate.entryRefs(seqs);
  }

  @Override
  public void close() {
    open();
    delegate.close();
  }
}
