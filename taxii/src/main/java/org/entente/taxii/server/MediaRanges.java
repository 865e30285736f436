package org.entente.taxii.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content negotiation for the one media type this server speaks, {@code
 * application/taxii+json;version=2.1}.
 *
 * <p>Accept follows RFC 9110 §12.5.1: the most specific range that matches decides, and its {@code
 * q} must be above 0. {@code application/taxii+json} without a version means the newest, which is
 * 2.1. Wildcards ({@code *}{@code /*}, {@code application/*}) are accepted. A request without
 * Accept is served (RFC 9110: no Accept means any type), although TAXII clients MUST send one.
 */
final class MediaRanges {
  private static final String TYPE = "application";
  private static final String SUBTYPE = "taxii+json";
  private static final String VERSION = "2.1";

  private MediaRanges() {}

  /** One parsed media range: type, subtype (lower case) and its parameters (names lower case). */
  record Range(String type, String subtype, Map<String, String> params) {
    double q() {
      String q = params.get("q");
      if (q == null) {
        return 1.0;
      }
      try {
        double v = Double.parseDouble(q);
        return v < 0 || v > 1 || Double.isNaN(v) ? -1 : v;
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /** How specifically this range names our media type; 0 when it does not match it. */
    int specificity() {
      if (type.equals("*") && subtype.equals("*")) {
        return 1;
      }
      if (!type.equals(TYPE)) {
        return 0;
      }
      if (subtype.equals("*")) {
        return 2;
      }
      if (!subtype.equals(SUBTYPE)) {
        return 0;
      }
      String version = params.get("version");
      if (version == null) {
        return 3;
      }
      return version.equals(VERSION) ? 4 : 0;
    }
  }

  /**
   * Accept headers seen, with the answer: a client sends the same one with every request, and
   * parsing it cost more than a cached user lookup. Bounded (cleared when full), since any client
   * can send anything.
   */
  private static final Map<String, Boolean> ACCEPTS = new ConcurrentHashMap<>();

  private static final int ACCEPTS_MAX = 256;

  /** Whether a response in the TAXII 2.1 media type is acceptable under this Accept header. */
  static boolean acceptsTaxii(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    Boolean known = ACCEPTS.get(accept);
    if (known != null) {
      return known;
    }
    boolean answer = negotiate(accept);
    if (ACCEPTS.size() >= ACCEPTS_MAX) {
      ACCEPTS.clear();
    }
    ACCEPTS.put(accept, answer);
    return answer;
  }

  private static boolean negotiate(String accept) {
    int best = 0;
    double q = 0;
    for (String part : split(accept, ',')) {
      Range r = parse(part);
      if (r == null) {
        continue;
      }
      int s = r.specificity();
      if (s > best) {
        best = s;
        q = r.q();
      } else if (s == best && s > 0) {
        q = Math.max(q, r.q());
      }
    }
    return best > 0 && q > 0;
  }

  /**
   * Whether a POST body's Content-Type is the TAXII media type: version absent or 2.1; a charset,
   * if given, UTF-8 (TAXII JSON is UTF-8); other parameters are tolerated.
   */
  static boolean isTaxiiContent(String contentType) {
    if (contentType == null) {
      return false;
    }
    Range r = parse(contentType);
    if (r == null || !r.type().equals(TYPE) || !r.subtype().equals(SUBTYPE)) {
      return false;
    }
    String version = r.params().get("version");
    if (version != null && !version.equals(VERSION)) {
      return false;
    }
    String charset = r.params().get("charset");
    return charset == null || charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
  }

  /** Parses {@code type/subtype *( ; name=value )}; null when it is not a media range. */
  static Range parse(String text) {
    List<String> parts = split(text, ';');
    if (parts.isEmpty()) {
      return null;
    }
    String full = parts.get(0).trim().toLowerCase(Locale.ROOT);
    int slash = full.indexOf('/');
    if (slash <= 0 || slash == full.length() - 1 || full.indexOf('/', slash + 1) >= 0) {
      return null;
    }
    String type = full.substring(0, slash).trim();
    String subtype = full.substring(slash + 1).trim();
    if (type.isEmpty() || subtype.isEmpty() || (type.equals("*") && !subtype.equals("*"))) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < parts.size(); i++) {
      String p = parts.get(i).trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        return null;
      }
      String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = p.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
      }
      params.putIfAbsent(name, value);
    }
    return new Range(type, subtype, params);
  }

  /** Splits on a separator outside double quotes. */
  private static List<String> split(String text, char separator) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    out.removeIf(s -> s.isBlank() && separator == ',');
    return out;
  }
}
