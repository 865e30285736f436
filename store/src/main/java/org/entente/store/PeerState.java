package org.entente.store;

import java.time.Instant;
import java.util.Map;

/**
 * Where the sync with one peer stands; saved in the transaction that commits the work it describes,
 * so that a restart resumes exactly there.
 *
 * @param pullAddedAfter the remote {@code X-TAXII-Date-Added-Last} of the last committed page, as
 *     the remote wrote it (null: from the beginning)
 * @param pushMarks per published collection, the highest local seq handed to the peer
 * @param inflightCollection the collection of the envelope posted and not yet settled, or null
 * @param inflightToSeq the highest seq in that envelope
 * @param inflightStatus the remote status id of that envelope, once known
 * @param caughtUpAt when a pull last found nothing more to fetch
 * @param nextAttempt not before this (backoff after errors, or a server's Retry-After)
 */
public record PeerState(
    String peer,
    String pullAddedAfter,
    Map<String, Long> pushMarks,
    String inflightCollection,
    long inflightToSeq,
    String inflightStatus,
    Instant lastAttempt,
    Instant lastSuccess,
    String lastError,
    Instant lastErrorAt,
    int consecutiveFailures,
    Instant nextAttempt,
    Instant caughtUpAt,
    long pulled,
    long pushed,
    long skipped) {

  public PeerState {
    pushMarks = Map.copyOf(pushMarks);
  }

  /** A peer never synced. */
  public static PeerState initial(String peer) {
    return new PeerState(
        peer, null, Map.of(), null, 0, null, null, null, null, null, 0, null, null, 0, 0, 0);
  }
}
