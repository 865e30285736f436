package org.entente.stix.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyntaxTest {

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource({
    "2020-01-01T00:00:00Z, 2020-01-01T00:00:00.000Z, 0",
    "2020-01-01T00:00:00.1Z, 2020-01-01T00:00:00.09Z, 1",
    "2020-01-01T00:00:00.000001Z, 2020-01-01T00:00:00Z, 1",
    "2019-12-31T23:59:60Z, 2020-01-01T00:00:00Z, -1",
    "2019-12-31T23:59:60Z, 2019-12-31T23:59:59.999Z, 1",
  })
  void comparesTimestampsAcrossPrecisions(String a, String b, int sign) {
    assertThat(Integer.signum(Syntax.compareTimestamps(a, b))).isEqualTo(sign);
    assertThat(Integer.signum(Syntax.compareTimestamps(b, a))).isEqualTo(-sign);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "x-mitre-tactic--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F",
        "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
      })
  void recognisesIdentifiers(String id) {
    assertThat(Syntax.identifierTypeLength(id)).isEqualTo(id.indexOf("--"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "in--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "x---8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f",
        "indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f",
        "indicator--8e2e2d2b17d4-4cbf-938f-98ee46b3cd3fa",
        "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3g",
        "",
      })
  void rejectsMalformedIdentifiers(String id) {
    assertThat(Syntax.identifierTypeLength(id)).isNegative();
  }

  @Test
  void checksNamesHexAndBase64() {
    assertThat(Syntax.isPropertyName("x_mitre_version")).isTrue();
    assertThat(Syntax.isPropertyName("id")).isFalse();
    assertThat(Syntax.isPropertyName("9lives")).isFalse();
    assertThat(Syntax.isTypeName("x-mitre-tactic")).isTrue();
    assertThat(Syntax.isTypeName("x-custom-")).isTrue();
    assertThat(Syntax.isTypeName("x--custom")).isFalse();
    assertThat(Syntax.isHex("0aF9")).isTrue();
    assertThat(Syntax.isHex("0aF")).isFalse();
    assertThat(Syntax.isBase64("aGVsbG8=")).isTrue();
    assertThat(Syntax.isBase64("")).isTrue();
    assertThat(Syntax.isBase64("aGVsbG8")).isFalse();
    assertThat(Syntax.isBase64("aG=sbG8=")).isFalse();
  }
}
