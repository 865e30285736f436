package org.entente.detect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.entente.stix.pattern.ComparisonExpression;
import org.entente.stix.pattern.Constant;
import org.entente.stix.pattern.IpBlock;
import org.entente.stix.pattern.ObservationExpression;
import org.entente.stix.pattern.Operator;
import org.entente.stix.pattern.Qualifier;
import org.entente.stix.pattern.StixPattern;

/**
 * Decomposes a pattern into anchors: indexable comparisons such that an observation that matches
 * the pattern must hit at least one of them. A null anchor list means "unanchorable" (the pattern
 * goes to the scan list); an empty list means the pattern can never match.
 */
final class PatternAnchors {
  private PatternAnchors() {}

  /** An indexable comparison: a hash key or a CIDR block on a path. */
  sealed interface Anchor {
    ValuePath path();
  }

  /** {@code path = value} with the value in canonical form (see {@link ValuePath.LeafSink}). */
  record Key(ValuePath path, char tag, String value) implements Anchor {}

  /** A canonical constant: the tag and text that {@link ValuePath} gives an equal leaf. */
  record Leaf(char tag, String value) {}

  /** {@code path ISSUBSET block}. */
  record Subnet(ValuePath path, IpBlock block) implements Anchor {}

  /**
   * What the index stores for one pattern.
   *
   * @param anchors null when the pattern must be scanned
   * @param multi true when the pattern spans more than one observation
   * @param window the top-level WITHIN, or null
   */
  record Plan(List<Anchor> anchors, boolean multi, Duration window) {}

  static Plan plan(StixPattern pattern) {
    ObservationExpression root = pattern.expression();
    Duration window = null;
    ObservationExpression inner = root;
    while (inner instanceof ObservationExpression.Qualified q) {
      if (q.qualifier() instanceof Qualifier.Within w) {
        Duration d = seconds(w.seconds());
        window = window == null || d.compareTo(window) < 0 ? d : window;
      }
      inner = q.expression();
    }
    boolean multi = !(inner instanceof ObservationExpression.Observation) || repeats(root);
    return new Plan(observationAnchors(root), multi, window);
  }

  private static boolean repeats(ObservationExpression e) {
    for (; e instanceof ObservationExpression.Qualified q; e = q.expression()) {
      if (q.qualifier() instanceof Qualifier.Repeats r && r.times() > 1) {
        return true;
      }
    }
    return false;
  }

  private static Duration seconds(BigDecimal s) {
    BigDecimal nanos = s.movePointRight(9).setScale(0, RoundingMode.CEILING);
    // Windows beyond ~146 years are as good as unbounded.
    return nanos.toBigInteger().bitLength() > 62
        ? Duration.ofNanos(Long.MAX_VALUE)
        : Duration.ofNanos(nanos.longValue());
  }

  /**
   * Every sub-observation's anchors: an observation that matches any one of them is relevant to the
   * pattern (it may be one part of a compound match), so all are registered.
   */
  private static List<Anchor> observationAnchors(ObservationExpression e) {
    if (e instanceof ObservationExpression.Observation o) {
      return anchors(o.comparison());
    }
    if (e instanceof ObservationExpression.Qualified q) {
      return observationAnchors(q.expression());
    }
    ObservationExpression left;
    ObservationExpression right;
    if (e instanceof ObservationExpression.And a) {
      left = a.left();
      right = a.right();
    } else if (e instanceof ObservationExpression.Or o) {
      left = o.left();
      right = o.right();
    } else {
      ObservationExpression.FollowedBy f = (ObservationExpression.FollowedBy) e;
      left = f.left();
      right = f.right();
    }
    return union(observationAnchors(left), observationAnchors(right));
  }

  static List<Anchor> anchors(ComparisonExpression c) {
    if (c instanceof ComparisonExpression.And a) {
      List<Anchor> l = anchors(a.left());
      List<Anchor> r = anchors(a.right());
      if (l == null) {
        return r;
      }
      if (r == null) {
        return l;
      }
      // Either side alone is a sound filter; keep the one with fewer, narrower anchors.
      return cost(r) < cost(l) ? r : l;
    }
    if (c instanceof ComparisonExpression.Or o) {
      return union(anchors(o.left()), anchors(o.right()));
    }
    if (c instanceof ComparisonExpression.Comparison cmp && !cmp.negated()) {
      ValuePath path = ValuePath.of(cmp.path());
      if (cmp.operator() == Operator.EQ) {
        Leaf v = canonical(path, cmp.value());
        return v == null ? null : List.of(new Key(path, v.tag(), v.value()));
      }
      if (cmp.operator() == Operator.IN && cmp.value() instanceof Constant.Set set) {
        List<Anchor> out = new ArrayList<>(set.members().size());
        for (Constant m : set.members()) {
          Leaf v = canonical(path, m);
          if (v == null) {
            return null;
          }
          out.add(new Key(path, v.tag(), v.value()));
        }
        return out;
      }
      if (cmp.operator() == Operator.ISSUBSET && cmp.value() instanceof Constant.Str s) {
        IpBlock block = IpBlock.parse(s.value());
        // An invalid CIDR constant makes the comparison false: nothing to index, nothing matches.
        return block == null ? List.of() : List.of(new Subnet(path, block));
      }
    }
    return null;
  }

  private static List<Anchor> union(List<Anchor> l, List<Anchor> r) {
    if (l == null || r == null) {
      return null;
    }
    List<Anchor> out = new ArrayList<>(l.size() + r.size());
    out.addAll(l);
    out.addAll(r);
    return out;
  }

  /** Estimated candidates: a key is about one indicator; a wide block catches a lot of traffic. */
  private static long cost(List<Anchor> anchors) {
    long cost = 0;
    for (Anchor a : anchors) {
      if (a instanceof Subnet s) {
        // Blocks longer than a typical host allocation (/24, /64) are as narrow as a key.
        int wide = (s.block().v6() ? 64 : 24) - s.block().length();
        cost += wide <= 0 ? 1 : 1L << Math.min(30, wide);
      } else {
        cost++;
      }
    }
    return cost;
  }

  /**
   * The canonical form of a constant on {@code path}, matching {@link ValuePath}'s leaf forms, or
   * null when equality would need a coercion the index does not model (timestamps, strings against
   * octets beyond Latin-1, octets against strings): such tests are scanned.
   */
  static Leaf canonical(ValuePath path, Constant c) {
    if (c instanceof Constant.Str s) {
      if (path.bytes()) {
        boolean latin1 = s.value().chars().allMatch(ch -> ch < 0x100);
        return latin1
            ? new Leaf(
                'x', HexFormat.of().formatHex(s.value().getBytes(StandardCharsets.ISO_8859_1)))
            : null;
      }
      return new Leaf('s', path.hash() ? s.value().toLowerCase(Locale.ROOT) : s.value());
    }
    if (c instanceof Constant.Int i) {
      return new Leaf('n', ValuePath.number(BigDecimal.valueOf(i.value())));
    }
    if (c instanceof Constant.Float f) {
      return new Leaf('n', ValuePath.number(f.value()));
    }
    if (c instanceof Constant.Bool b) {
      return new Leaf('b', String.valueOf(b.value()));
    }
    if (path.bytes() && c instanceof Constant.Binary b) {
      return new Leaf('x', HexFormat.of().formatHex(b.bytes()));
    }
    if (path.bytes() && c instanceof Constant.Hex h) {
      return new Leaf('x', h.hex().toLowerCase(Locale.ROOT));
    }
    return null;
  }
}
