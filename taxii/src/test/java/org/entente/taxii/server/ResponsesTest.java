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

  @Test
  void jsonStringsAreValidJsonWhateverTheyHold() throws Exception {
    String[][] cases = {
      {"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "@", "2021-01-01T00:00:00.000Z"},
      {"x-\"quoted\"", "@", "back\\slash"},
      {"tab\there", "@", "new\nline \u0001"},
      {"caf\u00e9", "@", "\ud83d\ude00"},
      {"", "", ""},
    };
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String[] parts : cases) {
      String s = String.join("", parts);
      assertThat(mapper.readTree("[" + Responses.jsonString(s) + "]").get(0).asText()).isEqualTo(s);
    }
  }
}
