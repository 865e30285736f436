package org.entente.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakTrendTest {
  @Test
  void aLevelSeriesIsFlatAndAClimbingOneIsNot() {
    Soak.Trend level =
        Soak.Trend.of(List.of(p(5, 500), p(6, 510), p(7, 495), p(8, 505), p(9, 500)));
    assertThat(level.flat(16)).isTrue();
    // 10 MiB a minute: 100 MiB per ten minutes, a fifth of the mean.
    Soak.Trend climbing = Soak.Trend.of(List.of(p(5, 500), p(6, 510), p(7, 520), p(8, 530)));
    assertThat(climbing.slope()).isEqualTo(10.0);
    assertThat(climbing.flat(16)).isFalse();
  }

  @Test
  void noVerdictFromTooFewSamplesOrMissingOnes() {
    Soak.Trend few = Soak.Trend.of(List.of(p(5, 500), p(6, Double.NaN), p(7, 900)));
    assertThat(few.samples()).isEqualTo(2);
    assertThat(few.judged()).isFalse();
    assertThat(few.flat(16)).isFalse();
  }

  private static double[] p(double minute, double mib) {
    return new double[] {minute, mib};
  }
}
