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
    // More than nine fraction digits, or a leap second (which the parser orders specially).
    if (n > 30 || StixTimestamp.problem(s) != StixTimestamp.Problem.NONE || s.charAt(17) == '6') {
      return null;
    }
    int fraction = Math.max(n - 21, 0); // digits between '.' and 'Z'
    StringBuilder key = new StringBuilder(30).append(s, 0, 19).append('.');
    if (fraction > 0) {
      key.append(s, 20, 20 + fraction);
    }
    for (int i = fraction; i < 9; i++) {
      key.append('0');
    }
    return key.append('Z').toString();
  }
}
