package org.entente.stix.pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 address block (an address is a block of one) as 128 bits in two longs: what CIDR
 * comparisons (ISSUBSET, ISSUPERSET) test, and what the indicator index's prefix tries hold. Parsed
 * by hand, never through InetAddress, so that no text can trigger a DNS lookup. Bits past {@code
 * length} are cleared so that equal blocks are equal records.
 */
public record IpBlock(boolean v6, long hi, long lo, int length) {

  public int bits() {
    return v6 ? 128 : 32;
  }

  /** Bit {@code i} counted from the most significant bit of the address. */
  public int bit(int i) {
    if (!v6) {
      return (int) (lo >>> (31 - i)) & 1;
    }
    return i < 64 ? (int) (hi >>> (63 - i)) & 1 : (int) (lo >>> (127 - i)) & 1;
  }

  /** True when every address of {@code other} lies in this block (same family only). */
  public boolean contains(IpBlock other) {
    if (v6 != other.v6 || other.length < length) {
      return false;
    }
    IpBlock cut = of(other.v6, other.hi, other.lo, length);
    return cut.hi == hi && cut.lo == lo;
  }

  public static IpBlock of(boolean v6, long hi, long lo, int length) {
    if (!v6) {
      long mask = length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
      return new IpBlock(false, 0, lo & mask, length);
    }
    long hiMask = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
    long loMask = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    return new IpBlock(true, hi & hiMask, lo & loMask, length);
  }

  /** Parses {@code a.b.c.d[/n]} or an IPv6 address with optional {@code /n}; null if invalid. */
  public static IpBlock parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) {
      return null;
    }
    String addr = text;
    int length = -1;
    int slash = text.indexOf('/');
    if (slash >= 0) {
      addr = text.substring(0, slash);
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      length = Integer.parseInt(p);
    }
    boolean v6 = addr.indexOf(':') >= 0;
    long hi = 0;
    long lo;
    if (v6) {
      long[] v = ipv6(addr);
      if (v == null) {
        return null;
      }
      hi = v[0];
      lo = v[1];
    } else {
      lo = ipv4(addr);
      if (lo < 0) {
        return null;
      }
    }
    int bits = v6 ? 128 : 32;
    if (length < 0) {
      length = bits;
    } else if (length > bits) {
      return null;
    }
    return of(v6, hi, lo, length);
  }

  /**
   * The address as an unsigned 32-bit value, or -1 when the text is not a dotted quad (four decimal
   * octets of one to three digits, each at most 255). One pass over the chars, no allocation: the
   * indicator index parses every address it is shown.
   */
  public static long ipv4(String s) {
    int n = s.length();
    if (n < 7 || n > 15) {
      return -1;
    }
    long v = 0;
    int octet = 0;
    int digits = 0;
    int dots = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        octet = octet * 10 + (c - '0');
        if (++digits > 3 || octet > 255) {
          return -1;
        }
      } else if (c == '.' && digits > 0 && dots < 3) {
        v = (v << 8) | octet;
        octet = 0;
        digits = 0;
        dots++;
      } else {
        return -1;
      }
    }
    return dots == 3 && digits > 0 ? (v << 8) | octet : -1;
  }

  private static long[] ipv6(String s) {
    String rest = s;
    long v4 = -1;
    int lastColon = rest.lastIndexOf(':');
    // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
    if (rest.indexOf('.', lastColon) >= 0) {
      v4 = ipv4(rest.substring(lastColon + 1));
      if (v4 < 0) {
        return null;
      }
      rest = rest.substring(0, lastColon + 1) + "0:0";
    }
    int dbl = rest.indexOf("::");
    if (dbl >= 0 && rest.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    List<Integer> groups = new ArrayList<>(8);
    if (!hexGroups(dbl >= 0 ? rest.substring(0, dbl) : rest, groups)) {
      return null;
    }
    if (dbl >= 0) {
      List<Integer> after = new ArrayList<>(8);
      if (!hexGroups(rest.substring(dbl + 2), after) || groups.size() + after.size() > 7) {
        return null;
      }
      while (groups.size() + after.size() < 8) {
        groups.add(0);
      }
      groups.addAll(after);
    }
    if (groups.size() != 8) {
      return null;
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 4; i++) {
      hi = (hi << 16) | groups.get(i);
      lo = (lo << 16) | groups.get(i + 4);
    }
    if (v4 >= 0) {
      lo = (lo & 0xFFFF_FFFF_0000_0000L) | v4;
    }
    return new long[] {hi, lo};
  }

  private static boolean hexGroups(String s, List<Integer> out) {
    if (s.isEmpty()) {
      return true;
    }
    for (String g : s.split(":", -1)) {
      if (g.isEmpty() || g.length() > 4) {
        return false;
      }
      for (int i = 0; i < g.length(); i++) {
        if (Character.digit(g.charAt(i), 16) < 0) {
          return false;
        }
      }
      out.add(Integer.parseInt(g, 16));
    }
    return true;
  }
}
