package org.entente.stix.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.entente.stix.StixTimestamp;

/**
 * Evaluates a parsed STIX 2.1 pattern against {@code observed-data} objects (section 9 semantics).
 *
 * <p>Observations: each observed-data stands for {@code number_observed} instances, each at some
 * time in [first_observed, last_observed]; observation-level AND, FOLLOWEDBY and REPEATS need
 * distinct instances (as cti-pattern-matcher counts them). FOLLOWEDBY holds when the latest
 * first_observed on the left is at or before the earliest last_observed on the right. WITHIN x
 * holds when the latest first_observed is strictly earlier than the earliest last_observed plus x
 * (the spec's "earlier than", so a gap of exactly x does not match). START/STOP holds when each
 * observation's interval meets [start, stop).
 *
 * <p>MATCHES uses {@link java.util.regex.Pattern} with DOTALL and find() (search semantics), not
 * PCRE: possessive and atomic groups agree, but PCRE-only syntax ({@code (?P<n>…)}, {@code \K},
 * recursion, callouts, {@code \h} meaning differs) is rejected at parse time or behaves as Java
 * defines it, and Java's {@code \w}/{@code \d} stay ASCII unless the pattern says {@code (?U)}. On
 * {@code _bin}/{@code _hex} properties the regex runs over the octets as Latin-1 characters.
 *
 * <p>A NOT before an operator negates the test for each value the path reaches (so {@code NOT =}
 * means the same as {@code !=}); a path that reaches nothing makes the test false either way. To
 * keep evaluation bounded, an observed-data counts at most {@value #MAX_INSTANCES} instances and
 * each sub-expression keeps at most {@value #MAX_BINDINGS} alternative bindings.
 */
public final class PatternMatcher {
  static final int MAX_INSTANCES = 64;
  static final int MAX_BINDINGS = 4096;

  /** Whether the pattern matched, and the ids of the observed-data used by some match. */
  public record Result(boolean matched, List<String> observedDataIds) {
    public Result {
      observedDataIds = List.copyOf(observedDataIds);
    }
  }

  private record Obs(
      String id,
      Instant first,
      Instant last,
      int instances,
      List<JsonNode> roots,
      Map<String, JsonNode> byRef) {}

  /** A set of observation instances that together satisfy a sub-expression. */
  private record Binding(BitSet instances, Instant maxFirst, Instant minLast, BitSet obs) {}

  private final List<Obs> observations = new ArrayList<>();
  private final int[] instanceBase;

  private PatternMatcher(List<JsonNode> objects) {
    Map<String, JsonNode> scos = new HashMap<>();
    for (JsonNode o : objects) {
      if (o.hasNonNull("id") && !"observed-data".equals(o.path("type").asText())) {
        scos.put(o.get("id").asText(), o);
      }
    }
    for (JsonNode o : objects) {
      if ("observed-data".equals(o.path("type").asText())) {
        Obs ob = observation(o, scos);
        if (ob != null) {
          observations.add(ob);
        }
      }
    }
    instanceBase = new int[observations.size() + 1];
    for (int k = 0; k < observations.size(); k++) {
      instanceBase[k + 1] = instanceBase[k] + observations.get(k).instances();
    }
  }

  /**
   * Matches a pattern against observed-data objects; the SCOs their {@code object_refs} name go in
   * the same list (other objects are ignored).
   */
  public static Result match(StixPattern pattern, List<JsonNode> objects) {
    PatternMatcher m = new PatternMatcher(objects);
    List<Binding> bindings = m.eval(pattern.expression());
    Set<String> ids = new LinkedHashSet<>();
    BitSet used = new BitSet();
    for (Binding b : bindings) {
      used.or(b.obs());
    }
    for (int k = used.nextSetBit(0); k >= 0; k = used.nextSetBit(k + 1)) {
      ids.add(m.observations.get(k).id());
    }
    return new Result(!bindings.isEmpty(), new ArrayList<>(ids));
  }

  /** Parses and matches; a pattern that does not parse matches nothing, as the spec requires. */
  public static Result match(String pattern, List<JsonNode> objects) {
    try {
      return match(StixPattern.parse(pattern), objects);
    } catch (PatternSyntaxException e) {
      return new Result(false, List.of());
    }
  }

  private static Obs observation(JsonNode o, Map<String, JsonNode> scos) {
    Instant first;
    Instant last;
    try {
      first = StixTimestamp.parse(o.path("first_observed").asText(null)).instant();
      last = StixTimestamp.parse(o.path("last_observed").asText(null)).instant();
    } catch (IllegalArgumentException e) {
      return null;
    }
    int n = Math.max(1, Math.min(MAX_INSTANCES, o.path("number_observed").asInt(1)));
    List<JsonNode> roots = new ArrayList<>();
    Map<String, JsonNode> byRef = new HashMap<>();
    if (o.path("objects").isObject()) {
      // Deprecated form: references are the dictionary keys of the same observation.
      for (Iterator<Map.Entry<String, JsonNode>> it = o.get("objects").fields(); it.hasNext(); ) {
        var e = it.next();
        roots.add(e.getValue());
        byRef.put(e.getKey(), e.getValue());
      }
    } else {
      for (JsonNode ref : o.path("object_refs")) {
        JsonNode sco = scos.get(ref.asText());
        if (sco != null) {
          roots.add(sco);
          byRef.put(ref.asText(), sco);
        }
      }
    }
    return new Obs(o.path("id").asText(), first, last, n, roots, byRef);
  }

  // ---- observation expressions ----

  private List<Binding> eval(ObservationExpression e) {
    if (e instanceof ObservationExpression.Observation o) {
      List<Binding> out = new ArrayList<>();
      for (int k = 0; k < observations.size(); k++) {
        Obs ob = observations.get(k);
        if (matches(o.comparison(), ob)) {
          for (int n = 0; n < ob.instances() && out.size() < MAX_BINDINGS; n++) {
            BitSet inst = new BitSet();
            inst.set(instanceBase[k] + n);
            BitSet obs = new BitSet();
            obs.set(k);
            out.add(new Binding(inst, ob.first(), ob.last(), obs));
          }
        }
      }
      return out;
    }
    if (e instanceof ObservationExpression.Or or) {
      List<Binding> out = new ArrayList<>(eval(or.left()));
      out.addAll(eval(or.right()));
      return cap(out);
    }
    if (e instanceof ObservationExpression.And and) {
      return join(eval(and.left()), eval(and.right()), false);
    }
    if (e instanceof ObservationExpression.FollowedBy fb) {
      return join(eval(fb.left()), eval(fb.right()), true);
    }
    ObservationExpression.Qualified q = (ObservationExpression.Qualified) e;
    List<Binding> inner = eval(q.expression());
    Qualifier qual = q.qualifier();
    if (qual instanceof Qualifier.Repeats r) {
      return repeats(inner, r.times());
    }
    List<Binding> out = new ArrayList<>();
    for (Binding b : inner) {
      if (qual instanceof Qualifier.Within w
          ? within(b, w)
          : startStop(b, (Qualifier.StartStop) qual)) {
        out.add(b);
      }
    }
    return out;
  }

  private static List<Binding> cap(List<Binding> l) {
    return l.size() > MAX_BINDINGS ? new ArrayList<>(l.subList(0, MAX_BINDINGS)) : l;
  }

  private List<Binding> join(List<Binding> left, List<Binding> right, boolean ordered) {
    List<Binding> out = new ArrayList<>();
    for (Binding a : left) {
      for (Binding b : right) {
        if (a.instances().intersects(b.instances())) {
          continue;
        }
        if (ordered && a.maxFirst().isAfter(b.minLast())) {
          continue;
        }
        out.add(union(a, b));
        if (out.size() >= MAX_BINDINGS) {
          return out;
        }
      }
    }
    return out;
  }

  private static Binding union(Binding a, Binding b) {
    BitSet inst = (BitSet) a.instances().clone();
    inst.or(b.instances());
    BitSet obs = (BitSet) a.obs().clone();
    obs.or(b.obs());
    Instant maxFirst = a.maxFirst().isAfter(b.maxFirst()) ? a.maxFirst() : b.maxFirst();
    Instant minLast = a.minLast().isBefore(b.minLast()) ? a.minLast() : b.minLast();
    return new Binding(inst, maxFirst, minLast, obs);
  }

  /** n pairwise-disjoint bindings of the unit, as {@code a AND a AND …} (n copies). */
  private List<Binding> repeats(List<Binding> unit, long times) {
    List<Binding> out = new ArrayList<>();
    if (times > unit.size()) {
      return out;
    }
    choose(unit, 0, (int) times, null, out);
    return out;
  }

  private void choose(List<Binding> unit, int from, int left, Binding acc, List<Binding> out) {
    if (left == 0) {
      out.add(acc);
      return;
    }
    for (int k = from; k <= unit.size() - left && out.size() < MAX_BINDINGS; k++) {
      Binding b = unit.get(k);
      if (acc != null && acc.instances().intersects(b.instances())) {
        continue;
      }
      choose(unit, k + 1, left - 1, acc == null ? b : union(acc, b), out);
    }
  }

  private static boolean within(Binding b, Qualifier.Within w) {
    // Nanosecond arithmetic: WITHIN may be fractional.
    BigDecimal nanos = w.seconds().movePointRight(9);
    Duration window = Duration.ofNanos(nanos.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue());
    Instant limit = b.minLast().plus(window);
    return b.maxFirst().isBefore(limit);
  }

  private boolean startStop(Binding b, Qualifier.StartStop ss) {
    for (int k = b.obs().nextSetBit(0); k >= 0; k = b.obs().nextSetBit(k + 1)) {
      Obs o = observations.get(k);
      if (o.last().isBefore(ss.start().instant()) || !o.first().isBefore(ss.stop().instant())) {
        return false;
      }
    }
    return true;
  }

  // ---- comparison expressions: some object of the observation satisfies all of it ----

  private boolean matches(ComparisonExpression c, Obs ob) {
    for (JsonNode root : ob.roots()) {
      if (test(c, root, ob)) {
        return true;
      }
    }
    return false;
  }

  private boolean test(ComparisonExpression c, JsonNode root, Obs ob) {
    if (c instanceof ComparisonExpression.And a) {
      return test(a.left(), root, ob) && test(a.right(), root, ob);
    }
    if (c instanceof ComparisonExpression.Or o) {
      return test(o.left(), root, ob) || test(o.right(), root, ob);
    }
    if (c instanceof ComparisonExpression.Exists ex) {
      if (!ex.path().objectType().equals(root.path("type").asText())) {
        return false;
      }
      boolean present = !resolve(ex.path(), root, ob).isEmpty();
      return ex.negated() != present;
    }
    ComparisonExpression.Comparison cmp = (ComparisonExpression.Comparison) c;
    if (!cmp.path().objectType().equals(root.path("type").asText())) {
      return false;
    }
    String last = lastKey(cmp.path());
    for (JsonNode v : resolve(cmp.path(), root, ob)) {
      if (cmp.negated() != Values.test(v, last, cmp.operator(), cmp.value())) {
        return true;
      }
    }
    return false;
  }

  private static String lastKey(ObjectPath p) {
    String last = "";
    for (ObjectPath.Step s : p.steps()) {
      if (s instanceof ObjectPath.Key k) {
        last = k.name();
      }
    }
    return last;
  }

  /** Every value the path reaches ([*] fans out); references are followed inside {@code ob}. */
  private List<JsonNode> resolve(ObjectPath path, JsonNode root, Obs ob) {
    List<JsonNode> current = List.of(root);
    String lastKey = "";
    List<ObjectPath.Step> steps = path.steps();
    for (int s = 0; s < steps.size(); s++) {
      ObjectPath.Step step = steps.get(s);
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : current) {
        if (lastKey.endsWith("_ref") || lastKey.endsWith("_refs")) {
          if (n.isTextual() && step instanceof ObjectPath.Key) {
            n = ob.byRef().get(n.asText());
            if (n == null) {
              continue;
            }
          }
        }
        if (step instanceof ObjectPath.Key k) {
          JsonNode v = n.isObject() ? n.get(k.name()) : null;
          if (v != null && !v.isNull()) {
            next.add(v);
          }
        } else if (step instanceof ObjectPath.Index ix) {
          if (n.isArray() && ix.index() >= 0 && ix.index() < n.size()) {
            next.add(n.get((int) ix.index()));
          }
        } else if (n.isArray()) {
          n.forEach(next::add);
        }
      }
      if (step instanceof ObjectPath.Key k) {
        lastKey = k.name();
      }
      current = next;
    }
    return current;
  }

  /** Comparisons of one JSON value with one constant; incompatible types are simply false. */
  static final class Values {
    private Values() {}

    static boolean test(JsonNode v, String prop, Operator op, Constant c) {
      switch (op) {
        case EQ:
          return compare(v, prop, c).map(r -> r == 0).orElse(false);
        case NEQ:
          return compare(v, prop, c).map(r -> r != 0).orElse(true);
        case LT:
          return compare(v, prop, c).map(r -> r < 0).orElse(false);
        case LE:
          return compare(v, prop, c).map(r -> r <= 0).orElse(false);
        case GT:
          return compare(v, prop, c).map(r -> r > 0).orElse(false);
        case GE:
          return compare(v, prop, c).map(r -> r >= 0).orElse(false);
        case IN:
          for (Constant m : ((Constant.Set) c).members()) {
            if (compare(v, prop, m).map(r -> r == 0).orElse(false)) {
              return true;
            }
          }
          return false;
        case LIKE:
          return v.isTextual() && like(v.asText(), ((Constant.Str) c).value());
        case MATCHES:
          return regex(v, prop, ((Constant.Str) c).value());
        case ISSUBSET:
        case ISSUPERSET:
          if (!v.isTextual()) {
            return false;
          }
          IpBlock a = IpBlock.parse(v.asText());
          IpBlock b = IpBlock.parse(((Constant.Str) c).value());
          if (a == null || b == null) {
            return false;
          }
          return op == Operator.ISSUBSET ? b.contains(a) : a.contains(b);
        default:
          return false;
      }
    }

    private static boolean isBinaryProp(String prop) {
      return prop.endsWith("_bin") || prop.endsWith("_hex");
    }

    /** The octets of a property value, or null when it is not valid for its kind. */
    private static byte[] octets(JsonNode v, String prop) {
      if (!v.isTextual()) {
        return null;
      }
      try {
        if (prop.endsWith("_bin")) {
          return Base64.getDecoder().decode(v.asText());
        }
        if (prop.endsWith("_hex")) {
          return HexFormat.of().parseHex(v.asText());
        }
      } catch (IllegalArgumentException e) {
        return null;
      }
      return latin1(v.asText());
    }

    /** A string as octets when every code point is below U+0100, else null. */
    private static byte[] latin1(String s) {
      for (int k = 0; k < s.length(); k++) {
        if (s.charAt(k) > 0xFF) {
          return null;
        }
      }
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Optional<Integer> compare(JsonNode v, String prop, Constant c) {
      if (c instanceof Constant.Bool b) {
        return v.isBoolean()
            ? Optional.of(Boolean.compare(v.asBoolean(), b.value()))
            : Optional.empty();
      }
      if (c instanceof Constant.Int || c instanceof Constant.Float) {
        if (!v.isNumber()) {
          return Optional.empty();
        }
        BigDecimal k =
            c instanceof Constant.Int i
                ? BigDecimal.valueOf(i.value())
                : ((Constant.Float) c).value();
        return Optional.of(v.decimalValue().compareTo(k));
      }
      if (c instanceof Constant.Timestamp t) {
        if (!v.isTextual()) {
          return Optional.empty();
        }
        try {
          return Optional.of(StixTimestamp.parse(v.asText()).instant().compareTo(t.instant()));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
      if (c instanceof Constant.Str s) {
        if (!v.isTextual()) {
          return Optional.empty();
        }
        if (isBinaryProp(prop)) {
          byte[] a = octets(v, prop);
          byte[] b = latin1(s.value());
          return a == null || b == null ? Optional.empty() : Optional.of(unsigned(a, b));
        }
        return Optional.of(codePoints(v.asText(), s.value()));
      }
      if (c instanceof Constant.Binary || c instanceof Constant.Hex) {
        byte[] b = c instanceof Constant.Binary bin ? bin.bytes() : ((Constant.Hex) c).bytes();
        byte[] a = octets(v, prop);
        return a == null ? Optional.empty() : Optional.of(unsigned(a, b));
      }
      return Optional.empty();
    }

    private static int unsigned(byte[] a, byte[] b) {
      int c = java.util.Arrays.compareUnsigned(a, b);
      return Integer.signum(c);
    }

    private static int codePoints(String a, String b) {
      int i = 0;
      int j = 0;
      while (i < a.length() && j < b.length()) {
        int x = a.codePointAt(i);
        int y = b.codePointAt(j);
        if (x != y) {
          return x < y ? -1 : 1;
        }
        i += Character.charCount(x);
        j += Character.charCount(y);
      }
      return Integer.compare(a.length() - i, b.length() - j) == 0 ? 0 : (i < a.length() ? 1 : -1);
    }

    static boolean like(String value, String pattern) {
      String v = Normalizer.normalize(value, Normalizer.Form.NFC);
      String p = Normalizer.normalize(pattern, Normalizer.Form.NFC);
      StringBuilder re = new StringBuilder();
      StringBuilder lit = new StringBuilder();
      p.codePoints()
          .forEach(
              cp -> {
                if (cp == '%' || cp == '_') {
                  if (lit.length() > 0) {
                    re.append(java.util.regex.Pattern.quote(lit.toString()));
                    lit.setLength(0);
                  }
                  re.append(cp == '%' ? ".*" : ".");
                } else {
                  lit.appendCodePoint(cp);
                }
              });
      if (lit.length() > 0) {
        re.append(java.util.regex.Pattern.quote(lit.toString()));
      }
      return java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.DOTALL)
          .matcher(v)
          .matches();
    }

    private static boolean regex(JsonNode v, String prop, String re) {
      if (!v.isTextual()) {
        return false;
      }
      String subject;
      if (isBinaryProp(prop)) {
        byte[] b = octets(v, prop);
        if (b == null) {
          return false;
        }
        subject = new String(b, StandardCharsets.ISO_8859_1);
      } else {
        subject = Normalizer.normalize(v.asText(), Normalizer.Form.NFC);
      }
      return java.util.regex.Pattern.compile(re, java.util.regex.Pattern.DOTALL)
          .matcher(subject)
          .find();
    }
  }
}
