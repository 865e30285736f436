package org.entente.stix.pattern;

import java.util.Objects;

/**
 * A parsed STIX 2.1 pattern ({@code pattern_type} {@code stix}).
 *
 * <p>{@link #parse} applies the grammar of STIXPattern.g4 and the MUST rules of section 9 that can
 * be checked without data; {@link #render} prints a canonical form that parses back to an equal
 * pattern. The tree carries no source positions, so that equality is structural; errors are raised
 * while parsing, where positions are known.
 */
public record StixPattern(ObservationExpression expression) {
  public StixPattern {
    Objects.requireNonNull(expression);
  }

  /**
   * Parses pattern text.
   *
   * @throws PatternSyntaxException with the 1-based line and column of the first problem
   */
  public static StixPattern parse(String text) {
    return new StixPattern(new PatternParser(text).parse());
  }

  /** Canonical pattern text. */
  public String render() {
    return expression.render();
  }

  @Override
  public String toString() {
    return render();
  }
}
