package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
