package org.entente.stix.pattern;

import java.util.Objects;

/** What goes inside {@code [ … ]}: tests on one observation joined by AND and OR. */
public sealed interface ComparisonExpression {

  /** Canonical text, with parentheses only where precedence needs them. */
  String render();

  /** {@code path [NOT] op constant}. */
  record Comparison(ObjectPath path, boolean negated, Operator operator, Constant value)
      implements ComparisonExpression {
    public Comparison {
      Objects.requireNonNull(path);
      Objects.requireNonNull(operator);
      Objects.requireNonNull(value);
    }

    @Override
    public String render() {
      return path.render() + (negated ? " NOT " : " ") + operator.symbol() + " " + value.render();
    }
  }

  /** {@code [NOT] EXISTS path}. */
  record Exists(ObjectPath path, boolean negated) implements ComparisonExpression {
    public Exists {
      Objects.requireNonNull(path);
    }

    @Override
    public String render() {
      return (negated ? "NOT EXISTS " : "EXISTS ") + path.render();
    }
  }

  /** Both tests hold on the same object. */
  record And(ComparisonExpression left, ComparisonExpression right)
      implements ComparisonExpression {
    public And {
      Objects.requireNonNull(left);
      Objects.requireNonNull(right);
    }

    @Override
    public String render() {
      // AND is left-associative: a right operand that is itself an AND or an OR needs parentheses.
      String l = left instanceof Or ? "(" + left.render() + ")" : left.render();
      String r =
          right instanceof Or || right instanceof And ? "(" + right.render() + ")" : right.render();
      return l + " AND " + r;
    }
  }

  /** Either test holds. */
  record Or(ComparisonExpression left, ComparisonExpression right) implements ComparisonExpression {
    public Or {
      Objects.requireNonNull(left);
      Objects.requireNonNull(right);
    }

    @Override
    public String render() {
      String r = right instanceof Or ? "(" + right.render() + ")" : right.render();
      return left.render() + " OR " + r;
    }
  }
}
