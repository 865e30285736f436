package org.entente.detect;

import org.entente.stix.pattern.IpBlock;

/**
 * The CIDR blocks registered on one path, found by the addresses they contain: for each prefix
 * length that has blocks, the probe's address cut to that length is looked up in a hash table. IPv4
 * keeps, for each /16, which lengths from 16 to 32 have blocks inside it, so that an address costs
 * one probe per length actually present near it (about one with 100,000 random blocks) rather than
 * a walk down a 32-level binary trie, one cache miss per level.
 */
final class AddressBlocks {
  private final long seed;
  private final KeyTable table = new KeyTable();
  private int size;

  /** Per prefix length 0..15 (IPv4), how many blocks; and the lengths with any, as a bit mask. */
  private final int[] shortV4 = new int[16];

  private int shortV4Mask;

  /** Per /16 (IPv4), a bit mask of the lengths 16..32 with blocks in it; null until needed. */
  private int[] longV4Masks;

  /** Per (/16, length 16..32), how many blocks; lets removal clear a mask bit. */
  private int[] longV4Counts;

  /** Per IPv6 prefix length 0..128, how many blocks; and the lengths with any. */
  private final int[] v6Counts = new int[129];

  private final long[] v6Mask = new long[3];

  AddressBlocks(long seed) {
    this.seed = seed;
  }

  int size() {
    return size;
  }

  private long key(boolean v6, long hi, long lo, int length) {
    long h = seed ^ (v6 ? 0x6 : 0x4) ^ ((long) length << 8);
    h = KeyTable.mix(h ^ hi);
    return KeyTable.mix(h ^ lo);
  }

  void add(IpBlock block, int entry) {
    table.add(key(block.v6(), block.hi(), block.lo(), block.length()), entry);
    size++;
    int length = block.length();
    if (block.v6()) {
      if (v6Counts[length]++ == 0) {
        v6Mask[length >>> 6] |= 1L << length;
      }
    } else if (length < 16) {
      if (shortV4[length]++ == 0) {
        shortV4Mask |= 1 << length;
      }
    } else {
      if (longV4Masks == null) {
        longV4Masks = new int[1 << 16];
        longV4Counts = new int[17 << 16];
      }
      int top = (int) (block.lo() >>> 16);
      if (longV4Counts[(length - 16) << 16 | top]++ == 0) {
        longV4Masks[top] |= 1 << (length - 16);
      }
    }
  }

  /** Removes one occurrence of {@code entry} at {@code block}; returns whether it was there. */
  boolean remove(IpBlock block, int entry) {
    if (!table.remove(key(block.v6(), block.hi(), block.lo(), block.length()), entry)) {
      return false;
    }
    size--;
    int length = block.length();
    if (block.v6()) {
      if (--v6Counts[length] == 0) {
        v6Mask[length >>> 6] &= ~(1L << length);
      }
    } else if (length < 16) {
      if (--shortV4[length] == 0) {
        shortV4Mask &= ~(1 << length);
      }
    } else {
      int top = (int) (block.lo() >>> 16);
      if (--longV4Counts[(length - 16) << 16 | top] == 0) {
        longV4Masks[top] &= ~(1 << (length - 16));
      }
    }
    return true;
  }

  /** Calls {@code sink} with every entry at an IPv4 block that contains {@code address}. */
  void forEachContainingV4(long address, int length, KeyTable.EntrySink sink) {
    for (int m = shortV4Mask; m != 0; m &= m - 1) {
      int l = Integer.numberOfTrailingZeros(m);
      if (l <= length) {
        table.forEach(key(false, 0, cut4(address, l), l), sink);
      }
    }
    if (longV4Masks != null && length >= 16) {
      for (int m = longV4Masks[(int) (address >>> 16)]; m != 0; m &= m - 1) {
        int l = 16 + Integer.numberOfTrailingZeros(m);
        if (l <= length) {
          table.forEach(key(false, 0, cut4(address, l), l), sink);
        }
      }
    }
  }

  /** Calls {@code sink} with every entry at a block that contains {@code probe}. */
  void forEachContaining(IpBlock probe, KeyTable.EntrySink sink) {
    if (!probe.v6()) {
      forEachContainingV4(probe.lo(), probe.length(), sink);
      return;
    }
    for (int w = 0; w < 3; w++) {
      for (long m = v6Mask[w]; m != 0; m &= m - 1) {
        int l = w * 64 + Long.numberOfTrailingZeros(m);
        if (l <= probe.length()) {
          IpBlock cut = IpBlock.of(true, probe.hi(), probe.lo(), l);
          table.forEach(key(true, cut.hi(), cut.lo(), l), sink);
        }
      }
    }
  }

  private static long cut4(long address, int length) {
    return length == 0 ? 0 : address & ((0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL);
  }
}
