package org.entente.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.entente.stix.StixJson;
import org.entente.store.StatusRecord.Detail;

/**
 * The details column of a status: the three detail lists as one JSON document, because a status is
 * always read and replaced whole (and a large POST has thousands of details).
 */
final class StatusDetailsJson {
  private StatusDetailsJson() {}

  record Details(List<Detail> successes, List<Detail> failures, List<Detail> pendings) {}

  static String write(List<Detail> successes, List<Detail> failures, List<Detail> pendings) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.set("successes", array(successes));
    root.set("failures", array(failures));
    root.set("pendings", array(pendings));
    return StixJson.write(root);
  }

  static Details read(String json) {
    JsonNode root = StixJson.parse(json);
    return new Details(
        list(root.get("successes")), list(root.get("failures")), list(root.get("pendings")));
  }

  private static ArrayNode array(List<Detail> details) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode(details.size());
    for (Detail d : details) {
      ObjectNode o = array.addObject();
      o.put("id", d.id());
      o.put("version", d.version());
      if (d.message() != null) {
        o.put("message", d.message());
      }
    }
    return array;
  }

  private static List<Detail> list(JsonNode array) {
    List<Detail> details = new ArrayList<>();
    if (array == null) {
      return details;
    }
    for (JsonNode d : array) {
      details.add(new Detail(text(d, "id"), text(d, "version"), text(d, "message")));
    }
    return details;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
