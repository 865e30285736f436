package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.entente.stix.StixTimestamp;
import org.junit.jupiter.api.Test;

class ResponsesTest {
  @Test
  void timestampsAreExactlyStixTimestampsTaxiiForm() {
    Random r = new Random(11);
    List<Instant> instants =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("2000-02-29T12:00:00.000001Z"),
                Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z")));
    for (int i = 0; i < 100_000; i++) {
      instants.add(
          Instant.ofEpochSecond(
              r.nextLong(-62_167_219_200L, 253_402_300_800L), r.nextInt(1_000_000_000)));
    }
    for (Instant t : instants) {
      assertThat(Responses.timestamp(t)).as(t.toString()).isEqualTo(StixTimestamp.taxii(t));
    }
  }
}
