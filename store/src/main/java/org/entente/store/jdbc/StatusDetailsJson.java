package org.entente.store.jdbc;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
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

  /**
   * Written straight into one buffer, not through a generator or a tree: the single writer renders
   * one per submission, with thousands of details in a large POST. Ids and versions are plain ASCII
   * and copied as they are; any string that is not is escaped by Jackson's encoder.
   */
  public static String write(List<Detail> successes, List<Detail> failures, List<Detail> pendings) {
    StringBuilder out = new StringBuilder(40 + 96 * (successes.size() + failures.size()));
    out.append('{');
    array(out, "successes", successes);
    out.append(',');
    array(out, "failures", failures);
    out.append(',');
    array(out, "pendings", pendings);
    return out.append('}').toString();
  }

  public static Details read(String json) {
    JsonNode root = StixJson.parse(json);
    return new Details(
        list(root.get("successes")), list(root.get("failures")), list(root.get("pendings")));
  }

  private static void array(StringBuilder out, String name, List<Detail> details) {
    out.append('"').append(name).append("\":[");
    for (int i = 0; i < details.size(); i++) {
      Detail d = details.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"id\":");
      string(out, d.id());
      out.append(",\"version\":");
      string(out, d.version());
      if (d.message() != null) {
        out.append(",\"message\":");
        string(out, d.message());
      }
      out.append('}');
    }
    out.append(']');
  }

  private static void string(StringBuilder out, String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    if (plain(s)) {
      out.append(s);
    } else {
      JsonStringEncoder.getInstance().quoteAsString(s, out);
    }
    out.append('"');
  }

  /** Printable ASCII with nothing JSON escapes. */
  private static boolean plain(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
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
