package org.entente.stix.pattern;

/** A comparison operator inside an observation expression; NOT is kept apart, on the test. */
public enum Operator {
  EQ("="),
  NEQ("!="),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  IN("IN"),
  LIKE("LIKE"),
  MATCHES("MATCHES"),
  ISSUBSET("ISSUBSET"),
  ISSUPERSET("ISSUPERSET");

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  /** The canonical spelling ({@code ==} and {@code <>} render as {@code =} and {@code !=}). */
  public String symbol() {
    return symbol;
  }
}
