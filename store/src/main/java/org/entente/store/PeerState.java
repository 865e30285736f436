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

  /** After a pulled page: the new position, and the page's counts added. */
  public PeerState withPull(String addedAfter, Instant caughtUpAt, long added, long newSkips) {
    return new PeerState(
        peer,
        addedAfter,
        pushMarks,
        inflightCollection,
        inflightToSeq,
        inflightStatus,
        lastAttempt,
        lastSuccess,
        lastError,
        lastErrorAt,
        consecutiveFailures,
        nextAttempt,
        caughtUpAt,
        pulled + added,
        pushed,
        skipped + newSkips);
  }

  /** The push mark of {@code collectionId} raised to {@code seq} (never lowered). */
  public PeerState withPushMark(String collectionId, long seq) {
    Map<String, Long> marks = new java.util.HashMap<>(pushMarks);
    marks.merge(collectionId, seq, Math::max);
    return new PeerState(
        peer,
        pullAddedAfter,
        marks,
        inflightCollection,
        inflightToSeq,
        inflightStatus,
        lastAttempt,
        lastSuccess,
        lastError,
        lastErrorAt,
        consecutiveFailures,
        nextAttempt,
        caughtUpAt,
        pulled,
        pushed,
        skipped);
  }

  /** The envelope in flight (null collection: none). */
  public PeerState withInflight(String collectionId, long toSeq, String statusId) {
    return new PeerState(
        peer,
        pullAddedAfter,
        pushMarks,
        collectionId,
        toSeq,
        statusId,
        lastAttempt,
        lastSuccess,
        lastError,
        lastErrorAt,
        consecutiveFailures,
        nextAttempt,
        caughtUpAt,
        pulled,
        pushed,
        skipped);
  }

  /** {@code acknowledged} more versions taken by the peer. */
  public PeerState withPushed(long acknowledged) {
    return new PeerState(
        peer,
        pullAddedAfter,
        pushMarks,
        inflightCollection,
        inflightToSeq,
        inflightStatus,
        lastAttempt,
        lastSuccess,
        lastError,
        lastErrorAt,
        consecutiveFailures,
        nextAttempt,
        caughtUpAt,
        pulled,
        pushed + acknowledged,
        skipped);
  }

  /** A sync started at {@code at}. */
  public PeerState attempted(Instant at) {
    return new PeerState(
        peer,
        pullAddedAfter,
        pushMarks,
        inflightCollection,
        inflightToSeq,
        inflightStatus,
        at,
        lastSuccess,
        lastError,
        lastErrorAt,
        consecutiveFailures,
        nextAttempt,
        caughtUpAt,
        pulled,
        pushed,
        skipped);
  }

  /** A sync ended well at {@code at}: failures and backoff cleared. */
  public PeerState succeeded(Instant at) {
    return new PeerState(
        peer,
        pullAddedAfter,
        pushMarks,
        inflightCollection,
        inflightToSeq,
        inflightStatus,
        lastAttempt,
        at,
        lastError,
        lastErrorAt,
        0,
        null,
        caughtUpAt,
        pulled,
        pushed,
        skipped);
  }

  /** A sync failed at {@code at}: the error, the count of failures in a row, when to try again. */
  public PeerState failed(String error, Instant at, int failures, Instant retryAt) {
    return new PeerState(
        peer,
        pullAddedAfter,
        pushMarks,
        inflightCollection,
        inflightToSeq,
        inflightStatus,
        lastAttempt,
        lastSuccess,
        error,
        at,
        failures,
        retryAt,
        caughtUpAt,
        pulled,
        pushed,
        skipped);
  }
}
