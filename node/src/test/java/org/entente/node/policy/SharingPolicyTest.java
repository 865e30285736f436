package org.entente.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.entente.node.policy.SharingPolicy.Grant;
import org.entente.node.policy.SharingPolicy.GranteeKind;
import org.entente.node.policy.SharingPolicy.ObjectMeta;
import org.entente.node.policy.SharingPolicy.Reader;
import org.entente.stix.marking.Tlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SharingPolicyTest {
  private static final Reader ALICE = new Reader("alice", "cert-a", Set.of("nato-allies"));

  static Stream<Arguments> cases() {
    Grant org = new Grant(GranteeKind.ORG, "cert-a", true, false);
    Grant community = new Grant(GranteeKind.COMMUNITY, "nato-allies", true, false);
    Grant user = new Grant(GranteeKind.USER, "alice", true, false);
    Grant otherOrg = new Grant(GranteeKind.ORG, "cert-b", true, true);
    Grant writeOnly = new Grant(GranteeKind.ORG, "cert-a", false, true);
    return Stream.of(
        Arguments.of("green via org grant", Tlp.GREEN, "cert-b", List.of(org), true),
        Arguments.of("clear via community grant", Tlp.CLEAR, "cert-b", List.of(community), true),
        Arguments.of("amber via org grant", Tlp.AMBER, "cert-b", List.of(org), true),
        Arguments.of("amber+strict via community", Tlp.AMBER_STRICT, "cert-b", List.of(community), true),
        Arguments.of("red never via org grant", Tlp.RED, "cert-b", List.of(org), false),
        Arguments.of("red never via community grant", Tlp.RED, "cert-b", List.of(community), false),
        Arguments.of("red via a grant by name", Tlp.RED, "cert-b", List.of(user), true),
        Arguments.of("nothing without a read grant", Tlp.CLEAR, "cert-b", List.of(writeOnly), false),
        Arguments.of("another org's grant gives nothing", Tlp.CLEAR, "cert-b", List.of(otherOrg), false),
        Arguments.of("producer sees its own red", Tlp.RED, "cert-a", List.of(), true),
        Arguments.of("producer sees its own without grants", Tlp.AMBER, "cert-a", List.of(), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesVisibility(String name, Tlp tlp, String producer, List<Grant> grants, boolean visible) {
    assertThat(SharingPolicy.visible(new ObjectMeta(producer, tlp), ALICE, grants)).isEqualTo(visible);
  }

  /** Properties over random worlds: grants only widen, TLP only narrows, producers always see. */
  @Test
  void moreGrantsNeverHideAndHigherTlpNeverShows() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    String[] orgs = {"cert-a", "cert-b", "cert-c"};
    String[] users = {"alice", "bob", "carol"};
    String[] communities = {"nato-allies", "partners"};
    for (int i = 0; i < 20_000; i++) {
      Reader reader =
          new Reader(
              users[random.nextInt(users.length)],
              orgs[random.nextInt(orgs.length)],
              random.nextBoolean() ? Set.of(communities[random.nextInt(2)]) : Set.of());
      List<Grant> grants = new ArrayList<>();
      int n = random.nextInt(4);
      for (int g = 0; g < n; g++) {
        grants.add(randomGrant(random, orgs, users, communities));
      }
      ObjectMeta meta =
          new ObjectMeta(orgs[random.nextInt(orgs.length)], Tlp.values()[random.nextInt(5)]);
      boolean before = SharingPolicy.visible(meta, reader, grants);
      List<Grant> more = new ArrayList<>(grants);
      more.add(randomGrant(random, orgs, users, communities));
      String replay = "seed " + seed + ", case " + i;
      if (before) {
        assertThat(SharingPolicy.visible(meta, reader, more)).as(replay).isTrue();
      }
      if (meta.tlp() != Tlp.CLEAR) {
        Tlp lower = Tlp.values()[meta.tlp().ordinal() - 1];
        if (before) {
          assertThat(SharingPolicy.visible(new ObjectMeta(meta.producers(), lower), reader, grants))
              .as(replay)
              .isTrue();
        }
      }
      assertThat(SharingPolicy.visible(new ObjectMeta(reader.organisation(), Tlp.RED), reader, List.of()))
          .as(replay)
          .isTrue();
    }
  }

  private static Grant randomGrant(
      SplittableRandom random, String[] orgs, String[] users, String[] communities) {
    GranteeKind kind = GranteeKind.values()[random.nextInt(3)];
    String grantee =
        switch (kind) {
          case ORG -> orgs[random.nextInt(orgs.length)];
          case USER -> users[random.nextInt(users.length)];
          case COMMUNITY -> communities[random.nextInt(communities.length)];
        };
    return new Grant(kind, grantee, random.nextBoolean(), random.nextBoolean());
  }
}
