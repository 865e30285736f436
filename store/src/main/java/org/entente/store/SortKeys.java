package org.entente.store;

import java.time.Instant;
import java.util.Optional;
import org.entente.stix.StixTimestamp;

/**
 * {@link StixTimestamp#sortKey()} without a regex match and a {@code DateTimeFormatter} per call
 * (together about 1.5 µs, paid for every timestamp of every object ingested). Plain {@code
 * YYYY-MM-DDTHH:mm:ss[.f{1,9}]Z} texts of real dates are keyed straight from their characters;
 * anything else (a leap second, more than nine fraction digits, an invalid text) goes the slow way,
 * so the result is always exactly what {@code StixTimestamp.parse(text).sortKey()} gives.
 */
final class SortKeys {
  private static final int[] DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private SortKeys() {}

  /** The parsed timestamp's sort key and text; empty when it does not parse. */
  record Key(String sortKey, String text) {}

  static Optional<Key> of(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String fast = fast(text);
    if (fast != null) {
      return Optional.of(new Key(fast, text));
    }
    try {
      StixTimestamp t = StixTimestamp.parse(text);
      return Optional.of(new Key(t.sortKey(), t.text()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The sort key of an instant (years 0 to 9999 directly, others the slow way). */
  static String of(Instant instant) {
    return StixTimestamp.sortKey(instant);
  }

  /** The key for the plain form, or null when the text needs the full parser. */
  private static String fast(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z') {
      return null;
    }
    if (!digitsAt(s, 0, 4)
        || s.charAt(4) != '-'
        || !digitsAt(s, 5, 2)
        || s.charAt(7) != '-'
        || !digitsAt(s, 8, 2)
        || s.charAt(10) != 'T'
        || !digitsAt(s, 11, 2)
        || s.charAt(13) != ':'
        || !digitsAt(s, 14, 2)
        || s.charAt(16) != ':'
        || !digitsAt(s, 17, 2)) {
      return null;
    }
    int year = number(s, 0, 4);
    int month = number(s, 5, 2);
    int day = number(s, 8, 2);
    if (month < 1
        || month > 12
        || day < 1
        || number(s, 11, 2) > 23
        || number(s, 14, 2) > 59
        || number(s, 17, 2) > 59) {
      return null; // includes the leap second :60, which the parser orders specially
    }
    boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    if (day > DAYS[month - 1] + (month == 2 && leap ? 1 : 0)) {
      return null;
    }
    int fraction;
    if (n == 20) {
      fraction = 0;
    } else {
      fraction = n - 21; // digits between '.' and 'Z'
      if (s.charAt(19) != '.' || fraction < 1 || !digitsAt(s, 20, fraction)) {
        return null;
      }
    }
    StringBuilder key = new StringBuilder(30).append(s, 0, 19).append('.');
    if (fraction > 0) {
      key.append(s, 20, 20 + fraction);
    }
    for (int i = fraction; i < 9; i++) {
      key.append('0');
    }
    return key.append('Z').toString();
  }

  private static boolean digitsAt(String s, int at, int count) {
    for (int i = at; i < at + count; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }

  private static int number(String s, int at, int count) {
    int v = 0;
    for (int i = at; i < at + count; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }
}
