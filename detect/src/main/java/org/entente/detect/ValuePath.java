package org.entente.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.entente.stix.pattern.ObjectPath;

/**
 * An object path in the index's canonical form, and the walk that collects its canonical leaf
 * values from an SCO. Canonical forms widen equality where that is cheap and safe (candidates need
 * only be a superset): every list index becomes {@code [*]}, hash algorithm names lose case and
 * hyphens ({@code SHA-256} = {@code sha256}) and hash values lose case.
 */
record ValuePath(String type, List<ObjectPath.Step> steps, String id, boolean bytes, boolean hash) {
  /** Bounds a walk through references, so that a cycle of {@code _ref}s cannot loop. */
  private static final int MAX_DEREFS = 4;

  static ValuePath of(ObjectPath path) {
    List<ObjectPath.Step> steps = new ArrayList<>(path.steps().size());
    boolean afterHashes = false;
    for (ObjectPath.Step s : path.steps()) {
      if (s instanceof ObjectPath.Key k) {
        steps.add(afterHashes ? new ObjectPath.Key(hashName(k.name())) : k);
        afterHashes = k.name().equals("hashes");
      } else {
        steps.add(new ObjectPath.AnyIndex());
        afterHashes = false;
      }
    }
    int n = steps.size();
    String last = steps.get(n - 1) instanceof ObjectPath.Key k ? k.name() : "";
    boolean hash =
        n >= 2 && steps.get(n - 2) instanceof ObjectPath.Key h && h.name().equals("hashes");
    boolean bytes = last.endsWith("_bin") || last.endsWith("_hex");
    String id = new ObjectPath(path.objectType(), steps).render();
    return new ValuePath(path.objectType(), List.copyOf(steps), id, bytes, hash);
  }

  static String hashName(String name) {
    return name.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /**
   * A canonical leaf: tag {@code s} (text; hash values lower-cased), {@code n} (number, plain
   * decimal without trailing zeros), {@code b} (boolean) or {@code x} (octets as lower-case hex).
   * Passed as two arguments so that the hot path allocates nothing.
   */
  @FunctionalInterface
  interface LeafSink {
    void accept(char tag, String value);
  }

  /** Calls {@code sink} with the canonical form of every scalar value the path reaches. */
  void forEachValue(JsonNode root, Map<String, JsonNode> objects, LeafSink sink) {
    walk(root, 0, null, 0, objects, sink);
  }

  /** Calls {@code sink} with every raw text value the path reaches (for CIDR tests). */
  void forEachText(JsonNode root, Map<String, JsonNode> objects, Consumer<String> sink) {
    walk(
        root,
        0,
        null,
        0,
        objects,
        (tag, v) -> {
          if (tag == 's') {
            sink.accept(v);
          }
        });
  }

  private void walk(
      JsonNode node,
      int i,
      String prevKey,
      int derefs,
      Map<String, JsonNode> objects,
      LeafSink sink) {
    if (i == steps.size()) {
      leaf(node, sink);
      return;
    }
    ObjectPath.Step step = steps.get(i);
    if (node.isTextual()
        && step instanceof ObjectPath.Key
        && prevKey != null
        && (prevKey.endsWith("_ref") || prevKey.endsWith("_refs"))) {
      // Only ids inside the same observation can be followed; anything else counts as missing.
      JsonNode target = objects.get(node.textValue());
      if (target != null && derefs < MAX_DEREFS) {
        walk(target, i, null, derefs + 1, objects, sink);
      }
      return;
    }
    if (step instanceof ObjectPath.Key k) {
      if (!node.isObject()) {
        return;
      }
      if ("hashes".equals(prevKey)) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (hashName(e.getKey()).equals(k.name())) {
            walk(e.getValue(), i + 1, k.name(), derefs, objects, sink);
          }
        }
        return;
      }
      JsonNode child = node.get(k.name());
      if (child != null) {
        walk(child, i + 1, k.name(), derefs, objects, sink);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        walk(element, i + 1, prevKey, derefs, objects, sink);
      }
    }
  }

  /** Passes the canonical leaf value on; containers and nulls have none (comparisons are false). */
  private void leaf(JsonNode node, LeafSink sink) {
    if (node.isTextual()) {
      String s = node.textValue();
      if (bytes) {
        String hex = bytesOf(s);
        if (hex != null) {
          sink.accept('x', hex);
        }
      } else {
        sink.accept('s', hash ? s.toLowerCase(Locale.ROOT) : s);
      }
    } else if (node.isNumber()) {
      sink.accept('n', number(node.decimalValue()));
    } else if (node.isBoolean()) {
      sink.accept('b', String.valueOf(node.booleanValue()));
    }
  }

  /** A {@code _bin} property holds base64, a {@code _hex} property hex: both compare as octets. */
  private String bytesOf(String s) {
    try {
      ObjectPath.Step last = steps.get(steps.size() - 1);
      byte[] b =
          ((ObjectPath.Key) last).name().endsWith("_bin")
              ? Base64.getDecoder().decode(s)
              : HexFormat.of().parseHex(s);
      return HexFormat.of().formatHex(b);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String number(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }
}
