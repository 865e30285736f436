package org.entente.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.entente.stix.StixJson;
import org.entente.stix.id.DeterministicId;
import org.entente.stix.marking.Tlp;
import org.entente.stix.marking.TlpMarkings;
import org.entente.stix.validate.Finding;
import org.entente.stix.validate.StixValidator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The content seeded by {@code serve --demo} (resources {@code demo/world.json} and {@code
 * demo/objects.json}): valid STIX, a consistent world, and a sharing setup that shows every TLP
 * level where the policy allows it.
 */
class DemoContentTest {
  private static final String HOME_COMMUNITY = "nato-allies";
  private static final String PARTNER_COMMUNITY = "partners";
  private static final Pattern UUID4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  /** ISO 3166-1 user-assigned codes, minus XI and XK which are in use for real territories. */
  private static final Pattern USER_ASSIGNED_COUNTRY = Pattern.compile("Q[M-Z]|X[A-HJLM-Z]");

  private static final Set<String> ROLES = Set.of("reader", "analyst", "org-admin", "node-admin");

  private static JsonNode world;
  private static JsonNode entries;
  private static String home;
  private static final Map<String, JsonNode> orgs = new HashMap<>();
  private static final Map<String, JsonNode> communities = new HashMap<>();
  private static final Map<String, JsonNode> collections = new HashMap<>();
  private static final Map<String, JsonNode> users = new HashMap<>();

  @BeforeAll
  static void load() throws IOException {
    world = resource("/demo/world.json");
    entries = resource("/demo/objects.json");
    home = world.path("home").asText();
    index(world.get("organisations"), orgs);
    index(world.get("communities"), communities);
    index(world.get("users"), users);
    for (JsonNode c : world.get("collections")) {
      assertThat(collections.put(c.path("alias").asText(), c))
          .as("duplicate collection alias %s", c.path("alias"))
          .isNull();
    }
  }

  private static JsonNode resource(String path) throws IOException {
    try (InputStream in = DemoContentTest.class.getResourceAsStream(path)) {
      assertThat(in).as("class path resource %s", path).isNotNull();
      return StixJson.parse(in.readAllBytes());
    }
  }

  private static void index(JsonNode list, Map<String, JsonNode> into) {
    assertThat(list.isArray()).isTrue();
    for (JsonNode n : list) {
      String name = n.path("name").asText();
      assertThat(into.put(name, n)).as("duplicate name %s", name).isNull();
    }
  }

  @Test
  void everyObjectPassesTheValidator() {
    StixValidator validator = new StixValidator();
    List<String> errors = new ArrayList<>();
    for (JsonNode e : entries) {
      for (Finding f : validator.validate(e.get("object")).errors()) {
        errors.add(f.toString());
      }
    }
    assertThat(errors).isEmpty();
  }

  @Test
  void organisationsAreFictionalAndTheirIdentitiesValid() {
    assertThat(orgs).containsKey(home);
    StixValidator validator = new StixValidator();
    Set<String> identityIds = new HashSet<>();
    for (JsonNode o : orgs.values()) {
      String name = o.path("name").asText();
      assertThat(name).matches("[a-z0-9]+(-[a-z0-9]+)*");
      assertThat(o.path("country").asText()).as(name).matches(USER_ASSIGNED_COUNTRY);
      String id = o.path("identity_id").asText();
      assertThat(id).as(name).startsWith("identity--");
      assertThat(id.substring("identity--".length())).as(name).matches(UUID4);
      assertThat(identityIds.add(id)).as("identity id of %s is unique", name).isTrue();
      assertThat(o.path("description").asText()).as(name).isNotBlank();
      // The identity the seeder makes from this entry: sectors must be industry-sector-ov terms.
      ObjectNode identity = StixJson.mapper().createObjectNode();
      identity.put("type", "identity").put("spec_version", "2.1").put("id", id);
      identity.put("created", "2026-01-01T00:00:00.000Z").put("modified", "2026-01-01T00:00:00.000Z");
      identity.put("name", name).put("identity_class", "organization");
      identity.set("sectors", o.get("sectors"));
      assertThat(validator.validate(identity).findings()).as(name).isEmpty();
    }
  }

  @Test
  void communitiesHoldHomeSixteenAlliesAndFivePartners() {
    assertThat(communities).containsOnlyKeys(HOME_COMMUNITY, PARTNER_COMMUNITY);
    Set<String> allies = members(HOME_COMMUNITY);
    Set<String> partners = members(PARTNER_COMMUNITY);
    assertThat(allies).hasSize(17).contains(home);
    assertThat(partners).hasSize(5).doesNotContain(home).doesNotContainAnyElementsOf(allies);
    Set<String> all = new HashSet<>(allies);
    all.addAll(partners);
    assertThat(orgs.keySet()).as("organisations = communities' members").isEqualTo(all);
  }

  private static Set<String> members(String community) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode m : communities.get(community).get("members")) {
      assertThat(orgs).as("member of %s", community).containsKey(m.asText());
      assertThat(out.add(m.asText())).as("listed once in %s: %s", community, m).isTrue();
    }
    return out;
  }

  @Test
  void usersBelongToKnownOrganisationsWithKnownRoles() {
    assertThat(users).hasSizeBetween(12, 20).doesNotContainKey("admin");
    for (JsonNode u : users.values()) {
      assertThat(orgs).as("organisation of %s", u.path("name")).containsKey(u.path("organisation").asText());
      assertThat(ROLES).as("role of %s", u.path("name")).contains(u.path("role").asText());
    }
  }

  @Test
  void collectionsHaveValidIdsDefaultsAndGrantees() {
    assertThat(collections).hasSizeBetween(5, 7);
    Set<String> ids = new HashSet<>();
    boolean communityWrite = false;
    for (JsonNode c : collections.values()) {
      String alias = c.path("alias").asText();
      assertThat(c.path("id").asText()).as(alias).matches(UUID4);
      assertThat(ids.add(c.path("id").asText())).as("unique id of %s", alias).isTrue();
      assertThat(c.path("title").asText()).as(alias).isNotBlank();
      Tlp.parse(c.path("default_tlp").asText());
      assertThat(c.get("grants")).as(alias).isNotEmpty();
      for (JsonNode g : c.get("grants")) {
        String grantee = g.path("grantee").asText();
        assertThat(granteeExists(grantee)).as("grantee %s of %s", grantee, alias).isTrue();
        assertThat(g.path("read").isBoolean() && g.path("write").isBoolean()).as(grantee).isTrue();
        communityWrite |= grantee.startsWith("community:") && g.path("write").asBoolean();
      }
    }
    assertThat(communityWrite).as("some collection lets a community write").isTrue();
  }

  private static boolean granteeExists(String grantee) {
    int colon = grantee.indexOf(':');
    String kind = colon < 0 ? "" : grantee.substring(0, colon);
    String name = grantee.substring(colon + 1);
    return switch (kind) {
      case "org" -> orgs.containsKey(name);
      case "community" -> communities.containsKey(name);
      case "user" -> users.containsKey(name);
      default -> false;
    };
  }

  @Test
  void entriesNameKnownCollectionsAndProducersThatMayWriteThere() {
    assertThat(entries.size()).isBetween(40, 60);
    for (JsonNode e : entries) {
      JsonNode o = e.get("object");
      String what = o.path("id").asText();
      String alias = e.path("collection").asText();
      String producer = e.path("producer").asText();
      assertThat(collections).as("collection of %s", what).containsKey(alias);
      assertThat(orgs).as("producer of %s", what).containsKey(producer);
      assertThat(mayWrite(producer, collections.get(alias)))
          .as("%s may write %s (for %s)", producer, alias, what)
          .isTrue();
      assertThat(o.path("spec_version").asText()).as(what).isEqualTo("2.1");
      if (isSco(o)) {
        assertThat(o.has("created_by_ref")).as(what).isFalse();
      } else {
        assertThat(o.path("created_by_ref").asText())
            .as("created_by_ref of %s", what)
            .isEqualTo(orgs.get(producer).path("identity_id").asText());
        assertThat(uuidPart(o)).as("SDOs and SROs use UUIDv4: %s", what).matches(UUID4);
      }
    }
  }

  private static String uuidPart(JsonNode o) {
    String id = o.path("id").asText();
    return id.substring(id.indexOf("--") + 2);
  }

  private static boolean mayWrite(String org, JsonNode collection) {
    for (JsonNode g : collection.get("grants")) {
      if (!g.path("write").asBoolean()) {
        continue;
      }
      String grantee = g.path("grantee").asText();
      String name = grantee.substring(grantee.indexOf(':') + 1);
      boolean matches =
          grantee.startsWith("org:") && name.equals(org)
              || grantee.startsWith("community:") && members(name).contains(org)
              || grantee.startsWith("user:")
                  && org.equals(users.get(name).path("organisation").asText());
      if (matches) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSco(JsonNode o) {
    String type = o.path("type").asText();
    return type.equals("process") || !DeterministicId.contributingProperties(type).isEmpty();
  }

  @Test
  void scoIdsAreDeterministic() {
    int scos = 0;
    for (JsonNode e : entries) {
      JsonNode o = e.get("object");
      if (isSco(o)) {
        scos++;
        assertThat(DeterministicId.compute(o)).as("id of %s", o.path("id")).hasValue(o.path("id").asText());
      }
    }
    assertThat(scos).isPositive();
  }

  @Test
  void versionsAreUniqueAndSomeObjectsHaveTwo() {
    Set<String> versions = new HashSet<>();
    Map<String, Integer> perId = new HashMap<>();
    for (JsonNode e : entries) {
      JsonNode o = e.get("object");
      String id = o.path("id").asText();
      String version = id + "@" + o.path("modified").asText("");
      assertThat(versions.add(version)).as("unique version %s", version).isTrue();
      perId.merge(id, 1, Integer::sum);
    }
    assertThat(perId.values().stream().filter(n -> n > 1).count()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void referencesResolveWithinTheDemo() {
    Set<String> known = new HashSet<>(TlpMarkings.ids());
    orgs.values().forEach(o -> known.add(o.path("identity_id").asText()));
    entries.forEach(e -> known.add(e.get("object").path("id").asText()));
    List<String> dangling = new ArrayList<>();
    for (JsonNode e : entries) {
      collectRefs(e.get("object"), e.get("object").path("id").asText(), known, dangling);
    }
    assertThat(dangling).isEmpty();
  }

  private static void collectRefs(JsonNode node, String owner, Set<String> known, List<String> out) {
    if (node.isArray()) {
      node.forEach(n -> collectRefs(n, owner, known, out));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      String key = f.getKey();
      JsonNode v = f.getValue();
      if (key.endsWith("_ref") && v.isTextual()) {
        check(v.textValue(), owner, key, known, out);
      } else if (key.endsWith("_refs") && v.isArray()) {
        v.forEach(r -> check(r.asText(), owner, key, known, out));
      } else {
        collectRefs(v, owner, known, out);
      }
    }
  }

  private static void check(String ref, String owner, String key, Set<String> known, List<String> out) {
    if (!known.contains(ref)) {
      out.add(owner + "." + key + " -> " + ref);
    }
  }

  /** The level the node shares an entry under: its TLP markings, else its collection's default. */
  private static Tlp tlpOf(JsonNode entry) {
    return TlpMarkings.highest(entry.get("object"))
        .orElseGet(() -> Tlp.parse(collections.get(entry.path("collection").asText()).path("default_tlp").asText()));
  }

  @Test
  void everyTlpLevelOccursAtLeastThreeTimes() {
    Map<Tlp, Integer> counts = new EnumMap<>(Tlp.class);
    for (JsonNode e : entries) {
      counts.merge(tlpOf(e), 1, Integer::sum);
    }
    for (Tlp t : Tlp.values()) {
      assertThat(counts.getOrDefault(t, 0)).as("objects at %s", t.label()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void markingVariantsArePresent() {
    boolean unmarked = false;
    boolean tlp1 = false;
    boolean granularRaise = false;
    for (JsonNode e : entries) {
      JsonNode o = e.get("object");
      unmarked |= !o.has("object_marking_refs") && !o.has("granular_markings");
      for (JsonNode r : o.path("object_marking_refs")) {
        tlp1 |= r.asText().equals(TlpMarkings.TLP1_AMBER);
      }
      for (JsonNode g : o.path("granular_markings")) {
        Tlp part = TlpMarkings.ofMarkingId(g.path("marking_ref").asText()).orElseThrow();
        Tlp whole = TlpMarkings.ofMarkingId(o.path("object_marking_refs").path(0).asText()).orElseThrow();
        granularRaise |= part.isMoreRestrictiveThan(whole);
      }
    }
    assertThat(unmarked).as("an object that takes its collection's default").isTrue();
    assertThat(tlp1).as("an object with a TLP 1.0 marking").isTrue();
    assertThat(granularRaise).as("a granular marking that raises part of an object").isTrue();
  }

  @Test
  void redObjectsOnlyInCollectionsReadByNamedUsers() {
    for (JsonNode e : entries) {
      if (tlpOf(e) != Tlp.RED) {
        continue;
      }
      String alias = e.path("collection").asText();
      boolean anyReader = false;
      for (JsonNode g : collections.get(alias).get("grants")) {
        if (g.path("read").asBoolean()) {
          anyReader = true;
          assertThat(g.path("grantee").asText())
              .as("read grant of %s, which holds RED %s", alias, e.get("object").path("id"))
              .startsWith("user:");
        }
      }
      assertThat(anyReader).as("someone may read %s", alias).isTrue();
    }
  }

  @Test
  void everyCollectionHoldsObjects() {
    Set<String> used = new HashSet<>();
    entries.forEach(e -> used.add(e.path("collection").asText()));
    assertThat(used).containsAll(collections.keySet());
  }
}
