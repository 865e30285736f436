package org.entente.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.entente.stix.StixTimestamp;
import org.junit.jupiter.api.Test;

/** The fast sort keys are exactly StixTimestamp's, for every text and instant. */
class SortKeysTest {

  private static Optional<SortKeys.Key> slow(String text) {
    try {
      StixTimestamp t = StixTimestamp.parse(text);
      return Optional.of(new SortKeys.Key(t.sortKey(), t.text()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Test
  void textsGiveTheParsersKeyOrNothing() {
    List<String> texts =
        new ArrayList<>(
            List.of(
                "2024-01-01T00:00:00Z",
                "2024-01-01T00:00:00.1Z",
                "2024-01-01T00:00:00.123456789Z",
                "2024-01-01T00:00:00.1234567890Z",
                "2024-01-01T00:00:00.1234567891Z",
                "2024-01-01T00:00:00.Z",
                "2016-12-31T23:59:60Z",
                "2016-12-31T23:59:60.5Z",
                "2024-02-29T12:00:00Z",
                "2023-02-29T12:00:00Z",
                "1900-02-29T12:00:00Z",
                "2000-02-29T12:00:00Z",
                "2024-04-31T00:00:00Z",
                "2024-13-01T00:00:00Z",
                "2024-00-01T00:00:00Z",
                "2024-01-00T00:00:00Z",
                "2024-01-01T24:00:00Z",
                "2024-01-01T00:60:00Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z",
                "2024-01-01 00:00:00Z",
                "2024-01-01T00:00:00+00:00",
                "2024-01-01T00:00:00z",
                "2024-01-01T00:00:00Z\n",
                "２０２４-01-01T00:00:00Z",
                "",
                "x"));
    Random r = new Random(42);
    String chars = "0123456789-T:.Z";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b =
          new StringBuilder(
              String.format(
                  "%04d-%02d-%02dT%02d:%02d:%02d",
                  r.nextInt(10_000),
                  r.nextInt(14),
                  r.nextInt(33),
                  r.nextInt(26),
                  r.nextInt(62),
                  r.nextInt(62)));
      int fraction = r.nextInt(13) - 1;
      if (fraction >= 0) {
        b.append('.');
        for (int d = 0; d < fraction; d++) {
          b.append(r.nextInt(4) == 0 ? '0' : (char) ('0' + r.nextInt(10)));
        }
      }
      b.append('Z');
      if (r.nextInt(20) == 0) {
        b.setCharAt(r.nextInt(b.length()), chars.charAt(r.nextInt(chars.length())));
      }
      texts.add(b.toString());
    }
    for (String t : texts) {
      assertThat(SortKeys.of(t)).as(t).isEqualTo(slow(t));
    }
  }

  @Test
  void instantsGiveTheFormattersKey() {
    Random r = new Random(7);
    List<Instant> instants =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("2000-02-29T00:00:00Z"),
                Instant.parse("2100-03-01T00:00:00.000001Z")));
    for (int i = 0; i < 100_000; i++) {
      instants.add(
          Instant.ofEpochSecond(
              r.nextLong(-62_167_219_200L, 253_402_300_800L), r.nextInt(1_000_000_000)));
    }
    for (Instant t : instants) {
      assertThat(SortKeys.of(t)).as(t.toString()).isEqualTo(StixTimestamp.sortKey(t));
    }
  }
}
