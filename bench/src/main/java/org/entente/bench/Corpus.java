package org.entente.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.entente.stix.StixJson;

/**
 * A list of STIX objects to benchmark with: the ATT&CK enterprise bundle when the shared data is
 * present, else a synthetic mix of identities, malware, indicators and relationships.
 */
final class Corpus {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final String description;
  private final List<ObjectNode> objects;

  private Corpus(String description, List<ObjectNode> objects) {
    this.description = description;
    this.objects = List.copyOf(objects);
  }

  /**
   * ATT&CK if it can be read, otherwise the synthetic corpus; says on stderr which and why, so a
   * run without the shared data is visibly a different measurement, not a silent one.
   */
  static Corpus load(String wanted) {
    if ("synthetic".equals(wanted)) {
      return synthetic(25_000);
    }
    Optional<Path> bundle = SharedData.attackBundle();
    if (bundle.isEmpty()) {
      System.err.printf(
          "[bench] ATT&CK bundle not found at %s (set -D%s=DIR); using the synthetic corpus"
              + " instead%n",
          SharedData.dir().resolve(SharedData.ATTACK_BUNDLE), SharedData.PROPERTY);
      return synthetic(25_000);
    }
    return attack(bundle.get());
  }

  static Corpus attack(Path gz) {
    JsonNode bundle;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
      bundle = StixJson.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + gz, e);
    }
    List<ObjectNode> list = new ArrayList<>();
    for (JsonNode o : bundle.get("objects")) {
      list.add((ObjectNode) o);
    }
    return new Corpus("ATT&CK enterprise 18.1 (" + gz + ")", list);
  }

  /**
   * A deterministic, valid mix roughly shaped like an indicator feed: 2% identities, 4% malware,
   * 64% indicators (IPv4, domain, URL, SHA-256 patterns) and 30% "indicates" relationships.
   */
  static Corpus synthetic(int count) {
    Random random = new Random(20_261_127L);
    List<ObjectNode> list = new ArrayList<>(count);
    List<String> identities = new ArrayList<>();
    List<String> malware = new ArrayList<>();
    List<String> indicators = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int slot = i % 50;
      String created =
          String.format("2026-%02d-%02dT%02d:00:00.000Z", 1 + i % 12, 1 + i % 28, i % 24);
      ObjectNode o;
      if (slot == 0 || identities.isEmpty()) {
        o = sdo("identity", random, created);
        o.put("name", "Organisation " + i);
        o.put("identity_class", "organization");
        identities.add(o.get("id").asText());
      } else if (slot <= 2 || malware.isEmpty()) {
        o = sdo("malware", random, created);
        o.put("name", "family-" + i);
        o.put("is_family", true);
        o.set("malware_types", NODES.arrayNode().add("remote-access-trojan"));
        malware.add(o.get("id").asText());
      } else if (slot <= 34 || indicators.isEmpty()) {
        o = sdo("indicator", random, created);
        o.put("name", "synthetic indicator " + i);
        o.put("pattern", pattern(i, random));
        o.put("pattern_type", "stix");
        o.put("valid_from", created);
        o.set("indicator_types", NODES.arrayNode().add("malicious-activity"));
        indicators.add(o.get("id").asText());
      } else {
        o = sdo("relationship", random, created);
        o.put("relationship_type", "indicates");
        o.put("source_ref", indicators.get(random.nextInt(indicators.size())));
        o.put("target_ref", malware.get(random.nextInt(malware.size())));
      }
      if (!identities.isEmpty() && !"identity".equals(o.get("type").asText())) {
        o.put("created_by_ref", identities.get(random.nextInt(identities.size())));
      }
      list.add(o);
    }
    return new Corpus("synthetic (" + count + " objects)", list);
  }

  private static ObjectNode sdo(String type, Random random, String created) {
    ObjectNode o = NODES.objectNode();
    o.put("type", type);
    o.put("spec_version", "2.1");
    o.put("id", type + "--" + uuid4(random));
    o.put("created", created);
    o.put("modified", created);
    return o;
  }

  /** A version-4, RFC 4122 variant UUID (STIX requires a compliant one) from the given source. */
  static String uuid4(Random random) {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** A STIX timestamp with exactly millisecond precision (Instant.toString drops zero fields). */
  static String timestamp(Instant t) {
    return MILLIS.format(t);
  }

  private static String pattern(int i, Random random) {
    switch (i % 4) {
      case 0:
        return String.format(
            "[ipv4-addr:value = '%d.%d.%d.%d']",
            1 + random.nextInt(223), random.nextInt(256), random.nextInt(256), random.nextInt(256));
      case 1:
        return "[domain-name:value = 'host" + i + ".example.net']";
      case 2:
        return "[url:value = 'http://files" + i + ".example.org/payload/" + i + ".bin']";
      default:
        StringBuilder hex = new StringBuilder(64);
        for (int k = 0; k < 4; k++) {
          hex.append(String.format("%016x", random.nextLong()));
        }
        return "[file:hashes.'SHA-256' = '" + hex + "']";
    }
  }

  String description() {
    return description;
  }

  int size() {
    return objects.size();
  }

  /** The objects as parsed; callers must not modify them. */
  List<ObjectNode> objects() {
    return objects;
  }

  /** Each object as compact JSON bytes, as a client would send it. */
  List<byte[]> jsonBytes() {
    List<byte[]> out = new ArrayList<>(objects.size());
    for (ObjectNode o : objects) {
      out.add(StixJson.writeBytes(o));
    }
    return out;
  }

  /**
   * An endless stream of fresh copies of the corpus: each copy gives every object a new random id
   * and rewrites references to it, so every envelope adds new data to the store and the copy keeps
   * ATT&CK's graph intact. Marking definitions are left out and still referenced by their original
   * ids: predefined markings (TLP) have fixed ids, and references need not resolve.
   */
  Iterator<Fresh> freshCopies() {
    List<ObjectNode> copyable =
        objects.stream()
            .filter(o -> !"marking-definition".equals(o.path("type").asText()))
            .toList();
    return new Iterator<>() {
      private final Random random = new Random();
      private Map<String, String> ids = Map.of();
      private int next = copyable.size();

      @Override
      public boolean hasNext() {
        return !copyable.isEmpty();
      }

      @Override
      public Fresh next() {
        if (next == copyable.size()) {
          ids = new HashMap<>();
          for (ObjectNode o : copyable) {
            String id = o.get("id").asText();
            String type = id.substring(0, id.indexOf("--"));
            ids.put(id, type + "--" + uuid4(random));
          }
          next = 0;
        }
        JsonNode copy = rewrite(copyable.get(next++), ids);
        return new Fresh(copy.get("id").asText(), StixJson.writeBytes(copy));
      }
    };
  }

  /** One re-identified object: its new id and its compact JSON. */
  record Fresh(String id, byte[] json) {}

  /** A deep copy with every string equal to a mapped id replaced, at any depth. */
  private static JsonNode rewrite(JsonNode node, Map<String, String> ids) {
    if (node.isTextual()) {
      String replacement = ids.get(node.asText());
      return replacement == null ? node : TextNode.valueOf(replacement);
    }
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), rewrite(e.getValue(), ids)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode(node.size());
      node.forEach(e -> copy.add(rewrite(e, ids)));
      return copy;
    }
    return node;
  }

  /** {@code {"objects":[...]}} from already-serialised objects, without re-parsing them. */
  static byte[] envelope(List<byte[]> objects) {
    int size = 14;
    for (byte[] o : objects) {
      size += o.length + 1;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes("{\"objects\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (int i = 0; i < objects.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(objects.get(i));
    }
    out.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
