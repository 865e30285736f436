package org.entente.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.entente.stix.StixJson;
import org.entente.stix.validate.StixValidator;
import org.junit.jupiter.api.Test;

/** The benchmark inputs are what they claim: valid STIX, and fresh ids on every copy. */
class CorpusTest {
  private final StixValidator validator = new StixValidator();

  @Test
  void syntheticCorpusIsValidStix() {
    Corpus c = Corpus.synthetic(500);
    assertThat(c.size()).isEqualTo(500);
    for (byte[] json : c.jsonBytes()) {
      JsonNode node = StixJson.parse(json);
      assertThat(validator.validate(node).valid()).as(node.toString()).isTrue();
    }
  }

  @Test
  void freshCopiesGetNewIdsAndKeepTheirReferencesConsistent() {
    Corpus c = Corpus.synthetic(200);
    Set<String> originals = new HashSet<>();
    c.objects().forEach(o -> originals.add(o.get("id").asText()));
    Iterator<Corpus.Fresh> fresh = c.freshCopies();
    List<JsonNode> twoCopies = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 2 * c.size(); i++) {
      Corpus.Fresh f = fresh.next();
      JsonNode node = StixJson.parse(f.json());
      assertThat(node.get("id").asText()).isEqualTo(f.id());
      assertThat(validator.validate(node).valid()).as(node.toString()).isTrue();
      twoCopies.add(node);
      ids.add(f.id());
    }
    assertThat(ids).hasSize(2 * c.size()).doesNotContainAnyElementsOf(originals);
    // Every reference in a copy points at an object of that same copy.
    for (int copy = 0; copy < 2; copy++) {
      Set<String> own = new HashSet<>();
      List<JsonNode> objects = twoCopies.subList(copy * c.size(), (copy + 1) * c.size());
      objects.forEach(o -> own.add(o.get("id").asText()));
      for (JsonNode o : objects) {
        for (String ref : List.of("created_by_ref", "source_ref", "target_ref")) {
          if (o.has(ref)) {
            assertThat(own).contains(o.get(ref).asText());
          }
        }
      }
    }
  }

  @Test
  void envelopeIsATaxiiEnvelopeOfTheObjects() {
    List<byte[]> objects = Corpus.synthetic(3).jsonBytes();
    JsonNode envelope = StixJson.parse(Corpus.envelope(objects));
    assertThat(envelope.get("objects")).hasSize(3);
    assertThat(validator.validateDocument(envelope).valid()).isTrue();
  }
}
