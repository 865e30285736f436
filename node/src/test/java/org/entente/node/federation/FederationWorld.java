package org.entente.node.federation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.entente.stix.marking.Tlp;
import org.entente.stix.marking.TlpMarkings;

/**
 * A federation of nodes as a test describes it (collections with their grants, peers, the object
 * versions each node publishes) and the sharing policy as a model: {@link #expected()} is the set
 * of versions each collection of each node holds once every sync has run until nothing changes.
 *
 * <p>The policy modelled, independently of the engine's code:
 *
 * <ul>
 *   <li>a peer stands for one organisation; what is pushed to it or served to its pull follows the
 *       local grants of that organisation (an organisation grant reaches AMBER+STRICT, never RED);
 *   <li>RED is never federated; nothing above a peer's TLP ceiling goes to it or is taken from it;
 *   <li>a node receives from a peer as its home organisation: AMBER and AMBER+STRICT that came from
 *       a peer are for the home organisation alone and never go further; CLEAR and GREEN follow the
 *       local grants and go on if their collection is published;
 *   <li>a version is never sent back where it came from and arrives at most once at a node (a node
 *       that holds a version, in any collection, does not take it again);
 *   <li>an object's TLP is its TLP 2.0 marking, else the default of the collection that holds it
 *       where it was published, and AMBER where it was received from a peer (the sender's default
 *       is not known there, so the safe level applies).
 * </ul>
 */
final class FederationWorld {
  /** Which way a peer's objects flow, seen from the node that has the peer. */
  enum Direction {
    PULL,
    PUSH,
    BOTH;

    boolean pulls() {
      return this != PUSH;
    }

    boolean pushes() {
      return this != PULL;
    }
  }

  /** A collection of one node. */
  record Coll(
      String node,
      String alias,
      String id,
      Tlp defaultTlp,
      Set<String> readers,
      Set<String> writers) {}

  /**
   * A peer configured on {@code node}, standing for {@code remoteNode}'s organisation: pulls {@code
   * remoteAlias} of the remote into {@code localAlias}, pushes {@code publish} into {@code
   * remoteAlias}.
   */
  record PeerSpec(
      String node,
      String name,
      String remoteNode,
      String remoteAlias,
      Direction direction,
      String localAlias,
      List<String> publish,
      Tlp ceiling) {}

  /** One object version as injected: {@code marked} null means unmarked. */
  record Version(String id, String modified, Tlp marked, String origin, int serial) {
    String key() {
      return id + " " + modified;
    }
  }

  /** A version as a node holds it in one collection. */
  record Held(Version version, Tlp tlp, boolean federated, String cameFrom) {}

  /** A (node, collection, reader organisation) whose visible set a test checks. */
  record ReaderCheck(String node, String alias, String readerNode) {}

  final String name;
  final List<String> nodes;
  final Map<String, Map<String, Coll>> collections = new LinkedHashMap<>();
  final List<PeerSpec> peers = new ArrayList<>();
  final Map<String, Map<String, List<Version>>> injected = new LinkedHashMap<>();
  final List<ReaderCheck> readerChecks = new ArrayList<>();
  final Map<String, Version> versions = new LinkedHashMap<>();

  /**
   * Filled by {@link #expected()}: unmarked versions that arrive less restricted than their sender
   * held them (the receiving collection's default is lower), by "sender/collection -> receiver/
   * collection LEVEL -> LEVEL". The policy as written allows it; the test reports it.
   */
  final Map<String, Integer> loweredByDefault = new LinkedHashMap<>();

  FederationWorld(String name, String... nodes) {
    this.name = name;
    this.nodes = List.of(nodes);
    for (String n : nodes) {
      collections.put(n, new LinkedHashMap<>());
      injected.put(n, new LinkedHashMap<>());
    }
  }

  static String org(String node) {
    return "nation-" + node;
  }

  /** The user a node's peers log in as at {@code onNode}: it belongs to {@code fromNode}'s org. */
  static String peerUser(String fromNode) {
    return "from-" + fromNode;
  }

  static String peerPassword(String fromNode, String onNode) {
    return "pw-" + fromNode + "-at-" + onNode + "-federation";
  }

  /**
   * Adds a collection; the home organisation always reads and writes it, {@code readers} and {@code
   * writers} are other nodes whose organisations get an organisation grant.
   */
  FederationWorld collection(
      String node, String alias, Tlp defaultTlp, Set<String> readers, Set<String> writers) {
    Set<String> r = new LinkedHashSet<>();
    r.add(org(node));
    readers.forEach(x -> r.add(org(x)));
    Set<String> w = new LinkedHashSet<>();
    w.add(org(node));
    writers.forEach(x -> w.add(org(x)));
    String id = UUID.nameUUIDFromBytes((name + "/" + node + "/" + alias).getBytes()).toString();
    collections.get(node).put(alias, new Coll(node, alias, id, defaultTlp, r, w));
    return this;
  }

  FederationWorld peer(
      String node,
      String name,
      String remoteNode,
      String remoteAlias,
      Direction direction,
      String localAlias,
      List<String> publish,
      Tlp ceiling) {
    peers.add(
        new PeerSpec(node, name, remoteNode, remoteAlias, direction, localAlias, publish, ceiling));
    return this;
  }

  FederationWorld readerCheck(String node, String alias, String readerNode) {
    readerChecks.add(new ReaderCheck(node, alias, readerNode));
    return this;
  }

  Coll coll(String node, String alias) {
    Coll c = collections.get(node).get(alias);
    if (c == null) {
      throw new IllegalArgumentException("no collection " + alias + " on " + node);
    }
    return c;
  }

  /**
   * Makes {@code count} object versions published by {@code node} in {@code alias}: about one
   * object in ten gets a second version (each version with its own TLP); TLPs are mixed: CLEAR,
   * GREEN, AMBER, AMBER+STRICT, RED and unmarked.
   */
  FederationWorld inject(String node, String alias, int count, Random random) {
    coll(node, alias);
    List<Version> list = injected.get(node).computeIfAbsent(alias, a -> new ArrayList<>());
    int made = 0;
    while (made < count) {
      String id = "indicator--" + uuid4(random);
      int nVersions = made + 1 < count && random.nextInt(10) == 0 ? 2 : 1;
      for (int v = 0; v < nVersions; v++) {
        String modified = v == 0 ? "2026-11-01T08:00:00.000Z" : "2026-11-02T09:30:00.000Z";
        Version version = new Version(id, modified, randomTlp(random), node, versions.size());
        list.add(version);
        versions.put(version.key(), version);
        made++;
      }
    }
    return this;
  }

  private static UUID uuid4(Random random) {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  private static Tlp randomTlp(Random random) {
    int p = random.nextInt(100);
    if (p < 20) {
      return Tlp.CLEAR;
    } else if (p < 45) {
      return Tlp.GREEN;
    } else if (p < 65) {
      return Tlp.AMBER;
    } else if (p < 75) {
      return Tlp.AMBER_STRICT;
    } else if (p < 85) {
      return Tlp.RED;
    }
    return null; // unmarked: the collection's default
  }

  static String marking(Tlp tlp) {
    return switch (tlp) {
      case CLEAR -> TlpMarkings.TLP2_CLEAR;
      case GREEN -> TlpMarkings.TLP2_GREEN;
      case AMBER -> TlpMarkings.TLP2_AMBER;
      case AMBER_STRICT -> TlpMarkings.TLP2_AMBER_STRICT;
      case RED -> TlpMarkings.TLP2_RED;
    };
  }

  /** The STIX JSON of a version. */
  static String json(Version v) {
    int n = v.serial();
    String ip = "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
    String marking =
        v.marked() == null ? "" : ",\"object_marking_refs\":[\"" + marking(v.marked()) + "\"]";
    return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\""
        + v.id()
        + "\",\"created\":\"2026-11-01T08:00:00.000Z\",\"modified\":\""
        + v.modified()
        + "\",\"name\":\"federation test "
        + v.origin()
        + " "
        + n
        + "\",\"indicator_types\":[\"malicious-activity\"],\"pattern\":\"[ipv4-addr:value = '"
        + ip
        + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-01T08:00:00Z\""
        + marking
        + "}";
  }

  // ---- the policy model --------------------------------------------------------------------

  /** node -> collection alias -> version key -> what the node holds there. */
  Map<String, Map<String, Map<String, Held>>> expected() {
    Map<String, Map<String, Map<String, Held>>> state = new LinkedHashMap<>();
    loweredByDefault.clear();
    for (String n : nodes) {
      Map<String, Map<String, Held>> byColl = new LinkedHashMap<>();
      for (String alias : collections.get(n).keySet()) {
        byColl.put(alias, new LinkedHashMap<>());
      }
      state.put(n, byColl);
      injected
          .get(n)
          .forEach(
              (alias, list) -> {
                Coll c = coll(n, alias);
                for (Version v : list) {
                  Tlp tlp = v.marked() != null ? v.marked() : c.defaultTlp();
                  byColl.get(alias).put(v.key(), new Held(v, tlp, false, null));
                }
              });
    }
    boolean changed = true;
    int rounds = 0;
    while (changed) {
      changed = false;
      if (++rounds > 100) {
        throw new IllegalStateException("the model does not converge: " + name);
      }
      for (PeerSpec p : peers) {
        if (p.direction().pulls()) {
          changed |=
              flow(
                  state,
                  p.remoteNode(),
                  p.remoteAlias(),
                  p.node(),
                  p.localAlias(),
                  p.ceiling(),
                  true);
        }
        if (p.direction().pushes()) {
          for (String alias : p.publish()) {
            changed |=
                flow(state, p.node(), alias, p.remoteNode(), p.remoteAlias(), p.ceiling(), false);
          }
        }
      }
    }
    return state;
  }

  /** What a collection shows a reader of another organisation holding an organisation grant. */
  static boolean visibleToOtherOrganisation(Held h) {
    if (h.tlp() == Tlp.RED) {
      return false;
    }
    return !(h.federated() && (h.tlp() == Tlp.AMBER || h.tlp() == Tlp.AMBER_STRICT));
  }

  /** Whether {@code h} may leave its node at all (to any peer, before grants and ceilings). */
  static boolean forwardable(Held h) {
    return visibleToOtherOrganisation(h);
  }

  private boolean flow(
      Map<String, Map<String, Map<String, Held>>> state,
      String src,
      String srcAlias,
      String dst,
      String dstAlias,
      Tlp ceiling,
      boolean pulled) {
    Coll from = coll(src, srcAlias);
    Coll to = coll(dst, dstAlias);
    if (!from.readers().contains(org(dst))) {
      return false;
    }
    boolean changed = false;
    Map<String, Held> target = state.get(dst).get(dstAlias);
    for (Held h : new ArrayList<>(state.get(src).get(srcAlias).values())) {
      if (!forwardable(h) || dst.equals(h.cameFrom())) {
        continue;
      }
      Version v = h.version();
      // Unmarked versions are received as AMBER: the sender's collection default is unknown there.
      Tlp arriving = v.marked() != null ? v.marked() : Tlp.AMBER;
      // The ceiling is the pusher's filter on its own level, or the puller's on what it would
      // store.
      Tlp checked = pulled ? arriving : h.tlp();
      if (arriving == Tlp.RED || (ceiling != null && checked.isMoreRestrictiveThan(ceiling))) {
        continue;
      }
      if (holds(state.get(dst), v.key())) {
        continue;
      }
      if (v.marked() == null && h.tlp().isMoreRestrictiveThan(arriving)) {
        loweredByDefault.merge(
            src
                + "/"
                + srcAlias
                + " -> "
                + dst
                + "/"
                + dstAlias
                + " "
                + h.tlp().label()
                + " -> "
                + arriving.label(),
            1,
            Integer::sum);
      }
      target.put(v.key(), new Held(v, arriving, true, src));
      changed = true;
    }
    return changed;
  }

  private static boolean holds(Map<String, Map<String, Held>> node, String key) {
    for (Map<String, Held> c : node.values()) {
      if (c.containsKey(key)) {
        return true;
      }
    }
    return false;
  }

  int injectedCount() {
    return versions.size();
  }
}
