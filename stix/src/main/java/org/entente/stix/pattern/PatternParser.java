package org.entente.stix.pattern;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.entente.stix.StixTimestamp;
import org.entente.stix.pattern.Lexer.Kind;
import org.entente.stix.pattern.Lexer.Token;

/** Recursive-descent parser over the tokens of one pattern; one instance per parse. */
final class PatternParser {
  // Section 9.1 via cti-stix-validator: SCO type names and (first) property names.
  private static final Pattern TYPE_NAME = Pattern.compile("^-?[a-z0-9]+(-[a-z0-9]+)*-?$");
  private static final Pattern PROPERTY_NAME = Pattern.compile("^[a-z0-9_]{3,250}$");
  private static final Pattern HEX = Pattern.compile("(?:[0-9A-Fa-f]{2})*");
  private static final Pattern BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
  private final String src;
  private final List<Token> tokens;
  private int i;

  PatternParser(String src) {
    this.src = src;
    this.tokens = Lexer.tokenize(src);
  }

  ObservationExpression parse() {
    if (peek().kind() == Kind.EOF) {
      throw error(peek(), "expected '[' or '(' but found end of pattern (empty pattern)");
    }
    ObservationExpression e = followedBy();
    expect(Kind.EOF, "AND, OR, FOLLOWEDBY or a qualifier");
    return e;
  }

  // ---- observation level ----

  private ObservationExpression followedBy() {
    ObservationExpression left = obsOr();
    while (accept(Kind.FOLLOWEDBY)) {
      left = new ObservationExpression.FollowedBy(left, obsOr());
    }
    return left;
  }

  private ObservationExpression obsOr() {
    ObservationExpression left = obsAnd();
    while (accept(Kind.OR)) {
      left = new ObservationExpression.Or(left, obsAnd());
    }
    return left;
  }

  private ObservationExpression obsAnd() {
    ObservationExpression left = obsUnit();
    while (accept(Kind.AND)) {
      left = new ObservationExpression.And(left, obsUnit());
    }
    return left;
  }

  private ObservationExpression obsUnit() {
    Token t = peek();
    ObservationExpression e;
    if (accept(Kind.LBRACK)) {
      if (peek().kind() == Kind.RBRACK) {
        throw error(peek(), "expected a comparison but found ']' (empty observation expression)");
      }
      ComparisonExpression c = cmpOr();
      expect(Kind.RBRACK, "']' or AND/OR");
      checkSameRootType(c, t);
      e = new ObservationExpression.Observation(c);
    } else if (accept(Kind.LPAREN)) {
      e = followedBy();
      expect(Kind.RPAREN, "')' or AND/OR/FOLLOWEDBY or a qualifier");
    } else {
      throw error(t, "expected '[' or '(' but found " + describe(t));
    }
    Set<Class<?>> seen = new HashSet<>();
    while (true) {
      Token q = peek();
      Qualifier qual;
      if (accept(Kind.WITHIN)) {
        qual = within();
      } else if (accept(Kind.START)) {
        qual = startStop();
      } else if (accept(Kind.REPEATS)) {
        qual = repeats();
      } else {
        return e;
      }
      if (!seen.add(qual.getClass())) {
        throw error(q, "duplicate qualifier type: " + q.text() + " already applies here");
      }
      e = new ObservationExpression.Qualified(e, qual);
    }
  }

  private Qualifier within() {
    Token n = next();
    if (n.kind() != Kind.INT && n.kind() != Kind.FLOAT) {
      throw error(n, "expected a positive number of seconds after WITHIN but found " + describe(n));
    }
    BigDecimal seconds = new BigDecimal(stripPlus(n.text()));
    if (seconds.signum() <= 0) {
      throw error(n, "WITHIN needs a positive number of seconds, not " + n.text());
    }
    expect(Kind.SECONDS, "SECONDS");
    return new Qualifier.Within(seconds);
  }

  private Qualifier startStop() {
    Constant.Timestamp start = timestamp(next(), "START");
    expect(Kind.STOP, "STOP");
    Token stopToken = peek();
    Constant.Timestamp stop = timestamp(next(), "STOP");
    if (!start.instant().isBefore(stop.instant())) {
      throw error(
          stopToken, "STOP " + stop.render() + " must be later than START " + start.render());
    }
    return new Qualifier.StartStop(start, stop);
  }

  private Qualifier repeats() {
    Token n = next();
    if (n.kind() != Kind.INT) {
      throw error(n, "expected a positive integer after REPEATS but found " + describe(n));
    }
    long times = integer(n);
    if (times <= 0) {
      throw error(n, "REPEATS needs a positive integer, not " + n.text());
    }
    expect(Kind.TIMES, "TIMES");
    return new Qualifier.Repeats(times);
  }

  // ---- comparison level ----

  private ComparisonExpression cmpOr() {
    ComparisonExpression left = cmpAnd();
    while (accept(Kind.OR)) {
      left = new ComparisonExpression.Or(left, cmpAnd());
    }
    return left;
  }

  private ComparisonExpression cmpAnd() {
    ComparisonExpression left = test();
    while (accept(Kind.AND)) {
      left = new ComparisonExpression.And(left, test());
    }
    return left;
  }

  private ComparisonExpression test() {
    Token t = peek();
    if (accept(Kind.LPAREN)) {
      ComparisonExpression c = cmpOr();
      expect(Kind.RPAREN, "')' or AND/OR");
      return c;
    }
    if (accept(Kind.EXISTS)) {
      return new ComparisonExpression.Exists(path(), false);
    }
    if (t.kind() == Kind.NOT && peek(1).kind() == Kind.EXISTS) {
      i += 2;
      return new ComparisonExpression.Exists(path(), true);
    }
    if (t.kind() != Kind.IDENT) {
      throw error(t, "expected an object path, EXISTS or '(' but found " + describe(t));
    }
    ObjectPath path = path();
    boolean negated = accept(Kind.NOT);
    Token op = next();
    Operator operator;
    Constant value;
    switch (op.kind()) {
      case EQ, NEQ -> {
        operator = op.kind() == Kind.EQ ? Operator.EQ : Operator.NEQ;
        value = primitive(next(), false);
      }
      case LT, LE, GT, GE -> {
        operator = Operator.valueOf(op.kind().name());
        value = primitive(next(), true);
      }
      case IN -> {
        operator = Operator.IN;
        value = set();
      }
      case LIKE, MATCHES, ISSUBSET, ISSUPERSET -> {
        operator = Operator.valueOf(op.kind().name());
        Token s = next();
        if (s.kind() != Kind.STRING) {
          throw error(s, "expected a string after " + op.text() + " but found " + describe(s));
        }
        value = new Constant.Str(s.value());
        checkStringOperand(operator, s);
      }
      default ->
          throw error(
              op,
              "expected "
                  + (negated ? "" : "NOT or ")
                  + "a comparison operator (= != < <= > >= IN LIKE MATCHES ISSUBSET ISSUPERSET)"
                  + " but found "
                  + describe(op));
    }
    return new ComparisonExpression.Comparison(path, negated, operator, value);
  }

  private ObjectPath path() {
    Token type = next();
    if (type.kind() != Kind.IDENT) {
      throw error(type, "expected an object type but found " + describe(type));
    }
    String name = type.text();
    if (!TYPE_NAME.matcher(name).matches() || name.length() < 3 || name.length() > 250) {
      throw error(
          type,
          "invalid object type '"
              + name
              + "': lowercase letters, digits and single hyphens, 3 to 250 characters");
    }
    expect(Kind.COLON, "':' after the object type");
    List<ObjectPath.Step> steps = new ArrayList<>();
    Token first = next();
    String property = key(first, "a property name");
    // "id" is the one spec-defined SCO property shorter than the 3-character minimum.
    if (!PROPERTY_NAME.matcher(property).matches() && !"id".equals(property)) {
      throw error(
          first,
          "invalid property name '"
              + property
              + "': lowercase letters, digits and '_', 3 to 250 characters");
    }
    steps.add(new ObjectPath.Key(property));
    while (true) {
      if (peek().kind() == Kind.DOT) {
        i++;
        steps.add(new ObjectPath.Key(key(next(), "a property name or key")));
      } else if (peek().kind() == Kind.FLOAT && peek().text().startsWith(".")) {
        // ".5" lexes as a float; as a path step it would be an unquoted key starting with a digit.
        throw error(peek(), "a key starting with a digit must be quoted, e.g. .'5'");
      } else if (peek().kind() == Kind.LBRACK) {
        i++;
        Token ix = next();
        if (ix.kind() == Kind.STAR) {
          steps.add(new ObjectPath.AnyIndex());
        } else if (ix.kind() == Kind.INT) {
          steps.add(new ObjectPath.Index(integer(ix)));
        } else {
          throw error(ix, "expected a list index or '*' but found " + describe(ix));
        }
        expect(Kind.RBRACK, "']' after the list index");
      } else {
        return new ObjectPath(name, steps);
      }
    }
  }

  private String key(Token t, String what) {
    if (t.kind() == Kind.STRING) {
      return t.value();
    }
    if (t.kind() == Kind.IDENT) {
      if (t.text().indexOf('-') >= 0) {
        throw error(t, "'" + t.text() + "' contains '-': quote it, e.g. '" + t.text() + "'");
      }
      return t.text();
    }
    throw error(t, "expected " + what + " but found " + describe(t));
  }

  private Constant set() {
    Token open = next();
    if (open.kind() != Kind.LPAREN) {
      throw error(open, "expected '(' after IN but found " + describe(open));
    }
    List<Constant> members = new ArrayList<>();
    if (!accept(Kind.RPAREN)) {
      do {
        Token m = next();
        Constant c = primitive(m, false);
        if (!members.isEmpty() && !sameSetType(members.get(0), c)) {
          throw error(m, "all members of an IN set must have the same type");
        }
        members.add(c);
      } while (accept(Kind.COMMA));
      expect(Kind.RPAREN, "',' or ')'");
    }
    return new Constant.Set(members);
  }

  private static boolean sameSetType(Constant a, Constant b) {
    boolean numA = a instanceof Constant.Int || a instanceof Constant.Float;
    boolean numB = b instanceof Constant.Int || b instanceof Constant.Float;
    return a.getClass() == b.getClass() || (numA && numB);
  }

  private Constant primitive(Token t, boolean orderable) {
    switch (t.kind()) {
      case STRING:
        return new Constant.Str(t.value());
      case INT:
        return new Constant.Int(integer(t));
      case FLOAT:
        return new Constant.Float(new BigDecimal(stripPlus(t.text())));
      case TRUE:
      case FALSE:
        if (orderable) {
          throw error(t, "booleans cannot be compared with < <= > >=");
        }
        return new Constant.Bool(t.kind() == Kind.TRUE);
      case TIMESTAMP:
        return timestamp(t, "comparison");
      case BINARY:
        if (t.value().isEmpty() || !BASE64.matcher(t.value()).matches()) {
          throw error(t, "invalid base64 in binary constant " + t.text());
        }
        return new Constant.Binary(t.value());
      case HEX:
        if (!HEX.matcher(t.value()).matches()) {
          throw error(t, "invalid hex constant " + t.text() + ": an even number of hex digits");
        }
        return new Constant.Hex(t.value());
      default:
        throw error(t, "expected a constant but found " + describe(t));
    }
  }

  private Constant.Timestamp timestamp(Token t, String after) {
    if (t.kind() != Kind.TIMESTAMP) {
      throw error(t, "expected a timestamp t'…' after " + after + " but found " + describe(t));
    }
    try {
      return new Constant.Timestamp(t.value(), StixTimestamp.parse(t.value()).instant());
    } catch (IllegalArgumentException e) {
      throw error(t, "invalid timestamp " + t.text() + ": " + e.getMessage());
    }
  }

  private long integer(Token t) {
    try {
      return Long.parseLong(stripPlus(t.text()));
    } catch (NumberFormatException e) {
      throw error(t, "integer out of range: " + t.text());
    }
  }

  private static String stripPlus(String s) {
    return s.startsWith("+") ? s.substring(1) : s;
  }

  // ---- checks the grammar alone does not make ----

  private void checkStringOperand(Operator op, Token s) {
    if (op == Operator.MATCHES) {
      try {
        Pattern.compile(s.value());
      } catch (java.util.regex.PatternSyntaxException e) {
        throw error(s, "MATCHES regex does not compile: " + e.getDescription());
      }
    } else if (op == Operator.ISSUBSET || op == Operator.ISSUPERSET) {
      if (IpBlock.parse(s.value()) == null) {
        throw error(s, op.symbol() + " needs an IPv4 or IPv6 address or CIDR, not " + s.text());
      }
    }
  }

  /**
   * Tests joined by AND must be able to hold on one object, so they need a common root type
   * (section 9.2: a comparison expression's tests all start from the same SCO).
   */
  private void checkSameRootType(ComparisonExpression c, Token at) {
    rootTypes(c, at);
  }

  private Set<String> rootTypes(ComparisonExpression c, Token at) {
    if (c instanceof ComparisonExpression.Comparison cmp) {
      return Set.of(cmp.path().objectType());
    }
    if (c instanceof ComparisonExpression.Exists ex) {
      return Set.of(ex.path().objectType());
    }
    if (c instanceof ComparisonExpression.Or or) {
      Set<String> all = new HashSet<>(rootTypes(or.left(), at));
      all.addAll(rootTypes(or.right(), at));
      return all;
    }
    ComparisonExpression.And and = (ComparisonExpression.And) c;
    Set<String> common = new HashSet<>(rootTypes(and.left(), at));
    Set<String> right = rootTypes(and.right(), at);
    common.retainAll(right);
    if (common.isEmpty()) {
      throw error(
          at,
          "AND inside one observation joins different object types "
              + rootTypes(and.left(), at)
              + " and "
              + right
              + "; use OR, or separate observations [..] AND [..]");
    }
    return common;
  }

  // ---- token plumbing ----

  private Token peek() {
    return tokens.get(i);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(i + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(i);
    if (t.kind() != Kind.EOF) {
      i++;
    }
    return t;
  }

  private boolean accept(Kind k) {
    if (peek().kind() == k) {
      i++;
      return true;
    }
    return false;
  }

  private void expect(Kind k, String expected) {
    Token t = peek();
    if (t.kind() != k) {
      throw error(t, "expected " + expected + " but found " + describe(t));
    }
    next();
  }

  private static String describe(Token t) {
    return t.kind() == Kind.EOF ? "end of pattern" : "'" + t.text() + "'";
  }

  private PatternSyntaxException error(Token t, String detail) {
    return Lexer.error(src, t.offset(), detail);
  }
}
