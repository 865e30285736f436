package org.entente.detect;

import java.util.List;
import org.entente.stix.pattern.StixPattern;

/**
 * The full pattern evaluator, kept behind a narrow interface so that the index only selects
 * candidates and the stix module's matcher decides.
 */
@FunctionalInterface
public interface PatternEvaluator {

  /** True when {@code pattern} matches the given observations (one, or several for compounds). */
  boolean matches(StixPattern pattern, List<Observation> observations);
}
