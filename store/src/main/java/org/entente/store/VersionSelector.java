package org.entente.store;

import java.util.Set;

/**
 * TAXII {@code match[version]}: the union of first, last, all and exact versions. Exact versions
 * are given as {@link org.entente.stix.StixTimestamp#sortKey()} values.
 */
public record VersionSelector(boolean all, boolean first, boolean last, Set<String> exact) {
  public static final VersionSelector LAST = new VersionSelector(false, false, true, Set.of());
  public static final VersionSelector FIRST = new VersionSelector(false, true, false, Set.of());
  public static final VersionSelector ALL = new VersionSelector(true, false, false, Set.of());

  public VersionSelector {
    exact = Set.copyOf(exact);
    if (!all && !first && !last && exact.isEmpty()) {
      throw new IllegalArgumentException("a version selector must select something");
    }
  }
}
