package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The property kinds of the declarations, and the generic checks on custom values. */
final class Kinds {
  private Kinds() {}

  static final long MAX_INT = (1L << 53) - 1;
  static final long MIN_INT = -MAX_INT;

  static final Set<String> RESERVED =
      Set.of("severity", "username", "phone_number", "phone_numbers", "action");

  static final Set<String> HASH_ALGORITHMS =
      Set.of("MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH");

  private static final Pattern SSDEEP = Pattern.compile("^[a-zA-Z0-9/+:.]{1,128}$");
  private static final Pattern TLSH = Pattern.compile("^[a-zA-Z0-9]{70}$");

  static final Kind ANY = (v, c) -> {};

  static final Kind STRING =
      (v, c) -> {
        if (!v.isTextual()) {
          wrongType(v, c, "a string");
        }
      };

  static final Kind BOOLEAN =
      (v, c) -> {
        if (!v.isBoolean()) {
          wrongType(v, c, "a boolean");
        }
      };

  static final Kind TIMESTAMP = timestamp(false);

  /** created and modified: at least millisecond precision. */
  static final Kind TIMESTAMP_MS = timestamp(true);

  static final Kind INTEGER = integer(MIN_INT, MAX_INT);
  static final Kind NON_NEGATIVE = integer(0, MAX_INT);
  static final Kind FLOAT = number(-Double.MAX_VALUE, Double.MAX_VALUE);

  static final Kind HEX =
      (v, c) -> {
        if (!v.isTextual()) {
          wrongType(v, c, "a hex string");
        } else if (!Syntax.isHex(v.textValue())) {
          c.error("hex-format", "'" + v.textValue() + "' is not an even number of hex digits");
        }
      };

  static final Kind BINARY =
      (v, c) -> {
        if (!v.isTextual()) {
          wrongType(v, c, "a base64 string");
        } else if (!Syntax.isBase64(v.textValue())) {
          c.error("binary-format", "value is not RFC 4648 base64");
        }
      };

  static final Kind LANG =
      (v, c) -> {
        if (!v.isTextual()) {
          wrongType(v, c, "an RFC 5646 language tag");
        } else if (!Syntax.LANG_TAG.matcher(v.textValue()).matches()) {
          c.error("lang-tag", "'" + v.textValue() + "' is not an RFC 5646 language tag");
        }
      };

  static final Kind STRINGS = list(STRING);
  static final Kind DICTIONARY = dict(ANY);

  /** Hashes where an unknown algorithm name is a SHOULD (warning). */
  static final Kind HASHES = hashes(false);

  /** Hashes of an external reference, whose names MUST come from hash-algorithm-ov. */
  static final Kind STRICT_HASHES = hashes(true);

  static Kind timestamp(boolean millis) {
    return (v, c) -> {
      if (!v.isTextual()) {
        wrongType(v, c, "a timestamp string");
        return;
      }
      checkTimestamp(v.textValue(), millis, c);
    };
  }

  /** Returns true when the text is a usable timestamp (format and calendar). */
  static boolean checkTimestamp(String s, boolean millis, Ctx c) {
    int r = Syntax.timestamp(s);
    if (r == Syntax.TS_FORMAT) {
      c.error(
          "timestamp-format",
          "'" + s + "' is not an RFC 3339 UTC timestamp" + " (YYYY-MM-DDTHH:mm:ss[.s+]Z)");
      return false;
    }
    if (r == Syntax.TS_DATE) {
      c.error("timestamp-format", "'" + s + "' is not a real calendar date");
      return false;
    }
    if (millis && Syntax.fractionDigits(s) < 3) {
      c.error("timestamp-precision", "'" + s + "' must be precise to at least milliseconds");
      return false;
    }
    if (Syntax.fractionDigits(s) > 9 && Syntax.beyondNanos(s)) {
      c.error("timestamp-precision", "'" + s + "' is more precise than nanoseconds");
      return false;
    }
    return true;
  }

  static Kind integer(long min, long max) {
    return (v, c) -> {
      if (!isInteger(v)) {
        wrongType(v, c, "an integer");
        return;
      }
      if (!v.canConvertToLong()) {
        c.error("integer-range", "integer is outside ±(2^53-1)");
        return;
      }
      long x = v.longValue();
      if (x < min || x > max) {
        c.error("integer-range", x + " is outside [" + min + ", " + max + "]");
      }
    };
  }

  static Kind number(double min, double max) {
    return (v, c) -> {
      if (!v.isNumber()) {
        wrongType(v, c, "a number");
        return;
      }
      double d = v.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        c.error("float-range", "number does not fit an IEEE 754 double");
      } else if (d < min || d > max) {
        c.error("float-range", v.asText() + " is outside [" + min + ", " + max + "]");
      }
    };
  }

  static boolean isInteger(JsonNode v) {
    if (v.isIntegralNumber()) {
      return true;
    }
    if (v.isBigDecimal()) {
      BigDecimal d = v.decimalValue();
      return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }
    return false;
  }

  static Kind ref(Targets targets) {
    return (v, c) -> {
      if (!v.isTextual()) {
        wrongType(v, c, "an identifier");
        return;
      }
      String s = v.textValue();
      if (c.container != null) {
        containerRef(s, targets, c);
        return;
      }
      int typeLength = Syntax.identifierTypeLength(s);
      if (typeLength < 0) {
        c.error("ref-format", "'" + s + "' is not a STIX identifier (<type>--<uuid>)");
      } else if (!targets.allows(s.substring(0, typeLength))) {
        c.error("ref-type", "'" + s + "' must refer to " + targets.description());
      }
    };
  }

  /** Inside the deprecated observed-data container refs are keys of that container. */
  private static void containerRef(String key, Targets targets, Ctx c) {
    JsonNode target = c.container.get(key);
    if (target == null) {
      c.error("ref-format", "'" + key + "' is not a key of the observed-data objects");
      return;
    }
    JsonNode type = target.get("type");
    if (type != null && type.isTextual() && !targets.allows(type.textValue())) {
      c.error("ref-type", "'" + key + "' must refer to " + targets.description());
    }
  }

  static Kind refs(Targets targets) {
    return list(ref(targets));
  }

  static Kind list(Kind item) {
    return (v, c) -> {
      if (!v.isArray()) {
        wrongType(v, c, "a list");
        return;
      }
      int n = v.size();
      if (n == 0) {
        c.error("empty-list", "a list must have at least one item");
        return;
      }
      for (int i = 0; i < n; i++) {
        c.push(i);
        item.check(v.get(i), c);
        c.pop();
      }
    };
  }

  /** A dictionary: at least one key, keys ASCII {@code [a-zA-Z0-9_-]} up to 250 characters. */
  static Kind dict(Kind value) {
    return (v, c) -> {
      if (!v.isObject()) {
        wrongType(v, c, "a dictionary");
        return;
      }
      if (v.isEmpty()) {
        c.error("empty-dict", "a dictionary must have at least one key");
        return;
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        c.push(e.getKey());
        if (!Syntax.isDictionaryKey(e.getKey())) {
          c.error("dictionary-key", "'" + e.getKey() + "' is not a valid dictionary key");
        }
        value.check(e.getValue(), c);
        c.pop();
      }
    };
  }

  static Kind enumOf(String name, String... values) {
    Set<String> allowed = Set.of(values);
    return (v, c) -> {
      if (!v.isTextual()) {
        wrongType(v, c, "a string from " + name);
      } else if (!allowed.contains(v.textValue())) {
        c.error("enum", "'" + v.textValue() + "' is not in the " + name + " enumeration");
      }
    };
  }

  static Kind vocab(String name, Set<String> values) {
    return (v, c) -> {
      if (!v.isTextual()) {
        wrongType(v, c, "a string from " + name);
      } else if (!values.contains(v.textValue())) {
        c.warn("vocab", "'" + v.textValue() + "' is not in the suggested " + name + " vocabulary");
      }
    };
  }

  static Kind string(Pattern pattern, String rule, String what) {
    return (v, c) -> {
      if (!v.isTextual()) {
        wrongType(v, c, "a string");
      } else if (!pattern.matcher(v.textValue()).matches()) {
        c.error(rule, "'" + v.textValue() + "' is not " + what);
      }
    };
  }

  /** Either kind, chosen by the JSON type of the value. */
  static Kind stringOr(Kind other) {
    return (v, c) -> {
      if (!v.isTextual()) {
        other.check(v, c);
      }
    };
  }

  private static Kind hashes(boolean strictNames) {
    return (v, c) -> {
      if (!v.isObject()) {
        wrongType(v, c, "a hashes dictionary");
        return;
      }
      if (v.isEmpty()) {
        c.error("empty-dict", "hashes must have at least one entry");
        return;
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        c.push(e.getKey());
        checkHash(e.getKey(), e.getValue(), strictNames, c);
        c.pop();
      }
    };
  }

  private static void checkHash(String algorithm, JsonNode value, boolean strict, Ctx c) {
    if (!value.isTextual()) {
      wrongType(value, c, "a hash string");
      return;
    }
    String h = value.textValue();
    boolean ok =
        switch (algorithm) {
          case "MD5" -> Syntax.isHexOfLength(h, 32);
          case "SHA-1" -> Syntax.isHexOfLength(h, 40);
          case "SHA-256", "SHA3-256" -> Syntax.isHexOfLength(h, 64);
          case "SHA-512", "SHA3-512" -> Syntax.isHexOfLength(h, 128);
          case "SSDEEP" -> SSDEEP.matcher(h).matches();
          case "TLSH" -> TLSH.matcher(h).matches();
          default -> {
            if (algorithm.length() < 3 || !Syntax.isDictionaryKey(algorithm)) {
              c.error(
                  "hash-algorithm",
                  "'"
                      + algorithm
                      + "' is not a valid hash name"
                      + " ([a-zA-Z0-9_-], 3-250 characters)");
            } else if (strict) {
              c.error("hash-algorithm", "'" + algorithm + "' is not in hash-algorithm-ov");
            } else {
              c.warn("hash-algorithm", "'" + algorithm + "' is not in hash-algorithm-ov");
            }
            yield true;
          }
        };
    if (!ok) {
      c.error("hash-value", "'" + h + "' is not a well-formed " + algorithm + " value");
    }
  }

  /**
   * A property that no declaration covers: checked for name form and for what its name promises
   * ({@code _ref}, {@code _refs}, {@code _hex}, {@code _bin}).
   *
   * @param warnPrefix whether a missing {@code x_} prefix is worth a warning here
   */
  static void customProperty(String name, JsonNode v, Ctx c, boolean warnPrefix) {
    if (!Syntax.isPropertyName(name)) {
      c.error(
          "property-name",
          "'" + name + "' is not a valid property name" + " (^[a-z][a-z0-9_]{2,249}$)");
      return;
    }
    if (RESERVED.contains(name)) {
      c.error("reserved-property", "'" + name + "' is reserved and must not be used");
      return;
    }
    if (warnPrefix && !name.startsWith("x_")) {
      c.warn("custom-property-prefix", "custom property '" + name + "' should start with x_");
    }
    customValue(name, v, c);
  }

  static void customValue(String name, JsonNode v, Ctx c) {
    if (v.isNull()) {
      c.error("property-type", "null is not a STIX value; leave the property out");
    } else if (v.isArray()) {
      if (v.isEmpty()) {
        c.error("empty-list", "a list must have at least one item");
      } else if (name.endsWith("_refs")) {
        for (int i = 0; i < v.size(); i++) {
          c.push(i);
          customRef(v.get(i), c);
          c.pop();
        }
      }
    } else if (v.isObject()) {
      if (v.isEmpty()) {
        c.error("empty-dict", "a dictionary must have at least one key");
      }
    } else if (name.endsWith("_ref")) {
      customRef(v, c);
    } else if (name.endsWith("_hex")) {
      HEX.check(v, c);
    } else if (name.endsWith("_bin")) {
      BINARY.check(v, c);
    } else if (v.isIntegralNumber() && !integerInRange(v)) {
      c.error("integer-range", "integer is outside ±(2^53-1)");
    }
  }

  /**
   * The spec defines {@code _ref} for its own properties only; real producers (ATT&CK's
   * x_mitre_data_source_ref: "") put other values in custom ones, so this is a warning.
   */
  private static void customRef(JsonNode v, Ctx c) {
    if (!v.isTextual() || Syntax.identifierTypeLength(v.textValue()) < 0) {
      c.warn("ref-format", "custom reference " + v + " is not a STIX identifier");
    }
  }

  private static boolean integerInRange(JsonNode v) {
    if (!v.canConvertToLong()) {
      return false;
    }
    long x = v.longValue();
    return x >= MIN_INT && x <= MAX_INT;
  }

  static void wrongType(JsonNode v, Ctx c, String expected) {
    c.error("property-type", "expected " + expected + ", got " + describe(v));
  }

  static String describe(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> v.getNodeType().name().toLowerCase();
    };
  }
}
