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
 * CLEAR, GREEN, AMBER and AMBER+STRICT reach every reader granted through its organisation, one of
 * its organisation's communities or by name; RED reaches only readers granted by name. The
 * producing organisation always sees its own objects.
 */
public final class SharingPolicy {
  private SharingPolicy() {}

  /**
   * The node-side facts of one object version in one collection: the organisations that posted it
   * there, and its TLP.
   */
  public record ObjectMeta(Set<String> producers, Tlp tlp, boolean producersOnly) {
    public ObjectMeta {
      Objects.requireNonNull(tlp, "tlp");
      producers = Set.copyOf(producers);
    }

    public ObjectMeta(Set<String> producers, Tlp tlp) {
      this(producers, tlp, false);
    }

    /** An entry with one producing organisation (or none known). */
    public ObjectMeta(String producerOrg, Tlp tlp) {
      this(producerOrg == null ? Set.of() : Set.of(producerOrg), tlp);
    }

    /**
     * An AMBER or AMBER+STRICT version received from a peer node: the node received it as its home
     * organisation, which alone may see it here, whatever the collection's grants say.
     */
    public static ObjectMeta federated(String homeOrg, Tlp tlp) {
      return new ObjectMeta(Set.of(homeOrg), tlp, tlp == Tlp.AMBER || tlp == Tlp.AMBER_STRICT);
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

  /**
   * Whether {@code reader} may see an object with {@code meta} in a collection with {@code grants}.
   */
  public static boolean visible(ObjectMeta meta, Reader reader, Collection<Grant> grants) {
    if (meta.producers().contains(reader.organisation())) {
      return true;
    }
    if (meta.producersOnly()) {
      return false;
    }
    return ceiling(reader, grants).map(c -> !meta.tlp().isMoreRestrictiveThan(c)).orElse(false);
  }

  /** Whether a grant applies to the reader. */
  static boolean applies(Grant g, Reader reader) {
    return switch (g.kind()) {
      case USER -> g.grantee().equals(reader.user());
      case ORG -> g.grantee().equals(reader.organisation());
      case COMMUNITY -> reader.communities().contains(g.grantee());
    };
  }

  /** Whether the reader may read the collection at all (TAXII can_read). */
  public static boolean mayRead(Reader reader, Collection<Grant> grants) {
    return grants.stream().anyMatch(g -> g.read() && applies(g, reader));
  }

  /** Whether the reader's grants let it add objects to the collection (TAXII can_write). */
  public static boolean mayWrite(Reader reader, Collection<Grant> grants) {
    return grants.stream().anyMatch(g -> g.write() && applies(g, reader));
  }

  /**
   * The most restrictive TLP the reader may see in the collection through its grants: RED with a
   * read grant by name, AMBER+STRICT with one through its organisation or a community, none without
   * a read grant. (Objects of the reader's own organisation are visible regardless.)
   */
  public static Optional<Tlp> ceiling(Reader reader, Collection<Grant> grants) {
    Tlp best = null;
    for (Grant g : grants) {
      if (!g.read()) {
        continue;
      }
      if (!applies(g, reader)) {
        continue;
      }
      // RED only to users granted by name; never through an organisation or a community.
      Tlp allows = g.kind() == GranteeKind.USER ? Tlp.RED : Tlp.AMBER_STRICT;
      if (best == null || allows.isMoreRestrictiveThan(best)) {
        best = allows;
      }
    }
    return Optional.ofNullable(best);
  }
}
