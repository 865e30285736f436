package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StixTimestampTest {

  @Test
  void keepsTextAndPrecision() {
    StixTimestamp t = StixTimestamp.parse("2016-05-12T08:17:27.123456Z");
    assertThat(t.fractionDigits()).isEqualTo(6);
    assertThat(t.text()).isEqualTo("2016-05-12T08:17:27.123456Z");
    assertThat(t.instant()).isEqualTo(Instant.parse("2016-05-12T08:17:27.123456Z"));
    assertThat(StixTimestamp.parse("2016-05-12T08:17:27Z").fractionDigits()).isZero();
  }

  @Test
  void ordersALeapSecondAtTheEndOfItsMinute() {
    StixTimestamp leap = StixTimestamp.parse("2016-12-31T23:59:60Z");
    assertThat(leap).isGreaterThan(StixTimestamp.parse("2016-12-31T23:59:59.999Z"));
    assertThat(leap).isLessThan(StixTimestamp.parse("2017-01-01T00:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2021-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2021-04-31T00:00:00Z",
        "2021-13-01T00:00:00Z",
        "2021-01-01T24:00:00Z",
        "2021-01-01T00:00:00",
        "2021-01-01T00:00:00.Z",
        "2021-01-01 00:00:00Z",
        "2021-01-01T00:00:00+00:00",
        "21-01-01T00:00:00Z",
        "2021-01-01T00:00:00.1234567891Z",
      })
  void rejectsBadTimestamps(String text) {
    assertThatThrownBy(() -> StixTimestamp.parse(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** RFC 3339 in UTC as STIX restricts it: the definition the parser is checked against. */
  private static final Pattern RFC3339_UTC =
      Pattern.compile(
          "(\\d{4})-(0[1-9]|1[012])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):([0-5]\\d):([0-5]\\d|60)(\\.\\d+)?Z");

  @Test
  void acceptsExactlyTheRfc3339UtcFormOnMutatedInputs() {
    // The parser reads by position; mutate valid timestamps one or two characters at a time and
    // compare with the regular expression (plus the calendar and the nanosecond limit).
    String[] seeds = {
      "2021-01-01T00:00:00Z",
      "2024-02-29T23:59:60.5Z",
      "1999-12-31T23:59:59.123456789Z",
      "2021-06-30T12:30:45.1000000000Z",
      "0000-01-01T00:00:00.000Z",
    };
    String alphabet = "0123456789-:.TZtz +1a\u0663";
    SplittableRandom random = new SplittableRandom(20261128);
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder(seeds[random.nextInt(seeds.length)]);
      for (int m = random.nextInt(1, 3); m > 0; m--) {
        int at = random.nextInt(b.length() + 1);
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> b.insert(at, c);
          case 1 -> {
            if (at < b.length()) {
              b.deleteCharAt(at);
            }
          }
          default -> {
            if (at < b.length()) {
              b.setCharAt(at, c);
            }
          }
        }
      }
      String text = b.toString();
      boolean expected = RFC3339_UTC.matcher(text).matches() && realAndNotTooPrecise(text);
      boolean actual;
      try {
        StixTimestamp t = StixTimestamp.parse(text);
        actual = true;
        assertThat(t.text()).isEqualTo(text);
        int dot = text.indexOf('.');
        assertThat(t.fractionDigits()).isEqualTo(dot < 0 ? 0 : text.length() - dot - 2);
        if (!text.startsWith("0000") && text.charAt(17) != '6' && t.fractionDigits() <= 9) {
          assertThat(t.instant()).as(text).isEqualTo(Instant.parse(text));
        }
      } catch (IllegalArgumentException e) {
        actual = false;
      }
      assertThat(actual).as(text).isEqualTo(expected);
      accepted += actual ? 1 : 0;
    }
    assertThat(accepted).isGreaterThan(1_000);
  }

  private static boolean realAndNotTooPrecise(String text) {
    int dot = text.indexOf('.');
    if (dot >= 0
        && !text.substring(dot + 1, text.length() - 1)
            .substring(Math.min(9, text.length() - dot - 2))
            .chars()
            .allMatch(c -> c == '0')) {
      return false;
    }
    try {
      LocalDate.of(
          Integer.parseInt(text.substring(0, 4)),
          Integer.parseInt(text.substring(5, 7)),
          Integer.parseInt(text.substring(8, 10)));
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  @Test
  void acceptsLeapDaysAndNanosecondsPaddedWithZeros() {
    assertThat(StixTimestamp.parse("2024-02-29T00:00:00Z").instant())
        .isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    assertThat(StixTimestamp.parse("2000-02-29T00:00:00.1234567890000Z").instant().getNano())
        .isEqualTo(123_456_789);
  }

  @Test
  void sortKeysOrderInstantsWhateverThePrecision() {
    List<String> texts =
        List.of(
            "2020-01-01T00:00:00.1Z",
            "2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00.000001Z",
            "2020-01-01T00:00:00.09Z",
            "2019-12-31T23:59:59.999999999Z",
            "2020-01-01T00:00:00.100000001Z");
    List<String> byKey = new ArrayList<>();
    List<StixTimestamp> parsed = new ArrayList<>();
    for (String t : texts) {
      parsed.add(StixTimestamp.parse(t));
      byKey.add(StixTimestamp.parse(t).sortKey());
    }
    Collections.sort(byKey);
    Collections.sort(parsed);
    assertThat(byKey).isEqualTo(parsed.stream().map(StixTimestamp::sortKey).toList());
    assertThat(parsed.get(0).text()).isEqualTo("2019-12-31T23:59:59.999999999Z");
    assertThat(parsed.get(5).text()).isEqualTo("2020-01-01T00:00:00.100000001Z");
  }

  @Test
  void equalInstantsHaveEqualSortKeys() {
    assertThat(StixTimestamp.parse("2020-01-01T00:00:00.1Z").sortKey())
        .isEqualTo(StixTimestamp.parse("2020-01-01T00:00:00.100000Z").sortKey());
    String key = StixTimestamp.parse("2020-01-01T00:00:00.1Z").sortKey();
    assertThat(StixTimestamp.fromSortKey(key)).isEqualTo(Instant.parse("2020-01-01T00:00:00.1Z"));
  }

  @Test
  void writesMillisecondAndMicrosecondForms() {
    Instant i = Instant.parse("2020-01-01T00:00:00.123456789Z");
    assertThat(StixTimestamp.of(i, 3).text()).isEqualTo("2020-01-01T00:00:00.123Z");
    assertThat(StixTimestamp.of(i, 6).text()).isEqualTo("2020-01-01T00:00:00.123456Z");
    assertThat(StixTimestamp.taxii(i)).isEqualTo("2020-01-01T00:00:00.123456Z");
  }
}
