package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.entente.stix.StixJson;

/**
 * Valid objects of every type (valid-objects.json) and a tiny edit language to derive variants:
 * {@code -path} removes, {@code path=json} sets; paths are dotted keys with {@code [n]} indexes; a
 * backtick stands for a double quote so values stay readable in Java strings.
 */
final class Fixtures {
  static final String UUID = "9c3a4f4e-1111-4e2a-8b3c-0123456789ab";
  static final String TLP_WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
  static final String TLP2_EXT = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

  private static final ObjectNode ALL = load();

  private Fixtures() {}

  private static ObjectNode load() {
    try (InputStream in = Fixtures.class.getResourceAsStream("valid-objects.json")) {
      return (ObjectNode) StixJson.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> names() {
    List<String> names = new ArrayList<>();
    ALL.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static ObjectNode get(String name) {
    JsonNode o = ALL.get(name);
    if (o == null) {
      throw new IllegalArgumentException("no fixture " + name);
    }
    return (ObjectNode) o.deepCopy();
  }

  /** A fixture with edits applied; {@code %U} is a v4 UUID, {@code %ID} the fixture's id. */
  static ObjectNode edited(String name, String... edits) {
    ObjectNode o = get(name);
    String id = o.path("id").asText();
    for (String edit : edits) {
      String e = edit.replace("%ID", id).replace("%U", UUID).replace('`', '"');
      if (e.startsWith("-")) {
        remove(o, e.substring(1));
      } else {
        int eq = e.indexOf('=');
        set(o, e.substring(0, eq), StixJson.parse(e.substring(eq + 1)));
      }
    }
    return o;
  }

  private static List<Object> steps(String path) {
    List<Object> steps = new ArrayList<>();
    for (String part : path.split("\\.")) {
      int b = part.indexOf('[');
      String key = b < 0 ? part : part.substring(0, b);
      if (!key.isEmpty()) {
        steps.add(key);
      }
      while (b >= 0) {
        int close = part.indexOf(']', b);
        steps.add(Integer.parseInt(part.substring(b + 1, close)));
        b = part.indexOf('[', close);
      }
    }
    return steps;
  }

  private static JsonNode parent(JsonNode root, List<Object> steps) {
    JsonNode cur = root;
    for (Object s : steps.subList(0, steps.size() - 1)) {
      cur = s instanceof Integer i ? cur.get(i) : cur.get((String) s);
      if (cur == null) {
        throw new IllegalArgumentException("no such path step " + s);
      }
    }
    return cur;
  }

  private static void remove(ObjectNode o, String path) {
    List<Object> steps = steps(path);
    JsonNode p = parent(o, steps);
    Object last = steps.get(steps.size() - 1);
    JsonNode removed =
        last instanceof Integer i
            ? ((ArrayNode) p).remove(i)
            : ((ObjectNode) p).remove((String) last);
    if (removed == null) {
      throw new IllegalArgumentException("nothing to remove at " + path);
    }
  }

  private static void set(ObjectNode o, String path, JsonNode value) {
    List<Object> steps = steps(path);
    JsonNode p = parent(o, steps);
    Object last = steps.get(steps.size() - 1);
    if (last instanceof Integer i) {
      ((ArrayNode) p).set(i, value);
    } else {
      ((ObjectNode) p).set((String) last, value);
    }
  }
}
