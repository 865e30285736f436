package org.entente.store;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.entente.stix.marking.Tlp;

/**
 * Which entries of a collection one reader may see: the store's form of the sharing policy's {@code
 * visible(meta, reader)} for one collection. An entry is visible when the reader's organisation put
 * it there (producers always see their own) or when its TLP is no more restrictive than the
 * reader's ceiling in that collection.
 *
 * @param organisation the reader's organisation; null matches no producer
 * @param ceiling the most restrictive TLP the reader's grants let it see; null for none (only its
 *     own organisation's entries are visible)
 */
public record Visibility(String organisation, Tlp ceiling, boolean everything) {
  /**
   * No restriction: for the node's own work (setup, federation bookkeeping), never for requests.
   */
  public static final Visibility EVERYTHING = new Visibility(null, Tlp.RED, true);

  public Visibility {
    if (everything && ceiling != Tlp.RED) {
      throw new IllegalArgumentException("an unrestricted visibility has the ceiling RED");
    }
  }

  /** A reader's visibility in one collection. */
  public static Visibility of(String organisation, Tlp ceiling) {
    return new Visibility(Objects.requireNonNull(organisation, "organisation"), ceiling, false);
  }

  /**
   * The stored rank of an entry that only its producers may see (federated AMBER and AMBER+STRICT),
   * above every ceiling; {@link Entry#tlp()} reports such an entry as AMBER+STRICT.
   */
  public static final int PRODUCERS_ONLY_RANK = 5;

  /**
   * Whether every entry passes unchecked: the maintained first/last flags then describe what it
   * sees. Only the node's own work; a RED ceiling still misses producers-only entries.
   */
  public boolean seesEverything() {
    return everything;
  }

  /** The rank compared with an entry's stored TLP rank; -1 when no level is visible. */
  public int ceilingRank() {
    return ceiling == null ? -1 : ceiling.ordinal();
  }

  /** The pure predicate, for one entry and the organisations that produced it. */
  public boolean sees(Collection<String> producers, Tlp tlp) {
    return everything
        || (organisation != null && producers.contains(organisation))
        || (ceiling != null && !tlp.isMoreRestrictiveThan(ceiling));
  }

  /** {@link #sees(Collection, Tlp)} for an entry with one producer. */
  public boolean sees(String producerOrg, Tlp tlp) {
    return sees(producerOrg == null ? Set.of() : Set.of(producerOrg), tlp);
  }
}
