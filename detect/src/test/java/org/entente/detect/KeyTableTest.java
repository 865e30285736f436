package org.entente.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyTableTest {

  private static List<Integer> get(KeyTable t, long hash) {
    List<Integer> out = new ArrayList<>();
    t.forEach(hash, out::add);
    out.sort(null);
    return out;
  }

  @Test
  void hashesDependOnSeedTagAndEveryChar() {
    long a = KeyTable.hash(1, 's', "198.51.100.7");
    assertThat(KeyTable.hash(1, 's', "198.51.100.7")).isEqualTo(a);
    assertThat(KeyTable.hash(2, 's', "198.51.100.7")).isNotEqualTo(a);
    assertThat(KeyTable.hash(1, 'x', "198.51.100.7")).isNotEqualTo(a);
    assertThat(KeyTable.hash(1, 's', "198.51.100.8")).isNotEqualTo(a);
    assertThat(KeyTable.hash(1, 's', "198.51.100.7 ")).isNotEqualTo(a);
    // Strings that String.hashCode cannot tell apart.
    assertThat(KeyTable.hash(1, 's', "Aa")).isNotEqualTo(KeyTable.hash(1, 's', "BB"));
    assertThat(KeyTable.hash(1, 's', "")).isNotZero();
  }

  /**
   * A random mix of adds (with shared keys and repeated entries) and removes, against a map of
   * lists: growth, shrinking and backward-shift deletion must keep every key reachable. Hashes are
   * drawn from a small range so that probe runs are long and wrap around the table's end.
   */
  @Test
  void agreesWithAMapOfListsUnderRandomOperations() {
    SplittableRandom rnd = new SplittableRandom(11);
    KeyTable table = new KeyTable();
    Map<Long, List<Integer>> model = new HashMap<>();
    for (int op = 0; op < 60_000; op++) {
      long hash = rnd.nextInt(3) == 0 ? rnd.nextLong() | 1 : 1 + rnd.nextInt(2_000);
      if (rnd.nextInt(5) < 3) {
        int entry = rnd.nextInt(50);
        table.add(hash, entry);
        model.computeIfAbsent(hash, h -> new ArrayList<>()).add(entry);
      } else {
        List<Integer> list = model.get(hash);
        int entry = list != null && rnd.nextBoolean() ? list.get(0) : rnd.nextInt(50);
        boolean had = list != null && list.remove((Integer) entry);
        assertThat(table.remove(hash, entry)).isEqualTo(had);
        if (list != null && list.isEmpty()) {
          model.remove(hash);
        }
      }
      if (op % 97 == 0) {
        for (Map.Entry<Long, List<Integer>> e : model.entrySet()) {
          List<Integer> expected = new ArrayList<>(e.getValue());
          expected.sort(null);
          assertThat(get(table, e.getKey())).isEqualTo(expected);
        }
        assertThat(table.size()).isEqualTo(model.size());
      }
    }
    // Drain: everything removed leaves an empty, shrunken table that still answers.
    for (Map.Entry<Long, List<Integer>> e : model.entrySet()) {
      for (int entry : e.getValue()) {
        assertThat(table.remove(e.getKey(), entry)).isTrue();
      }
    }
    assertThat(table.size()).isZero();
    assertThat(get(table, 5)).isEmpty();
  }
}
