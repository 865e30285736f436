package org.entente.stix;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The confidence scales of STIX 2.1 Appendix A: a scale value to the stored 0-100 integer, and a
 * stored integer back to the scale value that covers it.
 */
public final class Confidence {
  private Confidence() {}

  /** The five scales of Appendix A. */
  public enum Scale {
    NONE_LOW_MED_HIGH(
        List.of(
            new Level("None", 0, 0, 0),
            new Level("Low", 15, 1, 29),
            new Level("Med", 50, 30, 69),
            new Level("High", 85, 70, 100))),
    ZERO_TEN(zeroToTen()),
    ADMIRALTY_CREDIBILITY(
        List.of(
            new Level("6 - Truth cannot be judged", -1, -1, -1),
            new Level("5 - Improbable", 10, 0, 19),
            new Level("4 - Doubtful", 30, 20, 39),
            new Level("3 - Possibly True", 50, 40, 59),
            new Level("2 - Probably True", 70, 60, 79),
            new Level("1 - Confirmed by other sources", 90, 80, 100))),
    WEP(
        List.of(
            new Level("Impossible", 0, 0, 0),
            new Level("Highly Unlikely/Almost Certainly Not", 10, 1, 19),
            new Level("Unlikely/Probably Not", 30, 20, 39),
            new Level("Even Chance", 50, 40, 59),
            new Level("Likely/Probable", 70, 60, 79),
            new Level("Highly likely/Almost Certain", 90, 80, 99),
            new Level("Certain", 100, 100, 100))),
    DNI(
        List.of(
            new Level("Almost No Chance / Remote", 5, 0, 9),
            new Level("Very Unlikely / Highly Improbable", 15, 10, 19),
            new Level("Unlikely / Improbable", 30, 20, 39),
            new Level("Roughly Even Chance / Roughly Even Odds", 50, 40, 59),
            new Level("Likely / Probable", 70, 60, 79),
            new Level("Very Likely / Highly Probable", 85, 80, 89),
            new Level("Almost Certain / Nearly Certain", 95, 90, 100)));

    private final List<Level> levels;

    Scale(List<Level> levels) {
      this.levels = levels;
    }
  }

  /** One scale value: its label, the value stored for it, and the stored range it covers. */
  private record Level(String label, int stored, int low, int high) {
    boolean matches(String normalised) {
      if (normalise(label).equals(normalised)) {
        return true;
      }
      String text = label;
      int dash = text.indexOf(" - ");
      if (dash > 0) {
        // Admiralty: "5 - Improbable" also reads as "5" or "Improbable".
        if (normalise(text.substring(0, dash)).equals(normalised)) {
          return true;
        }
        text = text.substring(dash + 3);
      }
      for (String alternative : text.split("/")) {
        if (normalise(alternative).equals(normalised)) {
          return true;
        }
      }
      return false;
    }
  }

  private static List<Level> zeroToTen() {
    var levels = new java.util.ArrayList<Level>();
    for (int n = 0; n <= 10; n++) {
      levels.add(
          new Level(
              Integer.toString(n), n * 10, Math.max(0, n * 10 - 5), Math.min(100, n * 10 + 4)));
    }
    return List.copyOf(levels);
  }

  /**
   * The value to store for a scale value (the full label, or one of its alternatives, in any case);
   * empty for Admiralty 6 "Truth cannot be judged", which means leave confidence out.
   *
   * @throws IllegalArgumentException if the label is not on the scale
   */
  public static OptionalInt toValue(Scale scale, String label) {
    String n = normalise(label);
    for (Level l : scale.levels) {
      if (l.matches(n)) {
        return l.stored < 0 ? OptionalInt.empty() : OptionalInt.of(l.stored);
      }
    }
    throw new IllegalArgumentException("'" + label + "' is not on the " + scale + " scale");
  }

  /**
   * The scale value that a stored confidence maps back to.
   *
   * @throws IllegalArgumentException if the value is outside 0-100
   */
  public static String toLabel(Scale scale, int value) {
    if (value < 0 || value > 100) {
      throw new IllegalArgumentException("confidence must be within 0-100, got " + value);
    }
    for (Level l : scale.levels) {
      if (value >= l.low && value <= l.high) {
        return l.label;
      }
    }
    throw new IllegalStateException("scale " + scale + " does not cover " + value);
  }

  private static final Pattern SLASH = Pattern.compile("\\s*/\\s*");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private static String normalise(String s) {
    String t = SLASH.matcher(s.trim()).replaceAll("/");
    return SPACES.matcher(t).replaceAll(" ").toLowerCase(Locale.ROOT);
  }
}
