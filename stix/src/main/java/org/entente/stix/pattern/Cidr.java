package org.entente.stix.pattern;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 address block (a single address is a block of one), parsed without InetAddress so
 * that no text can ever trigger a DNS lookup.
 */
record Cidr(boolean v6, BigInteger network, int prefix) {

  private int bits() {
    return v6 ? 128 : 32;
  }

  /** True when every address of {@code other} lies in this block (same family only). */
  boolean contains(Cidr other) {
    if (v6 != other.v6 || other.prefix < prefix) {
      return false;
    }
    return mask(other.network, prefix).equals(network);
  }

  private static BigInteger mask(BigInteger addr, int prefix, int bits) {
    BigInteger m = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    m = m.shiftRight(prefix).xor(m); // the top `prefix` bits set
    return addr.and(m);
  }

  private BigInteger mask(BigInteger addr, int prefix) {
    return mask(addr, prefix, bits());
  }

  /** Parses {@code a.b.c.d[/n]} or an IPv6 address with optional {@code /n}; null if invalid. */
  static Cidr parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    String addr = text;
    int prefix = -1;
    int slash = text.indexOf('/');
    if (slash >= 0) {
      addr = text.substring(0, slash);
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return null;
      }
      prefix = Integer.parseInt(p);
    }
    BigInteger value;
    boolean v6 = addr.indexOf(':') >= 0;
    value = v6 ? ipv6(addr) : ipv4(addr);
    if (value == null) {
      return null;
    }
    int bits = v6 ? 128 : 32;
    if (prefix < 0) {
      prefix = bits;
    } else if (prefix > bits) {
      return null;
    }
    return new Cidr(v6, mask(value, prefix, bits), prefix);
  }

  private static BigInteger ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        return null;
      }
      v = (v << 8) | octet;
    }
    return BigInteger.valueOf(v);
  }

  private static BigInteger ipv6(String s) {
    List<Integer> groups = new ArrayList<>();
    int gap = -1;
    String rest = s;
    // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
    BigInteger v4 = null;
    int lastColon = rest.lastIndexOf(':');
    if (rest.indexOf('.', lastColon) >= 0) {
      v4 = ipv4(rest.substring(lastColon + 1));
      if (v4 == null) {
        return null;
      }
      rest = rest.substring(0, lastColon + 1) + "0:0";
    }
    int dbl = rest.indexOf("::");
    if (dbl >= 0 && rest.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    String head = dbl >= 0 ? rest.substring(0, dbl) : rest;
    String tail = dbl >= 0 ? rest.substring(dbl + 2) : "";
    if (!hexGroups(head, groups)) {
      return null;
    }
    if (dbl >= 0) {
      gap = groups.size();
      List<Integer> after = new ArrayList<>();
      if (!hexGroups(tail, after)) {
        return null;
      }
      if (groups.size() + after.size() > 7) {
        return null;
      }
      while (groups.size() + after.size() < 8) {
        groups.add(0);
      }
      groups.addAll(after);
    }
    if (groups.size() != 8 || (gap < 0 && dbl >= 0)) {
      return null;
    }
    BigInteger v = BigInteger.ZERO;
    for (int g : groups) {
      v = v.shiftLeft(16).or(BigInteger.valueOf(g));
    }
    if (v4 != null) {
      v = v.shiftRight(32).shiftLeft(32).or(v4);
    }
    return v;
  }

  private static boolean hexGroups(String s, List<Integer> out) {
    if (s.isEmpty()) {
      return true;
    }
    for (String g : s.split(":", -1)) {
      if (g.isEmpty() || g.length() > 4) {
        return false;
      }
      for (char c : g.toCharArray()) {
        if (Character.digit(c, 16) < 0) {
          return false;
        }
      }
      out.add(Integer.parseInt(g, 16));
    }
    return true;
  }
}
