package org.entente.taxii.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import org.entente.stix.StixJson;
import org.entente.stix.StixTimestamp;
import org.entente.taxii.Taxii;

/** Writing TAXII resources: every response body is TAXII JSON with the TAXII media type. */
final class Responses {
  /** For streamed bodies; the servlet stream is closed by the container, not by us. */
  static final JsonFactory STREAMING =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private Responses() {}

  static ObjectNode object() {
    return StixJson.mapper().createObjectNode();
  }

  static void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status);
    ctx.contentType(Taxii.MEDIA_TYPE);
    ctx.result(StixJson.writeBytes(body));
  }

  /**
   * TAXII timestamps are written with microsecond precision: exactly {@link StixTimestamp#taxii},
   * without a DateTimeFormatter for the years 0 to 9999 (a manifest page writes one per entry, and
   * every page two headers).
   */
  static String timestamp(Instant instant) {
    long seconds = instant.getEpochSecond();
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z
    if (seconds < -62_167_219_200L || seconds > 253_402_300_799L) {
      return StixTimestamp.taxii(instant);
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
    char[] c = new char[27];
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
    digits(c, 20, instant.getNano() / 1000, 6);
    c[26] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
