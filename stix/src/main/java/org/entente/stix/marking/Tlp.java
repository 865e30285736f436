package org.entente.stix.marking;

import java.util.Locale;

/** Traffic Light Protocol 2.0 levels, declared from least to most restrictive. */
public enum Tlp {
  CLEAR("TLP:CLEAR"),
  GREEN("TLP:GREEN"),
  AMBER("TLP:AMBER"),
  AMBER_STRICT("TLP:AMBER+STRICT"),
  RED("TLP:RED");

  private final String label;

  Tlp(String label) {
    this.label = label;
  }

  /** The written form, e.g. {@code TLP:AMBER+STRICT}. */
  public String label() {
    return label;
  }

  /** Whether sharing under this level is narrower than under {@code other}. */
  public boolean isMoreRestrictiveThan(Tlp other) {
    return compareTo(other) > 0;
  }

  /**
   * Reads "clear", "white" (TLP 1.0), "green", "amber", "amber+strict" or "red", in any case, with
   * or without a "TLP:" prefix.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Tlp parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no TLP label");
    }
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("tlp:")) {
      s = s.substring(4).trim();
    }
    return switch (s) {
      case "clear", "white" -> CLEAR;
      case "green" -> GREEN;
      case "amber" -> AMBER;
      case "amber+strict" -> AMBER_STRICT;
      case "red" -> RED;
      default -> throw new IllegalArgumentException("not a TLP label: '" + text + "'");
    };
  }
}
