package org.entente.stix.validate;

/**
 * A light syntactic check of STIX patterns: balanced brackets and parentheses, closed quotes, and
 * at least one {@code [object-path op value]} comparison. It only catches clear garbage; the full
 * patterning grammar replaces this class later.
 */
final class PatternSanity {
  private PatternSanity() {}

  /** Returns null when the pattern looks like a STIX pattern, else what is wrong. */
  static String problem(String pattern) {
    int brackets = 0;
    int parens = 0;
    int comparisons = 0;
    boolean inQuote = false;
    boolean colonInBracket = false;
    boolean contentInBracket = false;
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (inQuote) {
        if (ch == '\\') {
          i++;
        } else if (ch == '\'') {
          inQuote = false;
        }
        continue;
      }
      switch (ch) {
        case '\'' -> {
          inQuote = true;
          contentInBracket |= brackets > 0;
        }
        case '[' -> {
          if (brackets > 0) {
            // '[' inside a comparison is a list index or '[*]' in an object path.
            brackets++;
            break;
          }
          brackets = 1;
          colonInBracket = false;
          contentInBracket = false;
        }
        case ']' -> {
          if (brackets == 0) {
            return "unbalanced ']' at offset " + i;
          }
          brackets--;
          if (brackets == 0) {
            if (!colonInBracket || !contentInBracket) {
              return "comparison at offset " + i + " lacks an object path (type:property)";
            }
            comparisons++;
          }
        }
        case '(' -> parens++;
        case ')' -> {
          if (--parens < 0) {
            return "unbalanced ')' at offset " + i;
          }
        }
        case ':' -> colonInBracket |= brackets > 0;
        default -> contentInBracket |= brackets > 0 && !Character.isWhitespace(ch);
      }
    }
    if (inQuote) {
      return "unterminated string literal";
    }
    if (brackets != 0) {
      return "unbalanced '['";
    }
    if (parens != 0) {
      return "unbalanced '('";
    }
    if (comparisons == 0) {
      return "no [object-path operator value] comparison";
    }
    return null;
  }
}
