package org.entente.stix.marking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TlpTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "clear, CLEAR",
    "white, CLEAR",
    "TLP:WHITE, CLEAR",
    "TLP:CLEAR, CLEAR",
    "green, GREEN",
    "Green, GREEN",
    "tlp:green, GREEN",
    "amber, AMBER",
    "TLP:AMBER, AMBER",
    "amber+strict, AMBER_STRICT",
    "TLP:AMBER+STRICT, AMBER_STRICT",
    "RED, RED",
    "' tlp: red ', RED",
  })
  void parsesLabels(String text, Tlp expected) {
    assertThat(Tlp.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "amber strict", "TLP:", "orange", "TLP-RED", "amber+"})
  void rejectsOtherLabels(String text) {
    assertThatThrownBy(() -> Tlp.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ordersByRestrictiveness() {
    assertThat(Tlp.values())
        .containsExactly(Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED);
    assertThat(Tlp.RED.isMoreRestrictiveThan(Tlp.AMBER_STRICT)).isTrue();
    assertThat(Tlp.AMBER_STRICT.isMoreRestrictiveThan(Tlp.AMBER)).isTrue();
    assertThat(Tlp.CLEAR.isMoreRestrictiveThan(Tlp.GREEN)).isFalse();
  }

  @Test
  void labelsAreTheWrittenForm() {
    assertThat(Tlp.AMBER_STRICT.label()).isEqualTo("TLP:AMBER+STRICT");
    assertThat(Tlp.CLEAR.label()).isEqualTo("TLP:CLEAR");
  }
}
