package org.entente.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.entente.stix.pattern.IpBlock;
import org.junit.jupiter.api.Test;

class CidrTrieTest {

  private static List<String> containing(CidrTrie<String> trie, String probe) {
    List<String> out = new ArrayList<>();
    trie.forEachContaining(IpBlock.parse(probe), out::add);
    return out;
  }

  @Test
  void ipv4EdgePrefixes() {
    CidrTrie<String> trie = new CidrTrie<>();
    trie.add(IpBlock.parse("0.0.0.0/0"), "all");
    trie.add(IpBlock.parse("10.0.0.0/8"), "ten");
    trie.add(IpBlock.parse("10.1.2.3/32"), "host");
    trie.add(IpBlock.parse("255.255.255.255"), "broadcast");

    assertThat(containing(trie, "10.1.2.3")).containsExactlyInAnyOrder("all", "ten", "host");
    assertThat(containing(trie, "10.1.2.4")).containsExactlyInAnyOrder("all", "ten");
    assertThat(containing(trie, "10.1.0.0/16")).containsExactlyInAnyOrder("all", "ten");
    assertThat(containing(trie, "0.0.0.0/0")).containsExactly("all");
    assertThat(containing(trie, "255.255.255.255")).containsExactlyInAnyOrder("all", "broadcast");
    // The families never mix: an IPv6 probe finds no IPv4 block, not even 0.0.0.0/0.
    assertThat(containing(trie, "::a01:203")).isEmpty();

    assertThat(trie.remove(IpBlock.parse("10.1.2.3/32"), "host")).isTrue();
    assertThat(trie.remove(IpBlock.parse("10.1.2.3/32"), "host")).isFalse();
    assertThat(containing(trie, "10.1.2.3")).containsExactlyInAnyOrder("all", "ten");
    assertThat(trie.size()).isEqualTo(3);
  }

  @Test
  void ipv6EdgePrefixes() {
    CidrTrie<String> trie = new CidrTrie<>();
    trie.add(IpBlock.parse("::/0"), "all");
    trie.add(IpBlock.parse("2001:db8:dead:beef::/64"), "net");
    trie.add(IpBlock.parse("2001:db8:dead:beef::1/128"), "host");
    trie.add(IpBlock.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), "top");

    assertThat(containing(trie, "2001:0db8:dead:beef:0000:0000:0000:0001"))
        .containsExactlyInAnyOrder("all", "net", "host");
    assertThat(containing(trie, "2001:db8:dead:beef::2")).containsExactlyInAnyOrder("all", "net");
    assertThat(containing(trie, "2001:db8:dead:bee0::/60")).containsExactly("all");
    assertThat(containing(trie, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
        .containsExactlyInAnyOrder("all", "top");
    assertThat(containing(trie, "10.0.0.1")).isEmpty();
  }
}
