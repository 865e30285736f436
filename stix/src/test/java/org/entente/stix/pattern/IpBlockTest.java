package org.entente.stix.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Address blocks as CIDR comparisons and the indicator index see them. */
class IpBlockTest {
  @Test
  void parsesAndRejects() {
    assertThat(IpBlock.parse("10.1.2.3/8")).isEqualTo(IpBlock.parse("10.0.0.0/8"));
    assertThat(IpBlock.parse("::ffff:1.2.3.4")).isEqualTo(IpBlock.parse("::ffff:102:304"));
    assertThat(IpBlock.parse("2001:db8::/32").contains(IpBlock.parse("2001:db8:1::1"))).isTrue();
    assertThat(IpBlock.parse("0.0.0.0/0").contains(IpBlock.parse("::1"))).isFalse();
    for (String bad :
        new String[] {
          "", "1.2.3", "1.2.3.256", "1.2.3.4/33", "::/129", "1::2::3", "1.2.3.4/", "x"
        }) {
      assertThat(IpBlock.parse(bad)).as(bad).isNull();
    }
  }

  @Test
  void blocksContainTheirAddressesAndSubBlocksOnly() {
    assertThat(IpBlock.parse("198.51.100.0/24").contains(IpBlock.parse("198.51.100.7"))).isTrue();
    assertThat(IpBlock.parse("198.51.100.0/24").contains(IpBlock.parse("198.51.101.7"))).isFalse();
    assertThat(IpBlock.parse("198.51.100.0/24").contains(IpBlock.parse("198.51.100.0/23")))
        .isFalse();
    assertThat(IpBlock.parse("0.0.0.0/0").contains(IpBlock.parse("255.255.255.255"))).isTrue();
    assertThat(IpBlock.parse("::/0").contains(IpBlock.parse("ffff::1"))).isTrue();
  }
}
