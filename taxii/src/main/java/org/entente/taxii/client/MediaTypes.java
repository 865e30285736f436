package org.entente.taxii.client;

import java.util.Locale;

/** Checks the media type of an answer the client reads as a TAXII resource. */
final class MediaTypes {
  private MediaTypes() {}

  /**
   * Whether a {@code Content-Type} value is {@code application/taxii+json} with {@code
   * version=2.1}: type, subtype and parameter names compared case-insensitively, whitespace around
   * {@code ;} and {@code =} ignored, parameters in any order, the version value possibly quoted. A
   * missing {@code version} does not pass: it would mean "the newest version the server speaks",
   * which is not necessarily 2.1.
   */
  static boolean isTaxii21(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/taxii+json")) {
      return false;
    }
    String version = null;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        return false;
      }
      String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = unquote(p.substring(eq + 1).trim());
      if (name.equals("version")) {
        if (version != null) {
          return false;
        }
        version = value;
      }
    }
    return "2.1".equals(version);
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1)
        : v;
  }
}
