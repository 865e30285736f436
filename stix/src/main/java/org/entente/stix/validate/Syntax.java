package org.entente.stix.validate;

import java.util.regex.Pattern;
import org.entente.stix.StixTimestamp;

/**
 * Hand-written recognisers for the forms checked on every object (names, identifiers, UUIDs,
 * timestamps, hex). They replace the schema regexes on the hot path: no allocation, no
 * backtracking.
 */
final class Syntax {
  private Syntax() {}

  static final int TS_OK = 0;
  static final int TS_FORMAT = 1;
  static final int TS_DATE = 2;

  /** RFC 5646 language tag, simplified (langtag, private use and the irregular i- forms). */
  static final Pattern LANG_TAG =
      Pattern.compile(
          "^(?:(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4,8})(?:-[a-zA-Z]{4})?"
              + "(?:-(?:[a-zA-Z]{2}|\\d{3}))?(?:-(?:[a-zA-Z0-9]{5,8}|\\d[a-zA-Z0-9]{3}))*"
              + "(?:-[0-9a-wyzA-WYZ](?:-[a-zA-Z0-9]{2,8})+)*(?:-[xX](?:-[a-zA-Z0-9]{1,8})+)?"
              + "|[xX](?:-[a-zA-Z0-9]{1,8})+|[iI]-[a-zA-Z]{2,8})$");

  /** Granular-marking selector (schema pattern). */
  static final Pattern SELECTOR =
      Pattern.compile("^(?:[a-z0-9_-]{3,249}(?:\\.(?:\\[\\d+\\]|[a-z0-9_-]{1,250}))*|id)$");

  /** {@code ^[a-z][a-z0-9_]{2,249}$}: property names and extension property names. */
  static boolean isPropertyName(String s) {
    int n = s.length();
    if (n < 3 || n > 250) {
      return false;
    }
    char c0 = s.charAt(0);
    if (c0 < 'a' || c0 > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** {@code ^([a-z][a-z0-9]*)+(-[a-z0-9]+)*-?$}, 3 to 250 characters: object type names. */
  static boolean isTypeName(String s) {
    int n = s.length();
    return n >= 3 && n <= 250 && isTypeNameRegion(s, n);
  }

  private static boolean isTypeNameRegion(String s, int end) {
    if (end == 0) {
      return false;
    }
    char c0 = s.charAt(0);
    if (c0 < 'a' || c0 > 'z') {
      return false;
    }
    char prev = c0;
    for (int i = 1; i < end; i++) {
      char c = s.charAt(i);
      if (c == '-') {
        if (prev == '-') {
          return false;
        }
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return false;
      }
      prev = c;
    }
    return true;
  }

  /**
   * {@code <type>--<uuid>} per the identifier schema; the type part must not end in '-'. Returns
   * the length of the type part, or -1 when the text is not an identifier.
   */
  static int identifierTypeLength(String s) {
    int n = s.length();
    int t = n - 38;
    if (t < 3 || s.charAt(t) != '-' || s.charAt(t + 1) != '-' || s.charAt(t - 1) == '-') {
      return -1;
    }
    if (!isTypeNameRegion(s, t) || !isUuid(s, t + 2)) {
      return -1;
    }
    return t;
  }

  /** RFC 4122 UUID text starting at {@code from} and running to the end (version 1-5). */
  static boolean isUuid(String s, int from) {
    if (s.length() - from != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(from + i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return false;
        }
      } else if (!isHexDigit(c)) {
        return false;
      }
    }
    char version = s.charAt(from + 14);
    char variant = s.charAt(from + 19);
    return version >= '1' && version <= '5' && "89abAB".indexOf(variant) >= 0;
  }

  /** Version digit of the UUID that ends the identifier (the caller has checked the form). */
  static int uuidVersion(String id) {
    return id.charAt(id.length() - 36 + 14) - '0';
  }

  static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Even, non-zero count of hex digits. */
  static boolean isHex(String s) {
    int n = s.length();
    if (n == 0 || (n & 1) != 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!isHexDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isHexOfLength(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (!isHexDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** RFC 4648 base64 with padding (the schema's binary pattern). */
  static boolean isBase64(String s) {
    int n = s.length();
    if ((n & 3) != 0) {
      return false;
    }
    int pad = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '=') {
        if (i < n - 2) {
          return false;
        }
        pad++;
      } else if (pad > 0
          || !((c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/')) {
        return false;
      }
    }
    return true;
  }

  /** Dictionary keys: ASCII letters, digits, '_' and '-', at most 250 characters. */
  static boolean isDictionaryKey(String s) {
    int n = s.length();
    if (n == 0 || n > 250) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks {@code YYYY-MM-DDTHH:mm:ss[.s+]Z} and that the date exists; returns {@link #TS_OK},
   * {@link #TS_FORMAT} or {@link #TS_DATE}.
   */
  static int timestamp(String s) {
    return switch (StixTimestamp.problem(s)) {
      case NONE -> TS_OK;
      case FORM -> TS_FORMAT;
      case DATE -> TS_DATE;
    };
  }

  /** Number of fraction digits of a well-formed timestamp (0 when there is no fraction). */
  static int fractionDigits(String s) {
    return s.length() > 20 ? s.length() - 21 : 0;
  }

  /** True when the fraction has significant digits beyond nanoseconds (unsupported here). */
  static boolean beyondNanos(String s) {
    for (int i = 29; i < s.length() - 1; i++) {
      if (s.charAt(i) != '0') {
        return true;
      }
    }
    return false;
  }

  /**
   * Compares two well-formed timestamps by instant without parsing: the fixed-width part compares
   * as text, fractions compare digit by digit with missing digits read as zero.
   */
  static int compareTimestamps(String a, String b) {
    for (int i = 0; i < 19; i++) {
      int d = a.charAt(i) - b.charAt(i);
      if (d != 0) {
        return d;
      }
    }
    int fa = fractionDigits(a);
    int fb = fractionDigits(b);
    int max = Math.max(fa, fb);
    for (int i = 0; i < max; i++) {
      char ca = i < fa ? a.charAt(20 + i) : '0';
      char cb = i < fb ? b.charAt(20 + i) : '0';
      if (ca != cb) {
        return ca - cb;
      }
    }
    return 0;
  }
}
