package org.entente.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.entente.stix.pattern.IpBlock;
import org.junit.jupiter.api.Test;

class AddressBlocksTest {
  private static final List<String> NAMES =
      List.of("all", "ten", "host", "broadcast", "net", "top", "short");

  private static List<String> containing(AddressBlocks blocks, String probe) {
    List<String> out = new ArrayList<>();
    blocks.forEachContaining(IpBlock.parse(probe), n -> out.add(NAMES.get(n)));
    return out;
  }

  @Test
  void ipv4EdgePrefixes() {
    AddressBlocks blocks = new AddressBlocks(7);
    blocks.add(IpBlock.parse("0.0.0.0/0"), 0);
    blocks.add(IpBlock.parse("10.0.0.0/8"), 1);
    blocks.add(IpBlock.parse("10.1.2.3/32"), 2);
    blocks.add(IpBlock.parse("255.255.255.255"), 3);

    assertThat(containing(blocks, "10.1.2.3")).containsExactlyInAnyOrder("all", "ten", "host");
    assertThat(containing(blocks, "10.1.2.4")).containsExactlyInAnyOrder("all", "ten");
    assertThat(containing(blocks, "10.1.0.0/16")).containsExactlyInAnyOrder("all", "ten");
    assertThat(containing(blocks, "0.0.0.0/0")).containsExactly("all");
    assertThat(containing(blocks, "255.255.255.255")).containsExactlyInAnyOrder("all", "broadcast");
    // The families never mix: an IPv6 probe finds no IPv4 block, not even 0.0.0.0/0.
    assertThat(containing(blocks, "::a01:203")).isEmpty();

    assertThat(blocks.remove(IpBlock.parse("10.1.2.3/32"), 2)).isTrue();
    assertThat(blocks.remove(IpBlock.parse("10.1.2.3/32"), 2)).isFalse();
    assertThat(containing(blocks, "10.1.2.3")).containsExactlyInAnyOrder("all", "ten");
    assertThat(blocks.size()).isEqualTo(3);
  }

  @Test
  void ipv6EdgePrefixes() {
    AddressBlocks blocks = new AddressBlocks(7);
    blocks.add(IpBlock.parse("::/0"), 0);
    blocks.add(IpBlock.parse("2001:db8:dead:beef::/64"), 4);
    blocks.add(IpBlock.parse("2001:db8:dead:beef::1/128"), 2);
    blocks.add(IpBlock.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), 5);

    assertThat(containing(blocks, "2001:0db8:dead:beef:0000:0000:0000:0001"))
        .containsExactlyInAnyOrder("all", "net", "host");
    assertThat(containing(blocks, "2001:db8:dead:beef::2")).containsExactlyInAnyOrder("all", "net");
    assertThat(containing(blocks, "2001:db8:dead:bee0::/60")).containsExactly("all");
    assertThat(containing(blocks, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
        .containsExactlyInAnyOrder("all", "top");
    assertThat(containing(blocks, "10.0.0.1")).isEmpty();
  }

  /**
   * Random blocks of every length, many sharing a /16 and many equal, added and removed in random
   * order: every probe finds exactly the blocks that contain it (checked by brute force), so the
   * per-/16 length masks and their counts never go stale.
   */
  @Test
  void agreesWithBruteForceUnderAddAndRemove() {
    SplittableRandom rnd = new SplittableRandom(20261128);
    AddressBlocks blocks = new AddressBlocks(rnd.nextLong());
    List<IpBlock> live = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (int round = 0; round < 4_000; round++) {
      if (!live.isEmpty() && rnd.nextInt(3) == 0) {
        int k = rnd.nextInt(live.size());
        assertThat(blocks.remove(live.get(k), numbers.get(k))).isTrue();
        live.remove(k);
        numbers.remove(k);
      } else {
        // Addresses within a few /16s, so that blocks nest and share masks.
        long address = (10L << 24) | ((long) rnd.nextInt(4) << 16) | rnd.nextInt(1 << 16);
        IpBlock b = IpBlock.of(false, 0, address, rnd.nextInt(33));
        blocks.add(b, round);
        live.add(b);
        numbers.add(round);
      }
      long probe = (10L << 24) | ((long) rnd.nextInt(4) << 16) | rnd.nextInt(1 << 16);
      IpBlock p = IpBlock.of(false, 0, probe, rnd.nextInt(4) == 0 ? 16 + rnd.nextInt(17) : 32);
      TreeSet<Integer> expected = new TreeSet<>();
      for (int i = 0; i < live.size(); i++) {
        if (live.get(i).contains(p)) {
          expected.add(numbers.get(i));
        }
      }
      TreeSet<Integer> found = new TreeSet<>();
      blocks.forEachContaining(p, found::add);
      assertThat(found).as("probe %s at round %d", p, round).isEqualTo(expected);
    }
    assertThat(blocks.size()).isEqualTo(live.size());
  }
}
