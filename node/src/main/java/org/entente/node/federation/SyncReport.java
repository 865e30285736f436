package org.entente.node.federation;

import java.time.Duration;
import java.util.List;

/**
 * What one sync with a peer did.
 *
 * @param pulled versions pulled and newly stored
 * @param pulledDuplicates versions pulled that the node already held
 * @param skipped pulled objects refused (invalid, RED, above the ceiling), each in {@code problems}
 * @param pushed versions the peer acknowledged
 * @param pushFailures versions the peer refused or left pending (retried later)
 * @param problems one line per skipped object or error
 */
public record SyncReport(
    String peer,
    long pulled,
    long pulledDuplicates,
    long skipped,
    long pushed,
    long pushFailures,
    List<String> problems,
    Duration took) {
  public SyncReport {
    problems = List.copyOf(problems);
  }
}
