package org.entente.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One observed-data object as the matcher sees it: its time window, count and the SCOs it holds,
 * keyed by id so that {@code _ref} and {@code _refs} properties can be followed.
 */
public record Observation(
    String id,
    Instant firstObserved,
    Instant lastObserved,
    long numberObserved,
    Map<String, JsonNode> objects) {
  public Observation {
    Objects.requireNonNull(id);
    Objects.requireNonNull(firstObserved);
    Objects.requireNonNull(lastObserved);
    objects = Map.copyOf(objects);
    if (lastObserved.isBefore(firstObserved)) {
      throw new IllegalArgumentException("last_observed before first_observed");
    }
  }
}
