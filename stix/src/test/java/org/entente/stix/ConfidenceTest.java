package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.entente.stix.Confidence.Scale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfidenceTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "NONE_LOW_MED_HIGH, None, 0",
    "NONE_LOW_MED_HIGH, Low, 15",
    "NONE_LOW_MED_HIGH, med, 50",
    "NONE_LOW_MED_HIGH, HIGH, 85",
    "ZERO_TEN, 0, 0",
    "ZERO_TEN, 1, 10",
    "ZERO_TEN, 7, 70",
    "ZERO_TEN, 10, 100",
    "ADMIRALTY_CREDIBILITY, 5 - Improbable, 10",
    "ADMIRALTY_CREDIBILITY, 4 - Doubtful, 30",
    "ADMIRALTY_CREDIBILITY, 3, 50",
    "ADMIRALTY_CREDIBILITY, Probably True, 70",
    "ADMIRALTY_CREDIBILITY, 1 - Confirmed by other sources, 90",
    "WEP, Impossible, 0",
    "WEP, Highly Unlikely/Almost Certainly Not, 10",
    "WEP, almost certainly not, 10",
    "WEP, Unlikely, 30",
    "WEP, Probably Not, 30",
    "WEP, Even Chance, 50",
    "WEP, Likely, 70",
    "WEP, Probable, 70",
    "WEP, Highly likely/Almost Certain, 90",
    "WEP, Certain, 100",
    "DNI, Almost No Chance / Remote, 5",
    "DNI, Remote, 5",
    "DNI, Very Unlikely / Highly Improbable, 15",
    "DNI, Unlikely / Improbable, 30",
    "DNI, Roughly Even Odds, 50",
    "DNI, Likely / Probable, 70",
    "DNI, Very Likely, 85",
    "DNI, Almost Certain / Nearly Certain, 95",
  })
  void mapsScaleValuesToStoredValues(Scale scale, String label, int stored) {
    assertThat(Confidence.toValue(scale, label)).hasValue(stored);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "NONE_LOW_MED_HIGH, 0, None",
    "NONE_LOW_MED_HIGH, 1, Low",
    "NONE_LOW_MED_HIGH, 29, Low",
    "NONE_LOW_MED_HIGH, 30, Med",
    "NONE_LOW_MED_HIGH, 69, Med",
    "NONE_LOW_MED_HIGH, 70, High",
    "NONE_LOW_MED_HIGH, 100, High",
    "ZERO_TEN, 0, 0",
    "ZERO_TEN, 4, 0",
    "ZERO_TEN, 5, 1",
    "ZERO_TEN, 14, 1",
    "ZERO_TEN, 15, 2",
    "ZERO_TEN, 94, 9",
    "ZERO_TEN, 95, 10",
    "ZERO_TEN, 100, 10",
    "ADMIRALTY_CREDIBILITY, 0, 5 - Improbable",
    "ADMIRALTY_CREDIBILITY, 19, 5 - Improbable",
    "ADMIRALTY_CREDIBILITY, 20, 4 - Doubtful",
    "ADMIRALTY_CREDIBILITY, 59, 3 - Possibly True",
    "ADMIRALTY_CREDIBILITY, 60, 2 - Probably True",
    "ADMIRALTY_CREDIBILITY, 80, 1 - Confirmed by other sources",
    "ADMIRALTY_CREDIBILITY, 100, 1 - Confirmed by other sources",
    "WEP, 0, Impossible",
    "WEP, 1, Highly Unlikely/Almost Certainly Not",
    "WEP, 20, Unlikely/Probably Not",
    "WEP, 40, Even Chance",
    "WEP, 79, Likely/Probable",
    "WEP, 99, Highly likely/Almost Certain",
    "WEP, 100, Certain",
    "DNI, 0, Almost No Chance / Remote",
    "DNI, 9, Almost No Chance / Remote",
    "DNI, 10, Very Unlikely / Highly Improbable",
    "DNI, 39, Unlikely / Improbable",
    "DNI, 59, Roughly Even Chance / Roughly Even Odds",
    "DNI, 60, Likely / Probable",
    "DNI, 89, Very Likely / Highly Probable",
    "DNI, 90, Almost Certain / Nearly Certain",
    "DNI, 100, Almost Certain / Nearly Certain",
  })
  void mapsStoredValuesBackToScaleValues(Scale scale, int stored, String label) {
    assertThat(Confidence.toLabel(scale, stored)).isEqualTo(label);
  }

  @Test
  void everyStoredValueMapsBackToItself() {
    for (Scale scale : Scale.values()) {
      for (int v = 0; v <= 100; v++) {
        OptionalInt back = Confidence.toValue(scale, Confidence.toLabel(scale, v));
        assertThat(back).isPresent();
        assertThat(Confidence.toLabel(scale, back.getAsInt()))
            .isEqualTo(Confidence.toLabel(scale, v));
      }
    }
  }

  @Test
  void admiraltySixMeansNotSpecified() {
    assertThat(Confidence.toValue(Scale.ADMIRALTY_CREDIBILITY, "6 - Truth cannot be judged"))
        .isEmpty();
    assertThat(Confidence.toValue(Scale.ADMIRALTY_CREDIBILITY, "6")).isEmpty();
  }

  @Test
  void rejectsUnknownLabelsAndOutOfRangeValues() {
    assertThatThrownBy(() -> Confidence.toValue(Scale.WEP, "maybe"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Confidence.toLabel(Scale.DNI, 101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Confidence.toLabel(Scale.DNI, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
