package org.entente.detect;

import java.util.List;
import java.util.Objects;

/**
 * An indicator that may match, with the observations to evaluate it against: the current one, and
 * for multi-observation patterns also the recent ones kept for it (oldest first).
 */
public record Candidate(IndexedIndicator indicator, List<Observation> observations) {
  public Candidate {
    Objects.requireNonNull(indicator);
    observations = List.copyOf(observations);
  }
}
