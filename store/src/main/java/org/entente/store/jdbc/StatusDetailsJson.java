package org.entente.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.entente.stix.StixJson;
import org.entente.store.StatusRecord.Detail;

/**
 * The details column of a status: the three detail lists as one JSON document, because a status is
 * always read and replaced whole (and a large POST has thousands of details).
 */
public final class StatusDetailsJson {
  private StatusDetailsJson() {}

  public record Details(List<Detail> successes, List<Detail> failures, List<Detail> pendings) {}

  /** Streamed, not built as a tree: the single writer renders one per submission. */
  public static String write(List<Detail> successes, List<Detail> failures, List<Detail> pendings) {
    StringWriter out = new StringWriter(64 * (successes.size() + failures.size() + 2));
    try (JsonGenerator g = StixJson.mapper().getFactory().createGenerator(out)) {
      g.writeStartObject();
      array(g, "successes", successes);
      array(g, "failures", failures);
      array(g, "pendings", pendings);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static Details read(String json) {
    JsonNode root = StixJson.parse(json);
    return new Details(
        list(root.get("successes")), list(root.get("failures")), list(root.get("pendings")));
  }

  private static void array(JsonGenerator g, String name, List<Detail> details) throws IOException {
    g.writeArrayFieldStart(name);
    for (Detail d : details) {
      g.writeStartObject();
      g.writeStringField("id", d.id());
      g.writeStringField("version", d.version());
      if (d.message() != null) {
        g.writeStringField("message", d.message());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
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
