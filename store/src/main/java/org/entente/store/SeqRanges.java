package org.entente.store;

import java.util.Arrays;

/**
 * A set of entry seqs written as ascending ranges, {@code "5,7-9,12"}: how the audit log records
 * the entries a read served. A page of a thousand entries is usually one range (a few bytes, where
 * its {@code id@version} list is about 70 kB); {@link Store#entryRefs} names them again.
 */
public final class SeqRanges {
  /** The most seqs {@link #parse} expands (more than any page holds). */
  static final int MAX_SEQS = 1_000_000;

  private final StringBuilder text = new StringBuilder();
  private long start = -1;
  private long end = -1;

  /** Adds a seq; seqs added in ascending order give the fewest ranges (any order is kept). */
  public SeqRanges add(long seq) {
    if (seq <= 0) {
      throw new IllegalArgumentException("a seq is positive: " + seq);
    }
    if (start > 0 && seq == end + 1) {
      end = seq;
      return this;
    }
    flush();
    start = end = seq;
    return this;
  }

  public boolean isEmpty() {
    return start < 0;
  }

  private void flush() {
    if (start > 0) {
      appendRange(text);
    }
  }

  private void appendRange(StringBuilder b) {
    if (!b.isEmpty()) {
      b.append(',');
    }
    b.append(start);
    if (end > start) {
      b.append('-').append(end);
    }
  }

  /** The ranges, e.g. {@code "5,7-9,12"}; empty when nothing was added. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(text);
    if (start > 0) {
      appendRange(b);
    }
    return b.toString();
  }

  /**
   * The seqs a {@link #toString} text holds, in its order.
   *
   * @throws IllegalArgumentException when the text is not ranges of positive seqs
   */
  public static long[] parse(String ranges) {
    long[] seqs = new long[16];
    int n = 0;
    if (ranges.isEmpty()) {
      return new long[0];
    }
    for (String part : ranges.split(",", -1)) {
      int dash = part.indexOf('-');
      long from = number(ranges, dash < 0 ? part : part.substring(0, dash));
      long to = dash < 0 ? from : number(ranges, part.substring(dash + 1));
      if (to < from || to - from >= MAX_SEQS - n) {
        throw new IllegalArgumentException("not seq ranges: " + ranges);
      }
      for (long s = from; s <= to; s++) {
        if (n == seqs.length) {
          seqs = Arrays.copyOf(seqs, n * 2);
        }
        seqs[n++] = s;
      }
    }
    return Arrays.copyOf(seqs, n);
  }

  private static long number(String ranges, String digits) {
    if (digits.isEmpty()
        || digits.length() > 18
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not seq ranges: " + ranges);
    }
    long v = Long.parseLong(digits);
    if (v <= 0) {
      throw new IllegalArgumentException("not seq ranges: " + ranges);
    }
    return v;
  }
}
