package org.entente.stix.marking;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TLP level an object version is shared under: the most restrictive TLP marking among its
 * object and granular markings (a part marked above the whole raises the whole), resolved through
 * the well-known TLP 1.0/2.0 ids and through TLP marking-definitions carried in the same envelope;
 * the collection's default level when it carries none.
 */
public final class EffectiveTlp {
  private EffectiveTlp() {}

  /** Ids of the TLP marking-definitions among an envelope's objects, with their levels. */
  public static Map<String, Tlp> markingsIn(Iterable<JsonNode> objects) {
    Map<String, Tlp> out = new HashMap<>();
    for (JsonNode o : objects) {
      if (o != null && "marking-definition".equals(o.path("type").asText())) {
        levelOf(o).ifPresent(t -> out.put(o.path("id").asText(), t));
      }
    }
    return out;
  }

  /** The level a marking-definition object stands for, if it is a TLP marking at all. */
  static Optional<Tlp> levelOf(JsonNode markingDefinition) {
    Optional<Tlp> known = TlpMarkings.ofMarkingId(markingDefinition.path("id").asText());
    if (known.isPresent()) {
      return known;
    }
    JsonNode tlp2 =
        markingDefinition.path("extensions").path(TlpMarkings.TLP2_EXTENSION).path("tlp_2_0");
    JsonNode tlp1 =
        "tlp".equals(markingDefinition.path("definition_type").asText())
            ? markingDefinition.path("definition").path("tlp")
            : null;
    JsonNode label = tlp2.isTextual() ? tlp2 : tlp1;
    if (label == null || !label.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Tlp.parse(label.asText()));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a level we know: the marking does not decide sharing
    }
  }

  /**
   * The effective level of one object.
   *
   * @param envelopeMarkings TLP marking-definitions sent alongside it ({@link #markingsIn})
   * @param collectionDefault the level of unmarked objects in the collection it is posted to
   */
  public static Tlp of(JsonNode object, Map<String, Tlp> envelopeMarkings, Tlp collectionDefault) {
    Tlp best = TlpMarkings.highest(object).orElse(null);
    for (JsonNode ref : refs(object)) {
      Tlp t = envelopeMarkings.get(ref.asText());
      if (t != null && (best == null || t.isMoreRestrictiveThan(best))) {
        best = t;
      }
    }
    return best != null ? best : collectionDefault;
  }

  private static List<JsonNode> refs(JsonNode object) {
    List<JsonNode> out = new ArrayList<>();
    object.path("object_marking_refs").forEach(out::add);
    object
        .path("granular_markings")
        .forEach(
            g -> {
              if (g.hasNonNull("marking_ref")) {
                out.add(g.get("marking_ref"));
              }
            });
    return out;
  }
}
