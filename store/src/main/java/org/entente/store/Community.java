package org.entente.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A named set of organisations that grants can address at once, e.g. "nato-allies". */
public record Community(String name, String description, List<String> members, Instant created) {
  public Community {
    Objects.requireNonNull(name, "name");
    members = List.copyOf(members);
  }
}
