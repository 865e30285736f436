package org.entente.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeqRangesTest {
  @Test
  void consecutiveSeqsBecomeOneRange() {
    SeqRanges r = new SeqRanges();
    assertThat(r.isEmpty()).isTrue();
    assertThat(r.toString()).isEmpty();
    for (long s = 5; s <= 1004; s++) {
      r.add(s);
    }
    r.add(1010).add(1012).add(1013);
    assertThat(r.toString()).isEqualTo("5-1004,1010,1012-1013");
    assertThat(SeqRanges.parse("5-1004,1010,1012-1013"))
        .hasSize(1003)
        .startsWith(5, 6)
        .endsWith(1010, 1012, 1013);
  }

  @Test
  void anySequenceOfSeqsSurvivesTheRoundTripInItsOrder() {
    SplittableRandom random = new SplittableRandom(17);
    for (int run = 0; run < 2_000; run++) {
      long[] seqs = new long[random.nextInt(0, 300)];
      long s = random.nextLong(1, 1L << 40);
      for (int i = 0; i < seqs.length; i++) {
        // mostly ascending runs, with gaps, repeats and steps back
        s = Math.max(1, s + random.nextInt(-3, 12) / 4);
        seqs[i] = s;
      }
      SeqRanges r = new SeqRanges();
      Arrays.stream(seqs).forEach(r::add);
      assertThat(SeqRanges.parse(r.toString())).as(r.toString()).containsExactly(seqs);
    }
  }

  @Test
  void textThatIsNotRangesOfPositiveSeqsIsRefused() {
    for (String bad :
        new String[] {
          ",",
          "1,",
          ",1",
          "1-",
          "-1",
          "0",
          "3-2",
          "1--2",
          "a",
          "1 ,2",
          "+1",
          "١",
          "1-1000001",
          "9223372036854775807"
        }) {
      assertThatThrownBy(() -> SeqRanges.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new SeqRanges().add(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(SeqRanges.parse("")).isEmpty();
  }
}
