package org.entente.stix.pattern;

import java.util.Objects;

/** The pattern level: observations joined by AND, OR and FOLLOWEDBY, with qualifiers. */
public sealed interface ObservationExpression {

  /** Canonical text, with parentheses only where precedence needs them. */
  String render();

  /** Binding strength used when rendering: higher binds tighter. */
  int precedence();

  /** {@code [ comparison ]}: one observed-data satisfies it. */
  record Observation(ComparisonExpression comparison) implements ObservationExpression {
    public Observation {
      Objects.requireNonNull(comparison);
    }

    @Override
    public String render() {
      return "[" + comparison.render() + "]";
    }

    @Override
    public int precedence() {
      return 4;
    }
  }

  /** An expression followed by one qualifier; several qualifiers nest, innermost first. */
  record Qualified(ObservationExpression expression, Qualifier qualifier)
      implements ObservationExpression {
    public Qualified {
      Objects.requireNonNull(expression);
      Objects.requireNonNull(qualifier);
    }

    @Override
    public String render() {
      // "[a] WITHIN 5 SECONDS WITHIN 9 SECONDS" would repeat a qualifier type on one unit, which
      // is an error; the nested form needs its parentheses back.
      boolean clash = false;
      for (ObservationExpression e = expression; e instanceof Qualified q; e = q.expression()) {
        clash |= q.qualifier().getClass() == qualifier.getClass();
      }
      String inner = clash ? "(" + expression.render() + ")" : wrap(expression, 4, false);
      return inner + " " + qualifier.render();
    }

    @Override
    public int precedence() {
      return 4;
    }
  }

  /** Both sides hold, on different observations. */
  record And(ObservationExpression left, ObservationExpression right)
      implements ObservationExpression {
    public And {
      Objects.requireNonNull(left);
      Objects.requireNonNull(right);
    }

    @Override
    public String render() {
      return wrap(left, 3, false) + " AND " + wrap(right, 3, true);
    }

    @Override
    public int precedence() {
      return 3;
    }
  }

  /** Either side holds. */
  record Or(ObservationExpression left, ObservationExpression right)
      implements ObservationExpression {
    public Or {
      Objects.requireNonNull(left);
      Objects.requireNonNull(right);
    }

    @Override
    public String render() {
      return wrap(left, 2, false) + " OR " + wrap(right, 2, true);
    }

    @Override
    public int precedence() {
      return 2;
    }
  }

  /** The left side holds, then the right side at the same time or later. */
  record FollowedBy(ObservationExpression left, ObservationExpression right)
      implements ObservationExpression {
    public FollowedBy {
      Objects.requireNonNull(left);
      Objects.requireNonNull(right);
    }

    @Override
    public String render() {
      return wrap(left, 1, false) + " FOLLOWEDBY " + wrap(right, 1, true);
    }

    @Override
    public int precedence() {
      return 1;
    }
  }

  /**
   * Renders an operand, in parentheses when it binds more loosely than its parent, or equally on
   * the right (the operators are left-associative, so a right-nested chain must keep its shape).
   */
  private static String wrap(ObservationExpression e, int parent, boolean right) {
    boolean parens = e.precedence() < parent || (right && e.precedence() == parent);
    // A qualifier binds to the unit before it, so a qualified compound keeps its parentheses.
    if (parent == 4 && !(e instanceof Observation) && !(e instanceof Qualified)) {
      parens = true;
    }
    return parens ? "(" + e.render() + ")" : e.render();
  }
}
