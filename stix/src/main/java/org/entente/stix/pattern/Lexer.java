package org.entente.stix.pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits pattern text into tokens, dropping whitespace and comments as STIXPattern.g4 does. */
final class Lexer {

  /** Token kinds; keywords are spelled exactly as the (case-sensitive) grammar writes them. */
  enum Kind {
    LBRACK("'['"),
    RBRACK("']'"),
    LPAREN("'('"),
    RPAREN("')'"),
    COLON("':'"),
    DOT("'.'"),
    COMMA("','"),
    STAR("'*'"),
    EQ("'='"),
    NEQ("'!='"),
    LT("'<'"),
    LE("'<='"),
    GT("'>'"),
    GE("'>='"),
    AND("AND"),
    OR("OR"),
    NOT("NOT"),
    FOLLOWEDBY("FOLLOWEDBY"),
    LIKE("LIKE"),
    MATCHES("MATCHES"),
    ISSUPERSET("ISSUPERSET"),
    ISSUBSET("ISSUBSET"),
    EXISTS("EXISTS"),
    LAST("LAST"),
    IN("IN"),
    START("START"),
    STOP("STOP"),
    SECONDS("SECONDS"),
    WITHIN("WITHIN"),
    REPEATS("REPEATS"),
    TIMES("TIMES"),
    TRUE("true"),
    FALSE("false"),
    IDENT("an identifier"),
    STRING("a string"),
    INT("an integer"),
    FLOAT("a float"),
    BINARY("a binary constant"),
    HEX("a hex constant"),
    TIMESTAMP("a timestamp"),
    EOF("end of pattern");

    final String display;

    Kind(String display) {
      this.display = display;
    }
  }

  /**
   * One token. {@code text} is the source text; {@code value} is the unescaped string or the
   * literal's inner text.
   */
  record Token(Kind kind, String text, String value, int offset) {}

  private static final Set<String> KEYWORDS =
      Set.of(
          "AND",
          "OR",
          "NOT",
          "FOLLOWEDBY",
          "LIKE",
          "MATCHES",
          "ISSUPERSET",
          "ISSUBSET",
          "EXISTS",
          "LAST",
          "IN",
          "START",
          "STOP",
          "SECONDS",
          "WITHIN",
          "REPEATS",
          "TIMES",
          "true",
          "false");

  private final String src;
  private int pos;

  private Lexer(String src) {
    this.src = src;
  }

  static boolean isKeyword(String word) {
    return KEYWORDS.contains(word);
  }

  static List<Token> tokenize(String src) {
    Lexer lx = new Lexer(src);
    List<Token> out = new ArrayList<>();
    Token t;
    do {
      t = lx.next();
      out.add(t);
    } while (t.kind() != Kind.EOF);
    return out;
  }

  /** The 1-based line and column (in code points) of a UTF-16 offset. */
  static int[] lineColumn(String src, int offset) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < offset && i < src.length(); ) {
      int cp = src.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\n' || (cp == '\r' && (i >= src.length() || src.charAt(i) != '\n'))) {
        line++;
        col = 1;
      } else if (cp != '\r') {
        col++;
      }
    }
    return new int[] {line, col};
  }

  static PatternSyntaxException error(String src, int offset, String detail) {
    int[] lc = lineColumn(src, offset);
    return new PatternSyntaxException(lc[0], lc[1], detail);
  }

  private PatternSyntaxException error(int offset, String detail) {
    return error(src, offset, detail);
  }

  /** Whitespace as the grammar's WS rule lists it (Unicode White_Space). */
  static boolean isSpace(int c) {
    return c == ' '
        || c == '\t'
        || c == '\r'
        || c == '\n'
        || c == 0x0B
        || c == 0x0C
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  private void skipSpaceAndComments() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (src.startsWith("/*", pos)) {
        int end = src.indexOf("*/", pos + 2);
        if (end < 0) {
          throw error(pos, "unterminated comment '/*'");
        }
        pos = end + 2;
      } else if (src.startsWith("//", pos)) {
        while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Token next() {
    skipSpaceAndComments();
    int start = pos;
    if (pos >= src.length()) {
      return new Token(Kind.EOF, "", "", pos);
    }
    char c = src.charAt(pos);
    switch (c) {
      case '[':
        return simple(Kind.LBRACK, 1);
      case ']':
        return simple(Kind.RBRACK, 1);
      case '(':
        return simple(Kind.LPAREN, 1);
      case ')':
        return simple(Kind.RPAREN, 1);
      case ':':
        return simple(Kind.COLON, 1);
      case ',':
        return simple(Kind.COMMA, 1);
      case '*':
        return simple(Kind.STAR, 1);
      case '=':
        return simple(Kind.EQ, src.startsWith("==", pos) ? 2 : 1);
      case '!':
        if (src.startsWith("!=", pos)) {
          return simple(Kind.NEQ, 2);
        }
        throw error(pos, "unexpected character '!' (did you mean '!='?)");
      case '<':
        if (src.startsWith("<>", pos)) {
          return simple(Kind.NEQ, 2);
        }
        return src.startsWith("<=", pos) ? simple(Kind.LE, 2) : simple(Kind.LT, 1);
      case '>':
        return src.startsWith(">=", pos) ? simple(Kind.GE, 2) : simple(Kind.GT, 1);
      case '\'':
        return string(start, start, Kind.STRING);
      default:
        break;
    }
    if (c == '.' && !(pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
      return simple(Kind.DOT, 1);
    }
    if (c == '+' || c == '-' || c == '.' || isDigit(c)) {
      return number(start);
    }
    if ((c == 'h' || c == 'b' || c == 't')
        && pos + 1 < src.length()
        && src.charAt(pos + 1) == '\'') {
      Kind k = c == 'h' ? Kind.HEX : c == 'b' ? Kind.BINARY : Kind.TIMESTAMP;
      return string(start, start + 1, k);
    }
    if (isIdentStart(c)) {
      while (pos < src.length() && isIdentPart(src.charAt(pos))) {
        pos++;
      }
      String word = src.substring(start, pos);
      if (KEYWORDS.contains(word)) {
        Kind k =
            switch (word) {
              case "true" -> Kind.TRUE;
              case "false" -> Kind.FALSE;
              default -> Kind.valueOf(word);
            };
        return new Token(k, word, word, start);
      }
      return new Token(Kind.IDENT, word, word, start);
    }
    int cp = src.codePointAt(pos);
    throw error(pos, "unexpected character '" + new String(Character.toChars(cp)) + "'");
  }

  private Token simple(Kind k, int len) {
    int start = pos;
    pos += len;
    return new Token(k, src.substring(start, pos), src.substring(start, pos), start);
  }

  /** A quoted literal whose opening quote is at {@code quote}; only \' and \\ are escapes. */
  private Token string(int start, int quote, Kind kind) {
    StringBuilder value = new StringBuilder();
    int i = quote + 1;
    while (true) {
      if (i >= src.length()) {
        throw error(
            start,
            "unterminated " + kind.display.replaceFirst("^an? ", "") + " (no closing quote)");
      }
      char ch = src.charAt(i);
      if (ch == '\'') {
        break;
      }
      if (ch == '\\') {
        char n = i + 1 < src.length() ? src.charAt(i + 1) : 0;
        if (kind == Kind.STRING && (n == '\'' || n == '\\')) {
          value.append(n);
          i += 2;
          continue;
        }
        throw error(
            i, "invalid escape in " + kind.display + ": only \\' and \\\\ are allowed in strings");
      }
      value.append(ch);
      i++;
    }
    pos = i + 1;
    return new Token(kind, src.substring(start, pos), value.toString(), start);
  }

  private Token number(int start) {
    int i = pos;
    if (src.charAt(i) == '+' || src.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < src.length() && isDigit(src.charAt(i))) {
      i++;
    }
    boolean isFloat = false;
    if (i < src.length() && src.charAt(i) == '.') {
      int frac = i + 1;
      int j = frac;
      while (j < src.length() && isDigit(src.charAt(j))) {
        j++;
      }
      if (j == frac) {
        throw error(i, "a float needs digits after '.'");
      }
      isFloat = true;
      i = j;
    } else if (i == digits) {
      throw error(start, "expected a number after '" + src.charAt(start) + "'");
    } else if (src.charAt(digits) == '0' && i - digits > 1) {
      throw error(start, "integers must not have leading zeros");
    }
    pos = i;
    String text = src.substring(start, i);
    return new Token(isFloat ? Kind.FLOAT : Kind.INT, text, text, start);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c) || c == '-';
  }
}
