package org.entente.stix.pattern;

/**
 * A STIX pattern that does not follow the patterning grammar or breaks one of its MUST rules.
 *
 * <p>Unchecked, because patterns mostly arrive inside documents that are validated as a whole and
 * callers either report the message or treat the pattern as matching nothing.
 */
public final class PatternSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String detail;

  /** Line and column are 1-based and count code points, as an editor shows them. */
  public PatternSyntaxException(int line, int column, String detail) {
    super("line " + line + ", column " + column + ": " + detail);
    this.line = line;
    this.column = column;
    this.detail = detail;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without its position prefix. */
  public String detail() {
    return detail;
  }
}
