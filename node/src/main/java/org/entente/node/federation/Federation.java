package org.entente.node.federation;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.entente.stix.validate.StixValidator;
import org.entente.store.GroupCommitWriter;
import org.entente.store.Store;

/**
 * Federation with peer nodes over TAXII 2.1: runs each peer's pull and push on its schedule (in
 * {@code serve}) or on demand ({@code ./entente sync}), and reports where each stands.
 */
public final class Federation implements AutoCloseable {
  private final Store store;
  private final GroupCommitWriter writer;
  private final StixValidator validator;
  private final SecretSeal seal;
  private final Clock clock;

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

  /** Starts syncing every peer on its interval (re-reading the peer list as it changes). */
  public void start() {
    throw new UnsupportedOperationException("being written");
  }

  /**
   * Runs one sync with {@code peer} now (pull, then push, as its direction says) and reports it.
   *
   * @throws org.entente.store.NotFoundException when there is no such peer
   */
  public SyncReport sync(String peer, SyncProgress progress) {
    throw new UnsupportedOperationException("being written");
  }

  /** Every peer with where its sync stands. */
  public List<PeerStatus> statuses() {
    throw new UnsupportedOperationException("being written");
  }

  @Override
  public void close() {}
}
