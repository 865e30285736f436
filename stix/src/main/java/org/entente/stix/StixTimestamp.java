package org.entente.stix;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An RFC 3339 UTC timestamp as STIX and TAXII write it, keeping the text it was read from.
 *
 * <p>{@link #sortKey()} is a fixed-width form (nanoseconds) so that versions compare correctly as
 * text in SQL whatever precision each producer used.
 */
public record StixTimestamp(Instant instant, int fractionDigits, String text)
    implements Comparable<StixTimestamp> {

  private static final DateTimeFormatter SORT_KEY =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * Parses a STIX/TAXII timestamp.
   *
   * @throws IllegalArgumentException naming what is wrong (form, calendar value, precision)
   */
  public static StixTimestamp parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("timestamp is missing");
    }
    Problem problem = problem(text);
    if (problem == Problem.FORM) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z)");
    }
    int fractionDigits = Math.max(text.length() - 21, 0);
    for (int i = 20 + 9; i < 20 + fractionDigits; i++) {
      if (text.charAt(i) != '0') {
        throw new IllegalArgumentException("'" + text + "' is more precise than nanoseconds");
      }
    }
    if (problem == Problem.DATE) {
      throw new IllegalArgumentException("'" + text + "' is not a real date");
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    // A leap second (:60) is legal RFC 3339; it is ordered as the last instant of that minute.
    LocalDateTime ldt = LocalDateTime.of(year, month, day, hour, minute, Math.min(second, 59));
    int nanos = 0;
    for (int i = 0; i < 9; i++) {
      nanos = nanos * 10 + (i < fractionDigits ? text.charAt(20 + i) - '0' : 0);
    }
    if (second == 60) {
      nanos = 999_999_999;
    }
    Instant instant = ldt.toInstant(ZoneOffset.UTC).plusNanos(nanos);
    return new StixTimestamp(instant, fractionDigits, text);
  }

  /** What is wrong with a timestamp's text: nothing, its form, or its date. */
  public enum Problem {
    NONE,
    FORM,
    DATE
  }

  /**
   * Checks {@code YYYY-MM-DDTHH:mm:ss[.s+]Z} (a leap second allowed) and that the date exists,
   * reading by position, not with a regular expression: every object has two or more timestamps,
   * checked on the ingest path and read again when detection indexes an indicator.
   */
  public static Problem problem(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(n - 1) != 'Z'
        || !digits(s, 0, 4)
        || s.charAt(4) != '-'
        || !digits(s, 5, 2)
        || s.charAt(7) != '-'
        || !digits(s, 8, 2)
        || s.charAt(10) != 'T'
        || !digits(s, 11, 2)
        || s.charAt(13) != ':'
        || !digits(s, 14, 2)
        || s.charAt(16) != ':'
        || !digits(s, 17, 2)
        // A '.' must be followed by at least one digit.
        || (n > 20 && (s.charAt(19) != '.' || n == 21 || !digits(s, 20, n - 21)))) {
      return Problem.FORM;
    }
    int year = number(s, 0, 4);
    int month = number(s, 5, 2);
    int day = number(s, 8, 2);
    if (month < 1
        || month > 12
        || day < 1
        || day > 31
        || number(s, 11, 2) > 23
        || number(s, 14, 2) > 59
        || number(s, 17, 2) > 60) {
      return Problem.FORM;
    }
    return day > daysInMonth(year, month) ? Problem.DATE : Problem.NONE;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static boolean digits(String s, int from, int count) {
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The decimal number of digits {@code s[from, from + count)}, already checked. */
  private static int number(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }

  /** A timestamp for an instant, written with the given precision (3 = ms, 6 = µs). */
  public static StixTimestamp of(Instant instant, int fractionDigits) {
    Instant t =
        switch (fractionDigits) {
          case 3 -> instant.truncatedTo(ChronoUnit.MILLIS);
          case 6 -> instant.truncatedTo(ChronoUnit.MICROS);
          default -> throw new IllegalArgumentException("precision must be 3 or 6");
        };
    String text = (fractionDigits == 3 ? MILLIS : MICROS).format(t);
    return new StixTimestamp(t, fractionDigits, text);
  }

  /** TAXII 2.1 writes its own timestamps with microsecond precision. */
  public static String taxii(Instant instant) {
    return format(instant, 6, MICROS);
  }

  /** Fixed-width, lexically ordered form: equal instants give equal keys whatever the precision. */
  public String sortKey() {
    return SORT_KEY.format(instant);
  }

  public static String sortKey(Instant instant) {
    return format(instant, 9, SORT_KEY);
  }

  public static Instant fromSortKey(String key) {
    return Instant.parse(key);
  }

  @Override
  public int compareTo(StixTimestamp o) {
    return instant.compareTo(o.instant);
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * Writes an instant with 6 or 9 fraction digits without a DateTimeFormatter for the years 0 to
   * 9999: the hot paths (every stored version key, every manifest entry and page header) use it.
   */
  private static String format(Instant instant, int fractionDigits, DateTimeFormatter slow) {
    long seconds = instant.getEpochSecond();
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z
    if (seconds < -62_167_219_200L || seconds > 253_402_300_799L) {
      return slow.format(instant);
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // Civil date from days since the epoch (H. Hinnant's algorithm).
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    char[] c = new char[21 + fractionDigits];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, month, 2);
    c[7] = '-';
    digits(c, 8, day, 2);
    c[10] = 'T';
    digits(c, 11, secondOfDay / 3600, 2);
    c[13] = ':';
    digits(c, 14, secondOfDay / 60 % 60, 2);
    c[16] = ':';
    digits(c, 17, secondOfDay % 60, 2);
    c[19] = '.';
    int nanos = instant.getNano();
    digits(c, 20, fractionDigits == 9 ? nanos : nanos / 1000, fractionDigits);
    c[20 + fractionDigits] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
