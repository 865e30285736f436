package org.entente.store;

import java.util.Set;

/**
 * TAXII {@code match[spec_version]}: the listed spec versions, or (when empty) only the newest spec
 * version held for each object.
 */
public record SpecVersions(Set<String> listed) {
  public static final SpecVersions NEWEST = new SpecVersions(Set.of());

  public SpecVersions {
    listed = Set.copyOf(listed);
  }

  public boolean newestOnly() {
    return listed.isEmpty();
  }
}
