package org.entente.stix.id;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Deterministic SCO identifiers (spec section 2.9): UUIDv5 in the STIX namespace over the JCS text
 * of the ID-contributing properties that are present.
 *
 * <p>Values are taken as they appear in the JSON; python-stix2 first re-serialises some of them
 * (timestamps, for example), so a producer that rewrites values may get another id.
 */
public final class DeterministicId {
  /** The STIX 2.1 namespace for SCO ids. */
  public static final UUID NAMESPACE = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");

  private static final String[] HASH_PREFERENCE = {"MD5", "SHA-1", "SHA-256", "SHA-512"};

  private static final Map<String, List<String>> CONTRIBUTING =
      Map.ofEntries(
          Map.entry("artifact", List.of("hashes", "payload_bin")),
          Map.entry("autonomous-system", List.of("number")),
          Map.entry("directory", List.of("path")),
          Map.entry("domain-name", List.of("value")),
          Map.entry("email-addr", List.of("value")),
          Map.entry("email-message", List.of("from_ref", "subject", "body")),
          Map.entry("file", List.of("hashes", "name", "extensions", "parent_directory_ref")),
          Map.entry("ipv4-addr", List.of("value")),
          Map.entry("ipv6-addr", List.of("value")),
          Map.entry("mac-addr", List.of("value")),
          Map.entry("mutex", List.of("name")),
          Map.entry(
              "network-traffic",
              List.of(
                  "start",
                  "end",
                  "src_ref",
                  "dst_ref",
                  "src_port",
                  "dst_port",
                  "protocols",
                  "extensions")),
          Map.entry("process", List.of()),
          Map.entry("software", List.of("name", "cpe", "swid", "vendor", "version")),
          Map.entry("url", List.of("value")),
          Map.entry("user-account", List.of("account_type", "user_id", "account_login")),
          Map.entry("windows-registry-key", List.of("key", "values")),
          Map.entry("x509-certificate", List.of("hashes", "serial_number")));

  private DeterministicId() {}

  /** The ID-contributing properties of an SCO type; empty for process and unknown types. */
  public static List<String> contributingProperties(String type) {
    return CONTRIBUTING.getOrDefault(type, List.of());
  }

  /** Whether the SCO has at least one ID-contributing property (else its id must be v4). */
  public static boolean hasContributingProperty(JsonNode sco) {
    JsonNode type = sco.get("type");
    if (type == null || !type.isTextual()) {
      return false;
    }
    for (String p : contributingProperties(type.textValue())) {
      if (sco.has(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The deterministic id of an SCO, or empty when none of its ID-contributing properties is present
   * (or the type has none): such an SCO must get a UUIDv4.
   */
  public static Optional<String> compute(JsonNode sco) {
    JsonNode type = sco.get("type");
    if (type == null || !type.isTextual()) {
      return Optional.empty();
    }
    ObjectNode name = JsonNodeFactory.instance.objectNode();
    for (String p : contributingProperties(type.textValue())) {
      JsonNode v = sco.get(p);
      if (v == null) {
        continue;
      }
      if (p.equals("hashes")) {
        JsonNode one = chooseOneHash(v);
        if (one != null) {
          name.set(p, one);
        }
      } else {
        name.set(p, v);
      }
    }
    if (name.isEmpty()) {
      return Optional.empty();
    }
    UUID uuid = uuid5(NAMESPACE, CanonicalJson.canonicalize(name));
    return Optional.of(type.textValue() + "--" + uuid);
  }

  /**
   * Gives an SCO without an id its deterministic id, or a random UUIDv4 when it has no
   * ID-contributing property; returns the object's id either way.
   */
  public static String assignIfMissing(ObjectNode sco) {
    JsonNode id = sco.get("id");
    if (id != null && id.isTextual()) {
      return id.textValue();
    }
    JsonNode type = sco.get("type");
    if (type == null || !type.isTextual()) {
      throw new IllegalArgumentException("an SCO needs a string type to get an id");
    }
    String assigned = compute(sco).orElseGet(() -> type.textValue() + "--" + UUID.randomUUID());
    sco.put("id", assigned);
    return assigned;
  }

  /** One hash: MD5, SHA-1, SHA-256, SHA-512 in that order, else the first (as python-stix2). */
  private static JsonNode chooseOneHash(JsonNode hashes) {
    if (!hashes.isObject() || hashes.isEmpty()) {
      return null;
    }
    ObjectNode one = JsonNodeFactory.instance.objectNode();
    for (String algorithm : HASH_PREFERENCE) {
      JsonNode v = hashes.get(algorithm);
      if (v != null) {
        return one.set(algorithm, v);
      }
    }
    String first = hashes.fieldNames().next();
    return one.set(first, hashes.get(first));
  }

  /** RFC 4122 name-based UUID, version 5 (SHA-1), over the UTF-8 bytes of the name. */
  static UUID uuid5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    h[6] = (byte) ((h[6] & 0x0f) | 0x50);
    h[8] = (byte) ((h[8] & 0x3f) | 0x80);
    ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
    return new UUID(b.getLong(), b.getLong());
  }
}
