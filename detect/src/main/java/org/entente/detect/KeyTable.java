package org.entente.detect;

import java.util.Arrays;

/**
 * A multimap from 64-bit key hashes to entry numbers, in flat primitive arrays (open addressing,
 * linear probing, backward-shift deletion). A lookup touches one or two cache lines whatever the
 * size, where a {@code HashMap<String, ...>} walks a node, a key String and its bytes.
 *
 * <p>Keys are hashes, not the values themselves: two different values whose hashes collide share a
 * slot. That only adds a candidate, which the full evaluation then rejects; with 64-bit hashes
 * seeded per index it happens about once per 10^7 indexes of a million keys, and cannot be aimed.
 */
final class KeyTable {
  private static final long EMPTY = 0;
  private static final int MIN_CAPACITY = 16;

  /**
   * Slot {@code i} is {@code table[2i]}, the key hash ({@link #EMPTY} when free; a real hash of 0
   * is stored as 1), and {@code table[2i + 1]}, its reference: an entry number ({@code >= 0}), or
   * {@code -(list + 1)} when several entries share the key, {@code lists[list]} holding the count
   * in element 0 and the entries after it. Hash and reference share a cache line: one miss per
   * lookup.
   */
  private long[] table = new long[2 * MIN_CAPACITY];

  private int capacity = MIN_CAPACITY;

  private int[][] lists = new int[4][];
  private int[] freeLists = new int[4];
  private int freeListCount;
  private int listCount;

  private int size;

  /** Number of distinct key hashes. */
  int size() {
    return size;
  }

  /** 64-bit hash of a canonical leaf (tag and text) on a path identified by {@code seed}. */
  static long hash(long seed, char tag, String value) {
    long h = seed ^ (tag * 0x9E37_79B9_7F4A_7C15L);
    int n = value.length();
    int i = 0;
    // Two chars per multiply: the chain of dependent multiplies is what bounds the speed.
    for (; i + 1 < n; i += 2) {
      h = (h ^ (value.charAt(i) | (long) value.charAt(i + 1) << 16)) * 0x100_0000_01B3L;
      h = Long.rotateLeft(h, 29);
    }
    if (i < n) {
      h = (h ^ value.charAt(i)) * 0x100_0000_01B3L;
    }
    return mix(h ^ n);
  }

  /** MurmurHash3's finaliser: every input bit reaches every output bit. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51_AFD7_ED55_8CCDL;
    h ^= h >>> 33;
    h *= 0xC4CE_B9FE_1A85_EC53L;
    h ^= h >>> 33;
    return h == EMPTY ? 1 : h;
  }

  private static int home(long hash, int mask) {
    return (int) (hash ^ (hash >>> 32)) & mask;
  }

  /** The slot holding {@code hash}, or the free slot where it would go. */
  private int slotOf(long hash) {
    int mask = capacity - 1;
    int i = home(hash, mask);
    while (table[2 * i] != EMPTY && table[2 * i] != hash) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private int ref(int slot) {
    return (int) table[2 * slot + 1];
  }

  private void set(int slot, long hash, int ref) {
    table[2 * slot] = hash;
    table[2 * slot + 1] = ref;
  }

  /** Calls {@code sink} with every entry under {@code hash}; returns whether there was any. */
  boolean forEach(long hash, EntrySink sink) {
    int i = slotOf(hash);
    if (table[2 * i] == EMPTY) {
      return false;
    }
    int ref = ref(i);
    if (ref >= 0) {
      sink.accept(ref);
    } else {
      int[] list = lists[-ref - 1];
      for (int k = 1; k <= list[0]; k++) {
        sink.accept(list[k]);
      }
    }
    return true;
  }

  /** Adds {@code entry} under {@code hash} (an entry may be added more than once). */
  void add(long hash, int entry) {
    if ((size + 1) * 2 > capacity) {
      resize(capacity * 2);
    }
    int i = slotOf(hash);
    if (table[2 * i] == EMPTY) {
      set(i, hash, entry);
      size++;
      return;
    }
    int ref = ref(i);
    if (ref >= 0) {
      int list = newList();
      lists[list] = new int[] {2, ref, entry, 0};
      set(i, hash, -list - 1);
      return;
    }
    int[] list = lists[-ref - 1];
    if (list[0] + 1 == list.length) {
      list = Arrays.copyOf(list, list.length * 2);
      lists[-ref - 1] = list;
    }
    list[++list[0]] = entry;
  }

  /** Removes one occurrence of {@code entry} under {@code hash}; returns whether it was there. */
  boolean remove(long hash, int entry) {
    int i = slotOf(hash);
    if (table[2 * i] == EMPTY) {
      return false;
    }
    int ref = ref(i);
    if (ref >= 0) {
      if (ref != entry) {
        return false;
      }
      delete(i);
      return true;
    }
    int listNo = -ref - 1;
    int[] list = lists[listNo];
    int n = list[0];
    for (int k = 1; k <= n; k++) {
      if (list[k] == entry) {
        list[k] = list[n];
        list[0] = --n;
        if (n == 1) {
          set(i, hash, list[1]);
          lists[listNo] = null;
          freeList(listNo);
        }
        return true;
      }
    }
    return false;
  }

  private int newList() {
    if (freeListCount > 0) {
      return freeLists[--freeListCount];
    }
    if (listCount == lists.length) {
      lists = Arrays.copyOf(lists, lists.length * 2);
    }
    return listCount++;
  }

  private void freeList(int listNo) {
    if (freeListCount == freeLists.length) {
      freeLists = Arrays.copyOf(freeLists, freeLists.length * 2);
    }
    freeLists[freeListCount++] = listNo;
  }

  /** Frees slot {@code i}, moving later members of its probe run back so no lookup stops early. */
  private void delete(int i) {
    int mask = capacity - 1;
    int gap = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long h = table[2 * j];
      if (h == EMPTY) {
        break;
      }
      int home = home(h, mask);
      // Move j into the gap unless its home lies cyclically in (gap, j].
      boolean stays = gap <= j ? (gap < home && home <= j) : (gap < home || home <= j);
      if (!stays) {
        set(gap, h, ref(j));
        gap = j;
      }
    }
    set(gap, EMPTY, 0);
    size--;
    if (capacity > MIN_CAPACITY && size * 8 < capacity) {
      resize(capacity / 2);
    }
  }

  private void resize(int newCapacity) {
    long[] old = table;
    table = new long[2 * newCapacity];
    capacity = newCapacity;
    for (int k = 0; k < old.length; k += 2) {
      if (old[k] != EMPTY) {
        int i = slotOf(old[k]);
        table[2 * i] = old[k];
        table[2 * i + 1] = old[k + 1];
      }
    }
  }

  /** Receives entry numbers. */
  @FunctionalInterface
  interface EntrySink {
    void accept(int entry);
  }
}
