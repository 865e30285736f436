package org.entente.stix.id;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for Jackson trees: keys sorted by UTF-16 code units,
 * numbers in ECMAScript form, minimal string escaping, no whitespace.
 */
public final class CanonicalJson {
  private static final long MAX_EXACT = 1L << 53;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /**
   * The canonical text of a JSON tree.
   *
   * @throws IllegalArgumentException for values JCS cannot represent (NaN, infinities, lone
   *     surrogates)
   */
  public static String canonicalize(JsonNode node) {
    StringBuilder sb = new StringBuilder(128);
    write(node, sb);
    return sb.toString();
  }

  private static void write(JsonNode node, StringBuilder sb) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        // String.compareTo compares UTF-16 code units, which is exactly the JCS order.
        Collections.sort(names);
        sb.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          writeString(names.get(i), sb);
          sb.append(':');
          write(node.get(names.get(i)), sb);
        }
        sb.append('}');
      }
      case ARRAY -> {
        sb.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(node.get(i), sb);
        }
        sb.append(']');
      }
      case STRING -> writeString(node.textValue(), sb);
      case NUMBER -> sb.append(number(node));
      case BOOLEAN -> sb.append(node.booleanValue());
      case NULL -> sb.append("null");
      default -> throw new IllegalArgumentException("not JSON data: " + node.getNodeType());
    }
  }

  private static String number(JsonNode n) {
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      long v = n.longValue();
      if (v >= -MAX_EXACT && v <= MAX_EXACT) {
        return Long.toString(v);
      }
    }
    // JCS numbers are IEEE 754 doubles; larger integers and decimals round to one first.
    double d = n.isBigDecimal() ? n.decimalValue().doubleValue() : n.doubleValue();
    return formatNumber(d);
  }

  /** ECMAScript Number.prototype.toString: shortest round-tripping digits. */
  static String formatNumber(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JCS cannot represent " + d);
    }
    if (d == 0) {
      return "0"; // also -0
    }
    if (d < 0) {
      return "-" + formatNumber(-d);
    }
    BigDecimal shortest = shortestDecimal(d).stripTrailingZeros();
    String s = shortest.unscaledValue().toString();
    int k = s.length();
    int n = k - shortest.scale(); // d = 0.s × 10^n
    StringBuilder sb = new StringBuilder(32);
    if (k <= n && n <= 21) {
      sb.append(s).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(s, 0, n).append('.').append(s, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(s);
    } else {
      int e = n - 1;
      sb.append(s.charAt(0));
      if (k > 1) {
        sb.append('.').append(s, 1, k);
      }
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }

  /**
   * The decimal with the fewest significant digits that reads back as {@code d}; among equals, the
   * closest to {@code d} (ECMAScript's choice). Java 17's Double.toString is not always shortest,
   * hence this search.
   */
  private static BigDecimal shortestDecimal(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p <= 17; p++) {
      BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (nearest.doubleValue() == d) {
        return nearest;
      }
      // Near a power of two the round-trip interval is lopsided: the nearest p-digit decimal
      // may miss it while the one on the other side hits.
      BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
      if (down.doubleValue() == d) {
        return down;
      }
      BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
      if (up.doubleValue() == d) {
        return up;
      }
    }
    return exact.round(MathContext.DECIMAL64);
  }

  private static void writeString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
              throw new IllegalArgumentException("lone surrogate in string");
            }
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isLowSurrogate(c)) {
            throw new IllegalArgumentException("lone surrogate in string");
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
