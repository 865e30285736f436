package org.entente.node.policy;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.entente.stix.marking.Tlp;

/**
 * Who may read an object version: the sharing policy as one pure function. The store's SQL
 * predicate, the federation filter and the notification filter all derive from it.
 *
 * <p>Collections are distribution channels; TLP narrows, never widens, what a read grant allows:
 * CLEAR, GREEN, AMBER and AMBER+STRICT reach every reader granted through its organisation, one
 * of its organisation's communities or by name; RED reaches only readers granted by name. The
 * producing organisation always sees its own objects.
 */
public final class SharingPolicy {
  private SharingPolicy() {}

  /** The node-side facts of one object version in one collection. */
  public record ObjectMeta(String producerOrg, Tlp tlp) {
    public ObjectMeta {
      Objects.requireNonNull(tlp, "tlp");
    }
  }

  /** A reader: a user, its organisation and that organisation's communities. */
  public record Reader(String user, String organisation, Set<String> communities) {
    public Reader {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(organisation, "organisation");
      communities = Set.copyOf(communities);
    }
  }

  /** One grant on the collection that holds the object. */
  public record Grant(GranteeKind kind, String grantee, boolean read, boolean write) {}

  /** To whom a grant is made. */
  public enum GranteeKind {
    ORG,
    COMMUNITY,
    USER
  }

  /** Whether {@code reader} may see an object with {@code meta} in a collection with {@code grants}. */
  public static boolean visible(ObjectMeta meta, Reader reader, Collection<Grant> grants) {
    if (meta.producerOrg() != null && meta.producerOrg().equals(reader.organisation())) {
      return true;
    }
    return ceiling(reader, grants).map(c -> !meta.tlp().isMoreRestrictiveThan(c)).orElse(false);
  }

  /**
   * The most restrictive TLP the reader may see in the collection through its grants: RED with a
   * read grant by name, AMBER+STRICT with one through its organisation or a community, none
   * without a read grant. (Objects of the reader's own organisation are visible regardless.)
   */
  public static Optional<Tlp> ceiling(Reader reader, Collection<Grant> grants) {
    Tlp best = null;
    for (Grant g : grants) {
      if (!g.read()) {
        continue;
      }
      Tlp allows =
          switch (g.kind()) {
            case USER -> g.grantee().equals(reader.user()) ? Tlp.RED : null;
            case ORG -> g.grantee().equals(reader.organisation()) ? Tlp.AMBER_STRICT : null;
            case COMMUNITY -> reader.communities().contains(g.grantee()) ? Tlp.AMBER_STRICT : null;
          };
      if (allows != null && (best == null || allows.isMoreRestrictiveThan(best))) {
        best = allows;
      }
    }
    return Optional.ofNullable(best);
  }
}
