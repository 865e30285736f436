package org.entente.taxii.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code Retry-After} header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, the latter
 * in any of the three forms a recipient must accept (§5.6.7).
 */
final class RetryAfter {
  /** IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  /** Obsolete RFC 850 form, e.g. {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
  private static final DateTimeFormatter RFC_850 =
      new DateTimeFormatterBuilder()
          .appendPattern("EEEE, dd-MMM-")
          .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
          .appendPattern(" HH:mm:ss 'GMT'")
          .toFormatter(Locale.US);

  /** ANSI C asctime() form, e.g. {@code Sun Nov 6 08:49:37 1994}. */
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

  private static final List<DateTimeFormatter> DATE_FORMS = List.of(IMF_FIXDATE, RFC_850, ASCTIME);

  private RetryAfter() {}

  /**
   * The delay a {@code Retry-After} value asks for, or null when it is absent or unreadable.
   *
   * @param value the header value, or null
   * @param serverDate the answer's {@code Date} header, or null: an HTTP-date is measured from it
   *     (so that a skewed local clock does not matter), else from {@code now}
   * @param now this machine's time
   */
  static Duration parse(String value, String serverDate, Instant now) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.isEmpty()) {
      return null;
    }
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More than 18 digits could overflow a long: no server means centuries, so not readable.
      return v.length() > 18 ? null : Duration.ofSeconds(Long.parseLong(v));
    }
    Instant at = httpDate(v);
    if (at == null) {
      return null;
    }
    Instant from = serverDate == null ? null : httpDate(serverDate.trim());
    Duration d = Duration.between(from == null ? now : from, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Instant httpDate(String s) {
    for (DateTimeFormatter f : DATE_FORMS) {
      try {
        return f.withZone(ZoneOffset.UTC).parse(s, Instant::from);
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return null;
  }
}
