package org.entente.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.entente.stix.StixJson;
import org.entente.stix.validate.StixValidator;
import org.junit.jupiter.api.Test;

/** The load driver's indicators are valid STIX, real values first, and never run out. */
class FeedIndicatorsTest {
  private final StixValidator validator = new StixValidator();

  @Test
  void feedValuesComeFirstQuotedThenGeneratedValues() {
    FeedIndicators feeds =
        new FeedIndicators(
            List.of("198.51.100.7"), List.of("it's.example"), List.of("http://x.example/a\\b"));
    List<ObjectNode> first = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      first.add(feeds.next());
    }
    for (ObjectNode o : first) {
      assertThat(validator.validate(o).valid()).as(o.toString()).isTrue();
    }
    assertThat(first.get(0).get("pattern").asText())
        .isEqualTo("[ipv4-addr:value = '198.51.100.7']");
    assertThat(first.get(1).get("pattern").asText())
        .isEqualTo("[domain-name:value = 'it\\'s.example']");
    assertThat(first.get(3).get("pattern").asText())
        .isEqualTo("[url:value = 'http://x.example/a\\\\b']");
    assertThat(feeds.fromFeeds()).isEqualTo(3);
    assertThat(feeds.generated()).isEqualTo(9);
  }

  @Test
  void againStartsOverWithFreshIds() {
    FeedIndicators feeds = new FeedIndicators(List.of("198.51.100.7"), List.of(), List.of());
    ObjectNode a = feeds.next();
    ObjectNode b = feeds.again().next();
    assertThat(b.get("pattern")).isEqualTo(a.get("pattern"));
    assertThat(b.get("id")).isNotEqualTo(a.get("id"));
  }

  @Test
  void theMixHoldsIndicatorsInTheShareAsked() {
    IngestMix mix =
        new IngestMix(
            Corpus.synthetic(100), new FeedIndicators(List.of(), List.of(), List.of()), 0.25);
    int fromFeeds = 0;
    for (int i = 0; i < 400; i++) {
      JsonNode o = StixJson.parse(mix.next().json());
      // The synthetic corpus has indicators of its own, named apart.
      boolean feed =
          "indicator".equals(o.get("type").asText())
              && !o.get("name").asText().startsWith("synthetic");
      fromFeeds += feed ? 1 : 0;
    }
    assertThat(fromFeeds).isEqualTo(100);
    assertThat(mix.taken()).startsWith("300 corpus copies' objects, 100 indicators");
  }
}
