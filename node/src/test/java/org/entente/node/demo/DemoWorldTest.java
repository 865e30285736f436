package org.entente.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.NodeSetup;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.stix.StixJson;
import org.entente.stix.marking.Tlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo world seeds once and shows the sharing policy at work over TAXII. */
class DemoWorldTest {
  @TempDir Path dir;

  @Test
  void seedsOnceAndEachAudienceSeesWhatThePolicyAllows() throws Exception {
    NodeConfig config = NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0);
    try (Node node = Node.start(config, Map.of("ENTENTE_ADMIN_PASSWORD", "demo-admin-pw"))) {
      DemoWorld world =
          new DemoWorld(
              node.store(), new PasswordHasher(1024, 1), new Secrets(), Clock.systemUTC());
      DemoWorld.Seeded seeded = world.seed(NodeSetup.API_ROOT);
      assertThat(seeded.fresh()).isTrue();
      assertThat(seeded.objects()).isGreaterThanOrEqualTo(40);
      assertThat(node.store().community("nato-allies").orElseThrow().members()).hasSize(17);
      assertThat(node.store().community("partners").orElseThrow().members()).hasSize(5);
      assertThat(world.seed(NodeSetup.API_ROOT).fresh()).isFalse();

      Map<String, DemoWorld.Credentials> users =
          seeded.credentials().stream()
              .collect(Collectors.toMap(DemoWorld.Credentials::user, c -> c));
      Set<String> namedRecipients =
          node
              .store()
              .grants(node.store().collection("api", "named-recipients").orElseThrow().id())
              .stream()
              .filter(g -> g.kind() == org.entente.store.CollectionGrant.GranteeKind.USER)
              .map(org.entente.store.CollectionGrant::grantee)
              .collect(Collectors.toSet());
      String allyReader =
          anyUser(
              seeded,
              c ->
                  !c.organisation().equals("home")
                      && isAlly(node, c)
                      && !namedRecipients.contains(c.user()));
      String partner = anyUser(seeded, c -> isPartner(node, c));

      // Named recipients: RED reaches users granted by name only.
      Set<Tlp> named = levels(node, users.get("aldoria-analyst").token(), "named-recipients");
      assertThat(named).contains(Tlp.RED);
      assertThat(get(node, users.get(allyReader).token(), "named-recipients").statusCode())
          .isIn(403, 404);

      // Allies see AMBER in the allies collection; partners do not see that collection at all.
      assertThat(levels(node, users.get(allyReader).token(), "allies"))
          .contains(Tlp.AMBER)
          .doesNotContain(Tlp.RED);
      assertThat(get(node, users.get(partner).token(), "allies").statusCode()).isEqualTo(404);
      // Everybody's readers see the public collection, all CLEAR.
      assertThat(levels(node, users.get(partner).token(), "public")).containsOnly(Tlp.CLEAR);

      // Basic authentication with the printed password works too (TAXII clients use it).
      var basic =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(node.baseUrl() + "/api/collections/"))
                      .header("Accept", "application/taxii+json;version=2.1")
                      .header(
                          "Authorization",
                          "Basic "
                              + java.util.Base64.getEncoder()
                                  .encodeToString(
                                      (partner + ":" + users.get(partner).password()).getBytes()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(basic.statusCode()).isEqualTo(200);
    }
  }

  private static boolean isAlly(Node node, DemoWorld.Credentials c) {
    return node.store().communitiesOf(c.organisation()).contains("nato-allies");
  }

  private static boolean isPartner(Node node, DemoWorld.Credentials c) {
    return node.store().communitiesOf(c.organisation()).equals(Set.of("partners"));
  }

  private static String anyUser(
      DemoWorld.Seeded seeded, java.util.function.Predicate<DemoWorld.Credentials> p) {
    return seeded.credentials().stream()
        .filter(c -> c.role().equals("reader") || c.role().equals("analyst"))
        .filter(p)
        .map(DemoWorld.Credentials::user)
        .findFirst()
        .orElseThrow();
  }

  private static HttpResponse<String> get(Node node, String token, String alias) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        node.baseUrl() + "/api/collections/" + alias + "/objects/?limit=1000"))
                .header("Accept", "application/taxii+json;version=2.1")
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The TLP levels of the objects a token's user reads in a collection. */
  private static Set<Tlp> levels(Node node, String token, String alias) throws Exception {
    HttpResponse<String> r = get(node, token, alias);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Set<Tlp> out = new HashSet<>();
    for (JsonNode o : StixJson.parse(r.body()).path("objects")) {
      out.add(org.entente.stix.marking.EffectiveTlp.of(o, Map.of(), tlpDefault(alias)));
    }
    return out;
  }

  private static Tlp tlpDefault(String alias) {
    return switch (alias) {
      case "public" -> Tlp.CLEAR;
      case "named-recipients" -> Tlp.RED;
      default -> Tlp.AMBER;
    };
  }
}
