package org.entente.store.jdbc;

/** Where the SQL backends' statements differ in spelling (never in meaning). */
public enum Dialect {
  /** Flags are INTEGER 0/1; partial indexes are declared {@code WHERE flag = 1}. */
  SQLITE,
  /** Flags are BOOLEAN; partial indexes are declared {@code WHERE flag}. */
  POSTGRESQL;

  /**
   * The test that a flag column is set, spelled as the partial indexes' own predicates are, so the
   * planner sees that a query implies them.
   */
  public String isSet(String column) {
    return this == SQLITE ? column + " = 1" : column;
  }
}
