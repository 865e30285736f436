package org.entente.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.entente.node.NodeSetup;
import org.entente.node.auth.Secrets;
import org.entente.node.policy.SharingPolicy.Grant;
import org.entente.node.policy.SharingPolicy.GranteeKind;
import org.entente.node.policy.SharingPolicy.ObjectMeta;
import org.entente.node.policy.SharingPolicy.Reader;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.StixTimestamp;
import org.entente.stix.marking.Tlp;
import org.entente.stix.marking.TlpMarkings;
import org.entente.stix.validate.StixValidator;
import org.entente.stix.validate.ValidationReport;
import org.entente.store.ApiToken;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.Community;
import org.entente.store.Entry;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.SpecVersions;
import org.entente.store.Store;
import org.entente.store.TestBackend;
import org.entente.store.User;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sharing policy, end to end over real HTTP: random worlds (organisations, communities, users,
 * collections, grants, objects at every TLP level, marked in every way the node understands) are
 * built on a real node, then random TAXII requests by random users are checked, each one, against a
 * model: the pure {@link SharingPolicy} applied to what the test posted (producer organisation and
 * effective TLP of every entry).
 *
 * <p>Every response must show exactly the visible set: ids, versions, first/last and newest spec
 * version decided among visible versions only, {@code more}/{@code next} and the {@code
 * X-TAXII-Date-Added-*} headers of the visible page, can_read/can_write, and the 403/404 choices;
 * anything hidden is answered byte for byte like something that never existed.
 *
 * <p>Seeded: a failure prints the seed; replay with {@code -Dentente.sharing.seed=<seed>}. {@code
 * -Dentente.sharing.worlds} and {@code -Dentente.sharing.requests} scale the run.
 */
class SharingPolicyHttpPropertyTest {
  private static final String TAXII = "application/taxii+json;version=2.1";
  private static final String ROOT = "/" + NodeSetup.API_ROOT;
  private static final int WORLDS = Integer.getInteger("entente.sharing.worlds", 4);
  private static final int REQUESTS = Integer.getInteger("entente.sharing.requests", 1500);
  private static final int PAGE_DEFAULT = 1000;
  private static final int MIN_CASES = 10_000;
  private static final List<String> TYPES =
      List.of("indicator", "malware", "threat-actor", "attack-pattern");
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String DUPLICATE = "already present in this collection";
  private static final StixValidator VALIDATOR = new StixValidator();

  @TempDir Path dir;

  @ParameterizedTest(name = "on {0}")
  @EnumSource(TestBackend.class)
  void everyResponseShowsExactlyWhatTheSharingPolicyAllows(TestBackend backend) throws Exception {
    long seed = Long.getLong("entente.sharing.seed", new SplittableRandom().nextLong());
    long started = System.nanoTime();
    long cases = 0;
    long storeChecks = 0;
    Map<String, Long> stats = new TreeMap<>();
    int worlds = 0;
    // At least WORLDS worlds, and more (of the same seed) until 10,000 requests were checked.
    for (int w = 0; w < WORLDS || (cases < MIN_CASES && w < 3 * WORLDS); w++) {
      worlds++;
      World world = null;
      try (LeakChannelTest.Server server =
          LeakChannelTest.Server.production(dir.resolve("world-" + w), backend)) {
        world = new World(server, new SplittableRandom(worldSeed(seed, w)), "world " + w);
        world.build();
        world.run(REQUESTS);
        cases += world.cases;
        storeChecks += world.storeChecks;
        world.stats.forEach((k, v) -> stats.merge(k, v, Long::sum));
      } catch (Throwable e) {
        throw new AssertionError(
            "sharing policy violated; seed "
                + seed
                + " (replay: -Dentente.sharing.seed="
                + seed
                + "), world "
                + w
                + (world == null ? "" : ", after " + world.cases + " checked requests")
                + "\n"
                + e.getMessage(),
            e);
      }
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "SharingPolicyHttpPropertyTest on %s: seed %d, %d worlds, %d HTTP requests checked"
            + " against the model (+%d store cross-checks) in %d ms%n",
        backend, seed, worlds, cases, storeChecks, ms);
    stats.forEach((k, v) -> System.out.printf("  %7d  %s%n", v, k));
    if (WORLDS >= 4 && REQUESTS >= 1500) {
      assertThat(cases).as("checked requests (seed %d)", seed).isGreaterThanOrEqualTo(MIN_CASES);
    }
  }

  private static long worldSeed(long seed, int world) {
    return seed ^ (0x9E3779B97F4A7C15L * (world + 1));
  }

  /**
   * The model has teeth: run on a server whose sharing policy is deliberately weakened (see {@link
   * LeakChannelTest.Weakening}), the same random worlds and requests find a violation.
   */
  @ParameterizedTest(name = "the model notices when {0}")
  @EnumSource(
      value = LeakChannelTest.Weakening.class,
      names = {
        "CEILING_ONE_UP",
        "EVERYTHING",
        "ORGANISATION_REPLACED",
        "COMMUNITY_AS_USER",
        "EVERYONE_READS",
        "FILTER_AFTER_LIMIT",
        "FIRST_LAST_AMONG_ALL",
        "STATUS_OWNER_CONFUSED",
        "CREATED_BY_REF_UNCHECKED",
        "REQUESTER_ORGANISATION_SWAPPED"
      })
  void theModelNoticesAWeakenedPolicy(LeakChannelTest.Weakening weakening) throws Exception {
    long seed = Long.getLong("entente.sharing.seed", new SplittableRandom().nextLong());
    for (int w = 0; w < 6; w++) {
      try (LeakChannelTest.Server server =
          LeakChannelTest.Server.assembled(dir.resolve(weakening.name() + "-" + w), weakening)) {
        World world =
            new World(server, new SplittableRandom(worldSeed(seed, w)), weakening + " world " + w);
        try {
          world.build();
          world.run(500);
        } catch (AssertionError noticed) {
          System.out.printf(
              "[%s] noticed after %d requests: %s%n",
              weakening.name(), world.cases, noticed.getMessage().lines().findFirst().orElse(""));
          return;
        }
      }
    }
    throw new AssertionError(
        "six random worlds (seed " + seed + ") did not notice that " + weakening);
  }

  // ---- the model ----------------------------------------------------------------------------

  /** What a TAXII endpoint selects; each defines its own filters (TAXII 2.1 §3.4). */
  enum Kind {
    OBJECTS(true, true, true, true, true),
    MANIFEST(true, true, true, true, true),
    OBJECT(false, false, true, true, true),
    VERSIONS(false, false, false, true, true),
    DELETE(false, false, true, true, false);

    final boolean byId;
    final boolean byType;
    final boolean byVersion;
    final boolean bySpec;
    final boolean paged;

    Kind(boolean byId, boolean byType, boolean byVersion, boolean bySpec, boolean paged) {
      this.byId = byId;
      this.byType = byType;
      this.byVersion = byVersion;
      this.bySpec = bySpec;
      this.paged = paged;
    }
  }

  /** One STIX object version the test made (its JSON is fixed once made: ids never conflict). */
  static final class Body {
    final String id;
    final String type;
    final String spec;
    final String version;
    final Instant versionInstant;
    final String json;
    final JsonNode tree;

    /** The level its markings give it; null when unmarked (the collection default applies). */
    final Tlp tlp;

    final String createdByRef;

    /** A TLP marking-definition (not a well-known id) that must travel in the same envelope. */
    final Body definition;

    final String marking;

    Body(
        ObjectNode tree,
        String spec,
        String version,
        Tlp tlp,
        String createdByRef,
        Body definition,
        String marking) {
      this.id = tree.get("id").asText();
      this.type = tree.get("type").asText();
      this.spec = spec;
      this.version = version;
      this.versionInstant = Instant.parse(version);
      this.json = StixJson.write(tree);
      this.tree = tree;
      this.tlp = tlp;
      this.createdByRef = createdByRef;
      this.definition = definition;
      this.marking = marking;
    }

    String key() {
      return id + "@" + version;
    }

    @Override
    public String toString() {
      return key() + "[" + marking + "]";
    }
  }

  /** One entry of a collection as the model has it. */
  static final class ModelEntry {
    final String collection;
    final Body body;

    /** The organisation that added the entry (the store's producer_org). */
    final String producer;

    /** It and every other organisation that posted the same version into the collection. */
    final Set<String> producers = new LinkedHashSet<>();

    final Tlp tlp;
    long seq;
    Instant dateAdded;

    ModelEntry(String collection, Body body, String producer, Tlp tlp) {
      this.collection = collection;
      this.body = body;
      this.producer = producer;
      this.producers.add(producer);
      this.tlp = tlp;
    }

    @Override
    public String toString() {
      return body.key() + "{" + tlp + " by " + producers + ", seq " + seq + "}";
    }
  }

  record ModelUser(String name, String org, User.Role role, String token, boolean tokenWrites) {
    boolean admin() {
      return role == User.Role.NODE_ADMIN;
    }

    String authorization() {
      return "Bearer " + token;
    }

    @Override
    public String toString() {
      return name + "(" + org + ", " + role + (tokenWrites ? "" : ", read-only token") + ")";
    }
  }

  static final class ModelCollection {
    final String id;
    final String alias;
    final Tlp defaultTlp;
    final Map<String, CollectionGrant> grants = new LinkedHashMap<>();

    ModelCollection(String id, String alias, Tlp defaultTlp) {
      this.id = id;
      this.alias = alias;
      this.defaultTlp = defaultTlp;
    }

    List<Grant> policyGrants() {
      List<Grant> out = new ArrayList<>();
      for (CollectionGrant g : grants.values()) {
        out.add(
            new Grant(
                GranteeKind.valueOf(g.kind().name()), g.grantee(), g.canRead(), g.canWrite()));
      }
      return out;
    }

    @Override
    public String toString() {
      return (alias != null ? alias : id)
          + "(default "
          + defaultTlp
          + ", grants "
          + grants.values()
          + ")";
    }
  }

  /** A user's rights on a collection, as the model derives them. */
  record Rights(boolean canRead, boolean canWrite, Tlp ceiling, Reader reader, List<Grant> grants) {
    boolean hidden() {
      return !canRead && !canWrite;
    }
  }

  /** TAXII filters of one request; null/empty means not sent. */
  record Query(
      Set<String> ids,
      Set<String> types,
      String version,
      String spec,
      String addedAfter,
      Integer limit) {
    static final Query NONE = new Query(Set.of(), Set.of(), null, null, null, null);

    String params(String next, Integer pageLimit) {
      List<String> p = new ArrayList<>();
      if (!ids.isEmpty()) {
        p.add(param("match[id]", String.join(",", ids)));
      }
      if (!types.isEmpty()) {
        p.add(param("match[type]", String.join(",", types)));
      }
      if (version != null) {
        p.add(param("match[version]", version));
      }
      if (spec != null) {
        p.add(param("match[spec_version]", spec));
      }
      if (addedAfter != null) {
        p.add(param("added_after", addedAfter));
      }
      if (pageLimit != null) {
        p.add(param("limit", pageLimit.toString()));
      }
      if (next != null) {
        p.add(param("next", next));
      }
      return p.isEmpty() ? "" : "?" + String.join("&", p);
    }

    private static String param(String name, String value) {
      return URLEncoder.encode(name, StandardCharsets.UTF_8)
          + "="
          + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
  }

  record StatusM(String id, String owner, JsonNode tree) {}

  /** One HTTP exchange. */
  record Resp(int status, String body, Map<String, List<String>> headers) {
    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().isEmpty() ? null : e.getValue().get(0);
        }
      }
      return null;
    }

    /**
     * Everything a client sees, in a comparable form, except Date and Connection: Jetty adds
     * "Connection: close" when a request body was not read before the answer, by timing alone, as
     * often for a missing collection as for a hidden one.
     */
    String wire() {
      TreeMap<String, List<String>> h = new TreeMap<>();
      headers.forEach(
          (k, v) -> {
            if (!k.equalsIgnoreCase("date")
                && !k.equalsIgnoreCase("connection")
                && !k.equals(":status")) {
              h.put(k.toLowerCase(java.util.Locale.ROOT), v);
            }
          });
      return status + " " + h + "\n" + body;
    }
  }

  // ---- one world ------------------------------------------------------------------------------

  static final class World {
    final Store store;
    final SplittableRandom random;
    final String label;
    final HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    final String base;

    final List<String> orgs = new ArrayList<>();
    final Map<String, String> identities = new LinkedHashMap<>();
    final Map<String, Set<String>> communitiesOf = new LinkedHashMap<>();
    final List<ModelUser> users = new ArrayList<>();
    final List<ModelCollection> collections = new ArrayList<>();

    /** Every object version ever made, by id then version. */
    final Map<String, NavigableMap<Instant, Body>> bodies = new LinkedHashMap<>();

    final List<String> ids = new ArrayList<>();
    final Map<String, Instant> createdOf = new LinkedHashMap<>();
    final Map<String, List<ModelEntry>> entries = new LinkedHashMap<>();
    final List<StatusM> statuses = new ArrayList<>();
    final Map<String, Resp> baselines = new LinkedHashMap<>();
    Instant clock;

    long cases;
    long storeChecks;
    final Map<String, Long> stats = new TreeMap<>();
    String lastRequest = "";
    Resp lastResponse;

    World(LeakChannelTest.Server server, SplittableRandom random, String label) {
      this.store = server.store;
      this.random = random;
      this.label = label;
      this.base = server.baseUrl;
      this.clock = Instant.parse("2026-01-01T00:00:00Z").plus(random.nextInt(300), ChronoUnit.DAYS);
    }

    // ---- building ---------------------------------------------------------------------------

    void build() throws Exception {
      // The node's own first-start world: home organisation, admin, collection 'default'.
      String home =
          store.organisations().stream()
              .filter(Organisation::home)
              .findFirst()
              .orElseThrow()
              .name();
      orgs.add(home);
      identities.put(home, store.organisation(home).orElseThrow().identityId());
      int extraOrgs = 2 + random.nextInt(4); // 3..6 organisations in all
      for (int i = 0; i < extraOrgs; i++) {
        String name = "org-" + (char) ('a' + i);
        orgs.add(name);
        identities.put(name, "identity--" + uuid());
      }
      for (String o : orgs) {
        communitiesOf.put(o, new TreeSet<>());
      }
      List<Community> communities = new ArrayList<>();
      int nCommunities = 1 + random.nextInt(3);
      for (int i = 0; i < nCommunities; i++) {
        String name = "community-" + (i + 1);
        List<String> members = new ArrayList<>();
        for (String o : orgs) {
          if (random.nextInt(100) < 40) {
            members.add(o);
          }
        }
        if (members.isEmpty()) {
          members.add(pick(orgs));
        }
        members.forEach(m -> communitiesOf.get(m).add(name));
        communities.add(new Community(name, "random community", members, null));
      }
      // Users: 6..12 readers and analysts, maybe one node admin of its own, and the node's admin.
      int nUsers = 6 + random.nextInt(7);
      for (int i = 0; i < nUsers; i++) {
        User.Role role =
            i == 0 && random.nextBoolean()
                ? User.Role.NODE_ADMIN
                : random.nextInt(100) < 35 ? User.Role.READER : User.Role.ANALYST;
        users.add(
            new ModelUser(
                "user-" + i, pick(orgs), role, "ent_" + uuid(), random.nextInt(100) < 85));
      }
      users.add(new ModelUser("admin", home, User.Role.NODE_ADMIN, "ent_" + uuid(), true));

      ModelCollection defaults =
          new ModelCollection(
              store.collection(NodeSetup.API_ROOT, "default").orElseThrow().id(),
              "default",
              Tlp.AMBER);
      for (CollectionGrant g : store.grants(defaults.id)) {
        defaults.grants.put(g.kind() + ":" + g.grantee(), g);
      }
      collections.add(defaults);
      int nCollections = 2 + random.nextInt(3);
      List<String> defaultTexts = new ArrayList<>();
      for (int i = 0; i < nCollections; i++) {
        String text =
            random.nextInt(5) == 0
                ? null
                : List.of("clear", "green", "amber", "amber+strict", "red").get(random.nextInt(5));
        defaultTexts.add(text);
        collections.add(
            new ModelCollection(
                uuid(),
                random.nextBoolean() ? "coll-" + (i + 1) : null,
                text == null ? Tlp.AMBER : Tlp.parse(text)));
      }
      for (ModelCollection c : collections) {
        int nGrants = 1 + random.nextInt(6);
        for (int g = 0; g < nGrants; g++) {
          addGrant(c, randomGrant(c, communities));
        }
      }
      // Every world has writers: if too few (user, collection) pairs may write, grant some.
      for (int i = 0; i < 50 && nonAdminWriters() < 4; i++) {
        ModelCollection c = pick(collections.subList(1, collections.size()));
        ModelUser u = pick(users);
        addGrant(
            c, new CollectionGrant(c.id, CollectionGrant.GranteeKind.ORG, u.org(), true, true));
      }
      store.write(
          tx -> {
            for (String o : orgs.subList(1, orgs.size())) {
              tx.createOrganisation(new Organisation(o, identities.get(o), "XA", false));
            }
            communities.forEach(tx::createCommunity);
            Instant now = Instant.now();
            for (ModelUser u : users) {
              if (!u.name().equals("admin")) {
                tx.createUser(new User(u.name(), u.org(), u.role(), null, false, now));
              }
              tx.createToken(
                  new ApiToken(
                      "token-" + u.name(),
                      u.name(),
                      Secrets.sha256Hex(u.token()),
                      u.tokenWrites(),
                      now,
                      null,
                      false));
            }
            for (int i = 1; i < collections.size(); i++) {
              ModelCollection c = collections.get(i);
              tx.createCollection(
                  new Collection(
                      c.id,
                      NodeSetup.API_ROOT,
                      "Collection " + i,
                      null,
                      c.alias,
                      defaultTexts.get(i - 1),
                      null));
            }
            for (ModelCollection c : collections) {
              c.grants.values().forEach(tx::grant);
            }
            return null;
          });
      // What the node holds already (the home identity in 'default'), as entries of the model.
      for (ModelCollection c : collections) {
        entries.put(c.id, new ArrayList<>());
        for (Entry e : storeEntries(c.id, Set.of())) {
          ObjectNode tree = (ObjectNode) StixJson.parse(e.json());
          Body b = new Body(tree, e.specVersion(), e.version(), null, null, null, "preexisting");
          register(b);
          ModelEntry m = new ModelEntry(c.id, b, e.producerOrg(), e.tlp());
          m.seq = e.seq();
          m.dateAdded = e.dateAdded();
          entries.get(c.id).add(m);
        }
      }
      // The initial content, posted over HTTP by users who may write (every POST is checked).
      int posts = 25 + random.nextInt(15);
      for (int i = 0; i < posts; i++) {
        var pair = writer();
        post(pair.getKey(), pair.getValue(), envelopeFor(pair.getKey(), pair.getValue()));
      }
      // Versions in an older spec version, as federation or an import writes them (not TAXII
      // POST, which takes 2.1 only): they exercise match[spec_version] and the newest spec
      // version decided among visible versions only.
      int imports = 4 + random.nextInt(6);
      for (int i = 0; i < imports; i++) {
        importSpec20();
      }
      verifyStore();
    }

    private void addGrant(ModelCollection c, CollectionGrant g) {
      String key = g.kind() + ":" + g.grantee();
      if (!g.canRead() && !g.canWrite()) {
        c.grants.remove(key);
      } else {
        c.grants.put(key, g);
      }
    }

    private CollectionGrant randomGrant(ModelCollection c, List<Community> communities) {
      int kind = random.nextInt(10);
      boolean read = random.nextInt(100) < 80;
      boolean write = random.nextInt(100) < 55;
      if (!read && !write) {
        read = true;
      }
      if (kind < 4) {
        return new CollectionGrant(c.id, CollectionGrant.GranteeKind.ORG, pick(orgs), read, write);
      }
      if (kind < 7) {
        return new CollectionGrant(
            c.id, CollectionGrant.GranteeKind.COMMUNITY, pick(communities).name(), read, write);
      }
      return new CollectionGrant(
          c.id, CollectionGrant.GranteeKind.USER, pick(users).name(), read, write);
    }

    private long nonAdminWriters() {
      return writablePairs().stream().filter(p -> !p.getKey().admin()).count();
    }

    /** (user, collection) pairs that may write; node admins only now and then. */
    private Map.Entry<ModelUser, ModelCollection> writer() {
      List<Map.Entry<ModelUser, ModelCollection>> pairs = writablePairs();
      List<Map.Entry<ModelUser, ModelCollection>> others = new ArrayList<>();
      for (var p : pairs) {
        if (!p.getKey().admin()) {
          others.add(p);
        }
      }
      return !others.isEmpty() && random.nextInt(100) < 85 ? pick(others) : pick(pairs);
    }

    private List<Map.Entry<ModelUser, ModelCollection>> writablePairs() {
      List<Map.Entry<ModelUser, ModelCollection>> out = new ArrayList<>();
      for (ModelUser u : users) {
        for (ModelCollection c : collections) {
          if (rights(u, c).canWrite()) {
            out.add(Map.entry(u, c));
          }
        }
      }
      return out;
    }

    // ---- object generation ------------------------------------------------------------------

    String uuid() {
      long hi = random.nextLong();
      long lo = random.nextLong();
      hi = (hi & ~0xF000L) | 0x4000L;
      lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(hi, lo).toString();
    }

    <T> T pick(List<T> list) {
      return list.get(random.nextInt(list.size()));
    }

    private Instant tick() {
      clock = clock.plusMillis(1 + random.nextInt(3_600_000));
      return clock;
    }

    private void register(Body b) {
      NavigableMap<Instant, Body> versions = bodies.get(b.id);
      if (versions == null) {
        versions = new TreeMap<>();
        bodies.put(b.id, versions);
        ids.add(b.id);
      }
      versions.put(b.versionInstant, b);
    }

    private Tlp randomTlp() {
      return random.nextInt(6) == 0 ? null : Tlp.values()[random.nextInt(Tlp.values().length)];
    }

    private static String tlp1(Tlp t) {
      return switch (t) {
        case CLEAR -> TlpMarkings.TLP1_WHITE;
        case GREEN -> TlpMarkings.TLP1_GREEN;
        case AMBER -> TlpMarkings.TLP1_AMBER;
        case RED -> TlpMarkings.TLP1_RED;
        case AMBER_STRICT -> null; // TLP 1.0 has no AMBER+STRICT
      };
    }

    private Tlp lowerOrEqual(Tlp t) {
      return Tlp.values()[random.nextInt(t.ordinal() + 1)];
    }

    /** A TLP marking-definition under a fresh id, only resolvable from the same envelope. */
    private Body markingDefinition(Tlp t) {
      ObjectNode o = StixJson.mapper().createObjectNode();
      String created = MILLIS.format(tick());
      o.put("type", "marking-definition");
      o.put("spec_version", "2.1");
      o.put("id", "marking-definition--" + uuid());
      o.put("created", created);
      o.put("name", "Custom " + t.label());
      o.putObject("extensions")
          .putObject(TlpMarkings.TLP2_EXTENSION)
          .put("extension_type", "property-extension")
          .put("tlp_2_0", t.label().substring(4).toLowerCase(java.util.Locale.ROOT));
      Body b = new Body(o, "2.1", created, null, null, null, "definition " + t);
      register(b);
      return b;
    }

    /** A new object version; {@code tlp} null makes it unmarked. */
    private Body makeBody(
        String id,
        String type,
        Instant created,
        Instant modified,
        String spec,
        Tlp tlp,
        String createdByRef) {
      ObjectNode o = StixJson.mapper().createObjectNode();
      o.put("type", type);
      o.put("spec_version", spec);
      o.put("id", id);
      if (createdByRef != null) {
        o.put("created_by_ref", createdByRef);
      }
      o.put("created", MILLIS.format(created));
      o.put("modified", MILLIS.format(modified));
      String name = type + " " + id.substring(id.length() - 6) + " " + MILLIS.format(modified);
      o.put("name", name);
      switch (type) {
        case "indicator" -> {
          o.put("pattern", "[ipv4-addr:value = '198.51.100." + (1 + random.nextInt(250)) + "']");
          o.put("pattern_type", "stix");
          o.put("valid_from", MILLIS.format(created));
        }
        case "malware" -> o.put("is_family", random.nextBoolean());
        default -> {}
      }
      if (random.nextBoolean()) {
        o.put("description", "seeded test content");
      }
      Body definition = null;
      String marking;
      if (tlp == null) {
        marking = "unmarked";
      } else {
        int scheme = random.nextInt(5);
        if (scheme == 1 && tlp1(tlp) == null) {
          scheme = 0;
        }
        switch (scheme) {
          case 0 -> {
            o.putArray("object_marking_refs").add(TlpMarkings.markingId(tlp));
            marking = "TLP2 " + tlp;
          }
          case 1 -> {
            o.putArray("object_marking_refs").add(tlp1(tlp));
            marking = "TLP1 " + tlp;
          }
          case 2 -> {
            // A part marked above the whole raises the whole.
            Tlp low = lowerOrEqual(tlp);
            if (random.nextBoolean()) {
              o.putArray("object_marking_refs").add(TlpMarkings.markingId(low));
            }
            String part = o.has("description") && random.nextBoolean() ? "description" : "name";
            ArrayNode g = o.putArray("granular_markings");
            ObjectNode gm = g.addObject();
            gm.put(
                "marking_ref",
                tlp1(tlp) != null && random.nextBoolean() ? tlp1(tlp) : TlpMarkings.markingId(tlp));
            gm.putArray("selectors").add(part);
            marking = "granular " + tlp + " on " + part + " over " + low;
          }
          case 3 -> {
            definition = markingDefinition(tlp);
            ArrayNode refs = o.putArray("object_marking_refs");
            refs.add(definition.id);
            if (random.nextBoolean()) {
              refs.add(TlpMarkings.markingId(lowerOrEqual(tlp)));
            }
            marking = "envelope definition " + tlp;
          }
          default -> {
            Tlp low = lowerOrEqual(tlp);
            ArrayNode refs = o.putArray("object_marking_refs");
            String lowId = tlp1(low) != null ? tlp1(low) : TlpMarkings.markingId(low);
            refs.add(lowId);
            if (!lowId.equals(TlpMarkings.markingId(tlp))) {
              refs.add(TlpMarkings.markingId(tlp));
            }
            marking = "mixed " + low + "+" + tlp;
          }
        }
      }
      Body b = new Body(o, spec, MILLIS.format(modified), tlp, createdByRef, definition, marking);
      if (spec.equals("2.1")) {
        ValidationReport report = VALIDATOR.validate(o);
        if (!report.valid()) {
          throw new AssertionError("generator made an invalid object: " + report + "\n" + b.json);
        }
      }
      register(b);
      return b;
    }

    private Body newObject(String createdByRef) {
      String id = pick(TYPES) + "--" + uuid();
      String type = id.substring(0, id.indexOf("--"));
      Instant created = tick();
      createdOf.put(id, created);
      return makeBody(id, type, created, created, "2.1", randomTlp(), createdByRef);
    }

    /** A version of an existing id not made before: usually newer, sometimes in between. */
    private Body newVersion(String id, String spec) {
      NavigableMap<Instant, Body> versions = bodies.get(id);
      Instant created = createdOf.get(id);
      Instant at = null;
      if (random.nextInt(100) < 30) {
        long span = Duration.between(created, versions.lastKey()).toMillis();
        if (span > 2) {
          Instant t = created.plusMillis(1 + random.nextLong(span - 1));
          if (!versions.containsKey(t)) {
            at = t;
          }
        }
      }
      if (at == null) {
        at = versions.lastKey().plusMillis(1 + random.nextInt(5_000_000));
      }
      String type = versions.firstEntry().getValue().type;
      return makeBody(id, type, created, at, spec, randomTlp(), null);
    }

    /** The ids made by the generator (not marking-definitions, not pre-existing content). */
    private List<String> objectIds() {
      List<String> out = new ArrayList<>();
      for (String id : ids) {
        if (createdOf.containsKey(id)) {
          out.add(id);
        }
      }
      return out;
    }

    /**
     * A random envelope for one user and collection: new objects, new versions of existing ids
     * (whoever made them), re-posts of existing versions (same or other collection), objects
     * claiming another organisation's identity, two versions of one id at once.
     *
     * <p>Never generated: a re-post of a version the collection already holds where the poster
     * cannot see it (see LeakChannelTest for what the node answers then).
     */
    List<Body> envelopeFor(ModelUser u, ModelCollection c) {
      Rights r = rights(u, c);
      List<Body> items = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      int n = 1 + random.nextInt(4);
      for (int i = 0; i < n * 3 && countObjects(items) < n; i++) {
        List<Body> add = new ArrayList<>();
        int kind = random.nextInt(100);
        List<String> existing = objectIds();
        if (kind < 40 || existing.isEmpty()) {
          add.add(newObject(random.nextInt(100) < 15 ? identities.get(u.org()) : null));
        } else if (kind < 62) {
          add.add(newVersion(pick(existing), "2.1"));
        } else if (kind < 84) {
          NavigableMap<Instant, Body> versions = bodies.get(pick(existing));
          List<Body> candidates = new ArrayList<>();
          for (Body b : versions.values()) {
            if (b.spec.equals("2.1")) {
              candidates.add(b);
            }
          }
          if (candidates.isEmpty()) {
            continue;
          }
          add.add(pick(candidates));
        } else if (kind < 90) {
          String other = pick(orgs);
          add.add(newObject(identities.get(other)));
        } else {
          Body first = newObject(null);
          add.add(first);
          add.add(newVersion(first.id, "2.1"));
        }
        List<Body> withDefinitions = new ArrayList<>();
        for (Body b : add) {
          // A definition goes before or after the object that uses it: order does not matter.
          if (b.definition != null && random.nextBoolean()) {
            withDefinitions.add(b.definition);
            withDefinitions.add(b);
          } else {
            withDefinitions.add(b);
            if (b.definition != null) {
              withDefinitions.add(b.definition);
            }
          }
        }
        boolean ok = true;
        for (Body b : withDefinitions) {
          if (keys.contains(b.key())) {
            ok = false;
          }
          ModelEntry held = entry(c.id, b.id, b.versionInstant);
          if (held != null && !visible(held, r)) {
            ok = false; // a known existence oracle, kept out of the random requests
          }
        }
        if (!ok) {
          continue;
        }
        for (Body b : withDefinitions) {
          keys.add(b.key());
          items.add(b);
        }
      }
      if (items.isEmpty()) {
        // With its definition, as every other path sends one: without it the object's TLP is
        // the collection default, not the one the model gave it.
        Body b = newObject(null);
        items.add(b);
        if (b.definition != null) {
          items.add(b.definition);
        }
      }
      return items;
    }

    private static int countObjects(List<Body> items) {
      int n = 0;
      for (Body b : items) {
        if (!b.type.equals("marking-definition")) {
          n++;
        }
      }
      return n;
    }

    /** A 2.0 version written straight into the store by an organisation, as an import would. */
    private void importSpec20() {
      List<String> existing = objectIds();
      ModelCollection c = pick(collections);
      String id;
      if (existing.isEmpty() || random.nextInt(4) == 0) {
        id = pick(TYPES) + "--" + uuid();
        createdOf.put(id, tick());
        Body b =
            makeBody(
                id,
                id.substring(0, id.indexOf("--")),
                createdOf.get(id),
                createdOf.get(id),
                "2.0",
                randomTlp(),
                null);
        importBody(c, b);
        return;
      }
      id = pick(existing);
      importBody(c, newVersion(id, "2.0"));
    }

    private void importBody(ModelCollection c, Body b) {
      String org = pick(orgs);
      Tlp tlp = b.definition != null ? null : b.tlp; // no envelope on this path
      StixObject object = StixObject.of(b.tree);
      store.write(tx -> tx.put(ObjectWrite.of(c.id, object, org, "importer", tlp)));
      ModelEntry m = new ModelEntry(c.id, b, org, tlp != null ? tlp : c.defaultTlp);
      entries.get(c.id).add(m);
      refreshFromStore(c, Set.of(b.id));
    }

    // ---- the model's view -------------------------------------------------------------------

    Rights rights(ModelUser u, ModelCollection c) {
      Reader reader = new Reader(u.name(), u.org(), communitiesOf.get(u.org()));
      List<Grant> grants = c.policyGrants();
      boolean read = SharingPolicy.mayRead(reader, grants);
      boolean write = SharingPolicy.mayWrite(reader, grants);
      Tlp ceiling = SharingPolicy.ceiling(reader, grants).orElse(null);
      // The rules as the policy states them, restated independently of SharingPolicy.
      boolean read2 = false;
      boolean write2 = false;
      Tlp ceiling2 = null;
      for (Grant g : grants) {
        boolean applies =
            switch (g.kind()) {
              case ORG -> g.grantee().equals(u.org());
              case COMMUNITY -> communitiesOf.get(u.org()).contains(g.grantee());
              case USER -> g.grantee().equals(u.name());
            };
        if (!applies) {
          continue;
        }
        write2 |= g.write();
        if (g.read()) {
          read2 = true;
          Tlp allows = g.kind() == GranteeKind.USER ? Tlp.RED : Tlp.AMBER_STRICT;
          if (ceiling2 == null || allows.compareTo(ceiling2) > 0) {
            ceiling2 = allows;
          }
        }
      }
      if (read != read2 || write != write2 || ceiling != ceiling2) {
        throw new AssertionError(
            "SharingPolicy disagrees with the stated rules for " + u + " on " + c);
      }
      boolean credentialsWrite = u.tokenWrites() && u.role() != User.Role.READER;
      if (u.admin()) {
        return new Rights(true, credentialsWrite, ceiling, reader, grants);
      }
      return new Rights(read, credentialsWrite && write, ceiling, reader, grants);
    }

    boolean visible(ModelEntry e, Rights r) {
      boolean v = SharingPolicy.visible(new ObjectMeta(e.producers, e.tlp), r.reader(), r.grants());
      boolean v2 =
          e.producers.contains(r.reader().organisation())
              || (r.ceiling() != null && e.tlp.compareTo(r.ceiling()) <= 0);
      if (v != v2) {
        throw new AssertionError("SharingPolicy.visible disagrees with the stated rules: " + e);
      }
      return v;
    }

    ModelEntry entry(String collection, String id, Instant version) {
      for (ModelEntry e : entries.get(collection)) {
        if (e.body.id.equals(id) && e.body.versionInstant.equals(version)) {
          return e;
        }
      }
      return null;
    }

    /** What an endpoint selects for a reader: TAXII's rules applied to the visible entries. */
    List<ModelEntry> select(ModelCollection c, Rights r, Kind kind, String pathId, Query q) {
      return select(c, r, kind, pathId, q, false);
    }

    /** As {@link #select}, or as if every entry were visible (to see what the policy changed). */
    List<ModelEntry> select(
        ModelCollection c, Rights r, Kind kind, String pathId, Query q, boolean everything) {
      boolean all;
      boolean first = false;
      boolean last = false;
      Set<Instant> exact = new HashSet<>();
      String versionParam = kind.byVersion ? q.version() : null;
      if (versionParam == null) {
        all = kind == Kind.VERSIONS || kind == Kind.DELETE;
        last = !all;
      } else {
        all = false;
        for (String item : versionParam.split(",")) {
          switch (item) {
            case "all" -> all = true;
            case "first" -> first = true;
            case "last" -> last = true;
            default -> exact.add(Instant.parse(item));
          }
        }
      }
      Set<String> specs = kind.bySpec && q.spec() != null ? Set.of(q.spec().split(",")) : Set.of();
      Set<String> idFilter = pathId != null ? Set.of(pathId) : kind.byId ? q.ids() : Set.of();
      Set<String> typeFilter = kind.byType ? q.types() : Set.of();
      Instant addedAfter =
          kind.paged && q.addedAfter() != null ? Instant.parse(q.addedAfter()) : null;
      Map<String, List<ModelEntry>> byId = new LinkedHashMap<>();
      for (ModelEntry e : entries.get(c.id)) {
        if (everything || visible(e, r)) {
          byId.computeIfAbsent(e.body.id, k -> new ArrayList<>()).add(e);
        }
      }
      List<ModelEntry> out = new ArrayList<>();
      for (var group : byId.entrySet()) {
        if (!idFilter.isEmpty() && !idFilter.contains(group.getKey())) {
          continue;
        }
        List<ModelEntry> candidates = new ArrayList<>();
        String newest = null;
        for (ModelEntry e : group.getValue()) {
          if (newest == null || e.body.spec.compareTo(newest) > 0) {
            newest = e.body.spec;
          }
        }
        for (ModelEntry e : group.getValue()) {
          if (!typeFilter.isEmpty() && !typeFilter.contains(e.body.type)) {
            continue;
          }
          if (specs.isEmpty() ? e.body.spec.equals(newest) : specs.contains(e.body.spec)) {
            candidates.add(e);
          }
        }
        if (candidates.isEmpty()) {
          continue;
        }
        Instant lo = null;
        Instant hi = null;
        for (ModelEntry e : candidates) {
          Instant v = e.body.versionInstant;
          lo = lo == null || v.isBefore(lo) ? v : lo;
          hi = hi == null || v.isAfter(hi) ? v : hi;
        }
        for (ModelEntry e : candidates) {
          Instant v = e.body.versionInstant;
          boolean chosen =
              all || (first && v.equals(lo)) || (last && v.equals(hi)) || exact.contains(v);
          if (chosen && (addedAfter == null || e.dateAdded.isAfter(addedAfter))) {
            out.add(e);
          }
        }
      }
      out.sort(Comparator.comparingLong(e -> e.seq));
      return out;
    }

    // ---- the random requests ----------------------------------------------------------------

    void run(int actions) throws Exception {
      for (int i = 0; i < actions; i++) {
        ModelUser u = pick(users);
        ModelCollection c = pick(collections);
        String cref = c.alias != null && random.nextBoolean() ? c.alias : c.id;
        int action = random.nextInt(100);
        if (action < 28) {
          checkPaged(u, c, cref, Kind.OBJECTS, null, randomQuery(Kind.OBJECTS, c));
        } else if (action < 43) {
          checkPaged(u, c, cref, Kind.MANIFEST, null, randomQuery(Kind.MANIFEST, c));
        } else if (action < 60) {
          checkPaged(u, c, cref, Kind.OBJECT, randomObjectId(c), randomQuery(Kind.OBJECT, c));
        } else if (action < 71) {
          checkPaged(u, c, cref, Kind.VERSIONS, randomObjectId(c), randomQuery(Kind.VERSIONS, c));
        } else if (action < 76) {
          checkCollections(u);
        } else if (action < 83) {
          checkCollection(u, c, cref);
        } else if (action < 90) {
          ModelUser poster = u;
          ModelCollection target = c;
          if (random.nextInt(100) < 70) {
            var pair = writer();
            poster = pair.getKey();
            target = pair.getValue();
            cref = target.alias != null && random.nextBoolean() ? target.alias : target.id;
          }
          post(poster, target, cref, envelopeFor(poster, target));
        } else if (action < 93) {
          checkDelete(u, c, cref);
        } else {
          checkStatus(u);
        }
        if (i % 500 == 499) {
          verifyStore();
        }
      }
      verifyStore();
    }

    void stat(String what) {
      stats.merge(what, 1L, Long::sum);
    }

    boolean holds(ModelCollection c, String id) {
      for (ModelEntry e : entries.get(c.id)) {
        if (e.body.id.equals(id)) {
          return true;
        }
      }
      return false;
    }

    String randomObjectId(ModelCollection c) {
      int k = random.nextInt(100);
      List<ModelEntry> held = entries.get(c.id);
      if (k < 75 && !held.isEmpty()) {
        return pick(held).body.id;
      }
      if (k < 92 && !ids.isEmpty()) {
        return pick(ids);
      }
      return pick(TYPES) + "--" + uuid();
    }

    Query randomQuery(Kind kind, ModelCollection c) {
      List<ModelEntry> held = entries.get(c.id);
      Set<String> idSet = new LinkedHashSet<>();
      Set<String> typeSet = new LinkedHashSet<>();
      String version = null;
      String spec = null;
      String addedAfter = null;
      Integer limit = null;
      // Filters an endpoint does not define are sometimes sent too: they must be ignored.
      boolean extra = random.nextInt(10) == 0;
      if ((kind.byId || extra) && random.nextInt(100) < 25) {
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
          idSet.add(randomObjectId(c));
        }
      }
      if ((kind.byType || extra) && random.nextInt(100) < 20) {
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
          typeSet.add(random.nextInt(6) == 0 ? "marking-definition" : pick(TYPES));
        }
      }
      if ((kind.byVersion || extra) && random.nextInt(100) < 55) {
        int v = random.nextInt(9);
        version =
            switch (v) {
              case 0, 1 -> "first";
              case 2, 3 -> "last";
              case 4 -> "all";
              case 5 -> "first,last";
              default -> {
                List<String> parts = new ArrayList<>();
                int n = 1 + random.nextInt(2);
                for (int i = 0; i < n && !held.isEmpty(); i++) {
                  Body b = pick(held).body;
                  // the same instant written with microseconds must select the same version
                  parts.add(random.nextBoolean() ? b.version : MICROS.format(b.versionInstant));
                }
                if (parts.isEmpty() || random.nextInt(4) == 0) {
                  parts.add(MILLIS.format(clock.minusMillis(random.nextInt(1000))));
                }
                if (v == 8) {
                  parts.add("last");
                }
                yield String.join(",", new LinkedHashSet<>(parts));
              }
            };
        if (version.contains("Z")) {
          // duplicates of one instant in different spellings are a 400; keep one spelling each
          Set<Instant> seen = new HashSet<>();
          List<String> kept = new ArrayList<>();
          for (String p : version.split(",")) {
            if (!p.contains("Z") || seen.add(Instant.parse(p))) {
              kept.add(p);
            }
          }
          version = String.join(",", kept);
        }
      }
      if (kind.bySpec && random.nextInt(100) < 18) {
        spec = List.of("2.1", "2.0", "2.0,2.1", "2.1,2.0").get(random.nextInt(4));
      }
      if (kind.paged && random.nextInt(100) < 22) {
        int a = random.nextInt(5);
        if (a == 0 || held.isEmpty()) {
          addedAfter = "2000-01-01T00:00:00Z";
        } else {
          Instant t = pick(held).dateAdded;
          if (a == 1) {
            t = t.minus(1, ChronoUnit.MICROS);
          }
          addedAfter = StixTimestamp.taxii(t);
        }
      }
      if (kind.paged && random.nextInt(100) < 55) {
        limit = List.of(1, 1, 2, 2, 3, 4, 5, 7, 25).get(random.nextInt(9));
      }
      return new Query(idSet, typeSet, version, spec, addedAfter, limit);
    }

    // ---- checks -------------------------------------------------------------------------------

    String objectsPath(String cref, Kind kind, String objectId) {
      String p = ROOT + "/collections/" + cref + "/";
      return switch (kind) {
        case OBJECTS -> p + "objects/";
        case MANIFEST -> p + "manifest/";
        case OBJECT, DELETE -> p + "objects/" + objectId + "/";
        case VERSIONS -> p + "objects/" + objectId + "/versions/";
      };
    }

    void checkPaged(
        ModelUser u, ModelCollection c, String cref, Kind kind, String objectId, Query q)
        throws Exception {
      Rights r = rights(u, c);
      String path = objectsPath(cref, kind, objectId);
      if (r.hidden()) {
        Resp resp = send("GET", path + q.params(null, q.limit()), u, null);
        expectLike(
            resp,
            missingCollection("GET", path, q.params(null, q.limit()), u, cref),
            "a hidden collection answers like a missing one");
        stat("hidden collection answered byte for byte like a missing one");
        return;
      }
      if (!r.canRead()) {
        expectError(send("GET", path + q.params(null, q.limit()), u, null), 403, "forbidden");
        stat("403 for a collection listed (write grant or node admin) but not readable");
        return;
      }
      List<ModelEntry> expected = select(c, r, kind, objectId, q);
      List<ModelEntry> unrestricted = select(c, r, kind, objectId, q, true);
      if (!expected.equals(unrestricted)) {
        stat("answers (" + kind + ") that hidden entries changed");
        for (ModelEntry e : expected) {
          if (!unrestricted.contains(e)) {
            stat(
                "answers holding a version selected only because a newer, older or newer-spec"
                    + " version is hidden");
            break;
          }
        }
      }
      if ((kind == Kind.OBJECT || kind == Kind.VERSIONS) && expected.isEmpty()) {
        String query = q.params(null, q.limit());
        Resp resp = send("GET", path + query, u, null);
        expectLike(
            resp,
            missingObject("GET", kind, cref, query, u),
            "an object with nothing visible answers like one that never existed");
        stat(
            holds(c, objectId)
                ? "object held but hidden (or filtered out) answered byte for byte like a"
                    + " never-existing one"
                : "never-existing object answered 404");
        return;
      }
      int pos = 0;
      String next = null;
      Integer limit = q.limit();
      while (true) {
        Resp resp = send("GET", path + q.params(next, limit), u, null);
        int size = limit == null ? PAGE_DEFAULT : limit;
        List<ModelEntry> page = expected.subList(pos, Math.min(expected.size(), pos + size));
        boolean more = pos + size < expected.size();
        JsonNode body = checkPage(resp, kind, page, more, expected);
        stat("pages checked (entries, more, next, X-TAXII-Date-Added-*)");
        if (more) {
          stat("pages with more=true and a next cursor followed");
        }
        if (pos > expected.size()) {
          fail("paging went past the visible entries", expected.size(), pos);
        }
        pos += page.size();
        if (!more) {
          return;
        }
        next = body.get("next").asText();
        if (random.nextInt(100) < 4) {
          replayCursorAsOtherUser(u, c, cref, kind, objectId, q, next, limit);
        }
        if (limit != null && random.nextInt(100) < 15) {
          limit = 1 + random.nextInt(5); // a client may change its page size while paging
        }
      }
    }

    /** A cursor is bound to its user: anyone else who may read gets a 400 for it. */
    private void replayCursorAsOtherUser(
        ModelUser owner,
        ModelCollection c,
        String cref,
        Kind kind,
        String objectId,
        Query q,
        String next,
        Integer limit)
        throws Exception {
      ModelUser other = pick(users);
      if (other.name().equals(owner.name())) {
        return;
      }
      Rights r = rights(other, c);
      String path = objectsPath(cref, kind, objectId) + q.params(next, limit);
      Resp resp = send("GET", path, other, null);
      if (r.hidden()) {
        expectLike(
            resp,
            missingCollection(
                "GET", objectsPath(cref, kind, objectId), q.params(next, limit), other, cref),
            "hidden collection (cursor replay)");
      } else if (!r.canRead()) {
        expectError(resp, 403, "forbidden");
      } else {
        expectError(resp, 400, "bad-parameter");
        stat("next cursor replayed by another user: 400");
      }
    }

    JsonNode checkPage(
        Resp resp, Kind kind, List<ModelEntry> page, boolean more, List<ModelEntry> all) {
      if (resp.status() != 200) {
        fail("status", 200, resp.status());
      }
      String type = resp.header("Content-Type");
      if (type == null || !type.replace(" ", "").startsWith(TAXII)) {
        fail("Content-Type", TAXII, type);
      }
      JsonNode body = StixJson.parse(resp.body());
      if (body.path("more").asBoolean(!more) != more || !body.path("more").isBoolean()) {
        fail(
            "more (" + all.size() + " visible entries selected: " + brief(all) + ")",
            more,
            body.get("more"));
      }
      if (body.has("next") != more) {
        fail("next present", more, body.get("next"));
      }
      List<String> actual = new ArrayList<>();
      List<String> wanted = new ArrayList<>();
      for (ModelEntry e : page) {
        wanted.add(e.body.key());
      }
      switch (kind) {
        case OBJECTS, OBJECT -> {
          JsonNode objects = body.get("objects");
          if (page.isEmpty() != (objects == null)) {
            fail("objects present", !page.isEmpty(), objects);
          }
          if (objects != null) {
            for (JsonNode o : objects) {
              actual.add(o.path("id").asText() + "@" + versionOf(o));
            }
            sameList("objects of the page (all selected: " + brief(all) + ")", wanted, actual);
            for (int i = 0; i < page.size(); i++) {
              if (!objects.get(i).equals(page.get(i).body.tree)) {
                fail("served JSON of " + page.get(i), page.get(i).body.json, objects.get(i));
              }
            }
          }
        }
        case MANIFEST -> {
          JsonNode objects = body.get("objects");
          if (page.isEmpty() != (objects == null)) {
            fail("manifest objects present", !page.isEmpty(), objects);
          }
          if (objects != null) {
            for (JsonNode o : objects) {
              actual.add(o.path("id").asText() + "@" + o.path("version").asText());
            }
            sameList("manifest records (all selected: " + brief(all) + ")", wanted, actual);
            for (int i = 0; i < page.size(); i++) {
              ModelEntry e = page.get(i);
              JsonNode rec = objects.get(i);
              if (!Instant.parse(rec.path("date_added").asText()).equals(e.dateAdded)) {
                fail("date_added of " + e, e.dateAdded, rec.get("date_added"));
              }
              String media = "application/stix+json;version=" + e.body.spec;
              if (!rec.path("media_type").asText().equals(media)) {
                fail("media_type of " + e, media, rec.get("media_type"));
              }
            }
          }
        }
        case VERSIONS -> {
          JsonNode versions = body.get("versions");
          if (page.isEmpty() != (versions == null)) {
            fail("versions present", !page.isEmpty(), versions);
          }
          wanted.clear();
          for (ModelEntry e : page) {
            wanted.add(e.body.version);
          }
          if (versions != null) {
            versions.forEach(v -> actual.add(v.asText()));
          }
          sameList("versions (all selected: " + brief(all) + ")", wanted, actual);
        }
        default -> throw new IllegalStateException();
      }
      String firstHeader = resp.header("X-TAXII-Date-Added-First");
      String lastHeader = resp.header("X-TAXII-Date-Added-Last");
      if (page.isEmpty()) {
        if (firstHeader != null || lastHeader != null) {
          fail("date headers on an empty page", null, firstHeader + " / " + lastHeader);
        }
      } else {
        Instant first = page.get(0).dateAdded;
        Instant last = page.get(page.size() - 1).dateAdded;
        if (firstHeader == null || !Instant.parse(firstHeader).equals(first)) {
          fail("X-TAXII-Date-Added-First", StixTimestamp.taxii(first), firstHeader);
        }
        if (lastHeader == null || !Instant.parse(lastHeader).equals(last)) {
          fail("X-TAXII-Date-Added-Last", StixTimestamp.taxii(last), lastHeader);
        }
      }
      return body;
    }

    private static String brief(List<ModelEntry> list) {
      return list.size() <= 12
          ? list.toString()
          : list.subList(0, 12) + "... (" + list.size() + " in all)";
    }

    private static String versionOf(JsonNode o) {
      JsonNode v = o.get("modified");
      if (v == null) {
        v = o.get("created");
      }
      return v == null ? "?" : v.asText();
    }

    void checkCollections(ModelUser u) throws Exception {
      Resp resp = send("GET", ROOT + "/collections/", u, null);
      if (resp.status() != 200) {
        fail("status", 200, resp.status());
      }
      JsonNode body = StixJson.parse(resp.body());
      List<String> wanted = new ArrayList<>();
      for (ModelCollection c : collections) {
        Rights r = rights(u, c);
        if (!r.hidden()) {
          wanted.add(c.id + " read=" + r.canRead() + " write=" + r.canWrite());
        }
      }
      List<String> actual = new ArrayList<>();
      JsonNode list = body.get("collections");
      if (wanted.isEmpty() != (list == null)) {
        fail("collections present", !wanted.isEmpty(), list);
      }
      if (list != null) {
        for (JsonNode c : list) {
          actual.add(
              c.path("id").asText()
                  + " read="
                  + c.path("can_read").asBoolean()
                  + " write="
                  + c.path("can_write").asBoolean());
        }
      }
      sameList("collections listed", wanted, actual);
      stat("collection lists checked");
    }

    void checkCollection(ModelUser u, ModelCollection c, String cref) throws Exception {
      Rights r = rights(u, c);
      String path = ROOT + "/collections/" + cref + "/";
      Resp resp = send("GET", path, u, null);
      if (r.hidden()) {
        expectLike(
            resp,
            missingCollection("GET", path, "", u, cref),
            "a hidden collection answers like a missing one");
        stat("hidden collection answered byte for byte like a missing one");
        return;
      }
      if (resp.status() != 200) {
        fail("status", 200, resp.status());
      }
      stat("collection resources checked (can_read, can_write)");
      JsonNode body = StixJson.parse(resp.body());
      String wanted = c.id + " read=" + r.canRead() + " write=" + r.canWrite();
      String actual =
          body.path("id").asText()
              + " read="
              + body.path("can_read").asBoolean()
              + " write="
              + body.path("can_write").asBoolean();
      if (!wanted.equals(actual)) {
        fail("collection resource", wanted, actual);
      }
    }

    void post(ModelUser u, ModelCollection c, List<Body> items) throws Exception {
      post(u, c, c.alias != null && random.nextBoolean() ? c.alias : c.id, items);
    }

    void post(ModelUser u, ModelCollection c, String cref, List<Body> items) throws Exception {
      Rights r = rights(u, c);
      List<String> jsons = new ArrayList<>();
      items.forEach(b -> jsons.add(b.json));
      String envelope = "{\"objects\":[" + String.join(",", jsons) + "]}";
      String path = ROOT + "/collections/" + cref + "/objects/";
      Resp resp = send("POST", path, u, envelope);
      if (r.hidden()) {
        // The same envelope to a collection that never existed.
        Resp missing = send("POST", ROOT + "/collections/" + uuid() + "/objects/", u, envelope);
        expectError(missing, 404, "not-found");
        expectLike(resp, missing, "POST to a hidden collection answers like a missing one");
        stat("POST to a hidden collection answered byte for byte like a missing one");
        return;
      }
      if (!r.canWrite()) {
        expectError(resp, 403, "forbidden");
        stat("POST without a write right (grant, role or token): 403");
        return;
      }
      if (resp.status() != 202) {
        fail("status", 202, resp.status());
      }
      JsonNode status = StixJson.parse(resp.body());
      if (status.path("status").asText().equals("pending")) {
        status = awaitStatus(u, status.path("id").asText());
      }
      // What the model expects, object by object, in envelope order.
      List<String> successes = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      List<ModelEntry> added = new ArrayList<>();
      Set<String> touched = new LinkedHashSet<>();
      for (Body b : items) {
        boolean refused =
            !u.admin() && b.createdByRef != null && !b.createdByRef.equals(identities.get(u.org()));
        if (refused) {
          failures.add(b.key() + " created_by_ref");
          stat("objects refused: created_by_ref of another organisation");
          continue;
        }
        ModelEntry present = entry(c.id, b.id, b.versionInstant);
        if (present != null) {
          if (present.producers.add(u.org())) {
            // Another organisation's entry: the poster becomes a producer and is told nothing
            // a first post would not tell it.
            successes.add(b.key());
            stat("objects already present, posted again by another organisation (co-producer)");
          } else {
            successes.add(b.key() + " " + DUPLICATE);
            stat("objects already present, posted again by their organisation");
          }
          continue;
        }
        stat(
            "objects added, TLP "
                + (b.tlp == null ? "unmarked" : b.tlp)
                + " via "
                + b.marking
                    .replaceAll(" (CLEAR|GREEN|AMBER_STRICT|AMBER|RED).*", "")
                    .replaceAll(
                        "^(TLP[12]|granular|mixed|envelope definition|definition|unmarked).*",
                        "$1"));
        successes.add(b.key());
        Tlp tlp = b.tlp != null ? b.tlp : c.defaultTlp;
        ModelEntry m = new ModelEntry(c.id, b, u.org(), tlp);
        entries.get(c.id).add(m);
        added.add(m);
        touched.add(b.id);
      }
      if (!status.path("status").asText().equals("complete")
          || status.path("total_count").asInt() != items.size()
          || status.path("success_count").asInt() != successes.size()
          || status.path("failure_count").asInt() != failures.size()
          || status.path("pending_count").asInt() != 0) {
        fail(
            "status counts (successes " + successes + ", failures " + failures + ")",
            "complete " + items.size() + "/" + successes.size() + "/" + failures.size() + "/0",
            status);
      }
      List<String> actualSuccesses = new ArrayList<>();
      for (JsonNode d : status.path("successes")) {
        actualSuccesses.add(
            d.path("id").asText()
                + "@"
                + d.path("version").asText()
                + (d.has("message") ? " " + d.get("message").asText() : ""));
      }
      List<String> actualFailures = new ArrayList<>();
      for (JsonNode d : status.path("failures")) {
        String message = d.path("message").asText();
        actualFailures.add(
            d.path("id").asText()
                + "@"
                + d.path("version").asText()
                + (message.contains("created_by_ref") ? " created_by_ref" : " " + message));
      }
      sameList("status successes", successes, actualSuccesses);
      sameList("status failures", failures, actualFailures);
      statuses.add(new StatusM(status.path("id").asText(), u.name(), status));
      if (!touched.isEmpty()) {
        refreshFromStore(c, touched);
      }
      // Every so often the poster reads its status back, and someone else tries to.
      if (random.nextInt(100) < 25) {
        checkStatus(u, statuses.get(statuses.size() - 1));
        checkStatus(pick(users), statuses.get(statuses.size() - 1));
      }
    }

    private JsonNode awaitStatus(ModelUser u, String id) throws Exception {
      for (int i = 0; i < 200; i++) {
        Resp resp = send("GET", ROOT + "/status/" + id + "/", u, null);
        JsonNode s = StixJson.parse(resp.body());
        if (resp.status() == 200 && s.path("status").asText().equals("complete")) {
          return s;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("status " + id + " stayed pending");
    }

    void checkStatus(ModelUser u) throws Exception {
      if (statuses.isEmpty()) {
        checkCollections(u);
        return;
      }
      checkStatus(u, pick(statuses));
    }

    void checkStatus(ModelUser asker, StatusM s) throws Exception {
      String path = ROOT + "/status/" + s.id() + "/";
      Resp resp = send("GET", path, asker, null);
      if (asker.name().equals(s.owner())) {
        if (resp.status() != 200) {
          fail("own status", 200, resp.status());
        }
        if (!StixJson.parse(resp.body()).equals(s.tree())) {
          fail("status resource read back", s.tree(), resp.body());
        }
        return;
      }
      Resp unknown = send("GET", ROOT + "/status/" + uuid() + "/", asker, null);
      expectError(unknown, 404, "not-found");
      expectLike(resp, unknown, "another user's status answers like an unknown one");
      stat("another user's status answered byte for byte like an unknown one");
    }

    void checkDelete(ModelUser u, ModelCollection c, String cref) throws Exception {
      String objectId = randomObjectId(c);
      List<ModelEntry> held = entries.get(c.id);
      String version = null;
      int v = random.nextInt(10);
      if (v < 2) {
        version = "first";
      } else if (v < 4) {
        version = "last";
      } else if (v < 5) {
        version = "all";
      } else if (v < 7 && !held.isEmpty()) {
        version = pick(held).body.version;
      }
      String spec = random.nextInt(8) == 0 ? pick(List.of("2.0", "2.1", "2.0,2.1")) : null;
      Query q = new Query(Set.of(), Set.of(), version, spec, null, null);
      String path = objectsPath(cref, Kind.DELETE, objectId);
      String query = q.params(null, null);
      Rights r = rights(u, c);
      List<ModelEntry> selected = r.hidden() ? List.of() : select(c, r, Kind.DELETE, objectId, q);
      Resp resp = send("DELETE", path + query, u, null);
      if (r.hidden()) {
        expectLike(
            resp,
            missingCollection("DELETE", path, query, u, cref),
            "DELETE in a hidden collection answers like a missing one");
        stat("DELETE in a hidden collection answered byte for byte like a missing one");
        return;
      }
      if (!r.canRead() || !r.canWrite()) {
        expectError(resp, 403, "forbidden");
        stat("DELETE without both rights: 403");
        return;
      }
      if (selected.isEmpty()) {
        expectLike(
            resp,
            missingObject("DELETE", Kind.DELETE, cref, query, u),
            "DELETE of an object with nothing visible answers like one that never existed");
        stat(
            holds(c, objectId)
                ? "DELETE of an object held but hidden answered byte for byte like a never-existing"
                    + " one"
                : "DELETE of a never-existing object: 404");
        return;
      }
      if (resp.status() != 200) {
        fail("DELETE of " + selected, 200, resp.status());
      }
      stat("DELETEs of visible versions (" + (selected.size() == 1 ? "one" : "several") + ")");
      held.removeAll(selected);
      refreshFromStore(c, Set.of(objectId));
    }

    // ---- baselines: what never existed looks like -------------------------------------------

    Resp missingCollection(String method, String path, String query, ModelUser u, String cref)
        throws Exception {
      String fresh = uuid();
      String missingPath =
          path.replace("/collections/" + cref + "/", "/collections/" + fresh + "/");
      String key =
          method
              + " collection "
              + missingPath.replace(fresh, "*").replaceAll("objects/[^/]+/", "objects/x/");
      Resp cached = baselines.get(key);
      if (cached != null && random.nextInt(100) >= 20) {
        return cached;
      }
      Resp resp = send(method, missingPath + query, u, null);
      expectError(resp, 404, "not-found");
      baselines.put(key, resp);
      return resp;
    }

    Resp missingObject(String method, Kind kind, String cref, String query, ModelUser u)
        throws Exception {
      String key = method + " object " + kind;
      Resp cached = baselines.get(key);
      if (cached != null && random.nextInt(100) >= 25) {
        return cached;
      }
      String never = pick(TYPES) + "--" + uuid();
      Resp resp = send(method, objectsPath(cref, kind, never) + query, u, null);
      expectError(resp, 404, "not-found");
      baselines.put(key, resp);
      return resp;
    }

    // ---- the store, cross-checked -----------------------------------------------------------

    List<Entry> storeEntries(String collectionId, Set<String> idFilter) {
      return store
          .entries(
              new ObjectQuery(
                  collectionId,
                  idFilter,
                  Set.of(),
                  VersionSelector.ALL,
                  new SpecVersions(Set.of("2.0", "2.1")),
                  null,
                  0,
                  100_000,
                  true,
                  Visibility.EVERYTHING))
          .entries();
    }

    /**
     * Takes seq and date_added of the collection's entries for these ids from the store (the node's
     * unrestricted view), and checks that it holds exactly the entries the model expects, with the
     * producer and TLP the model expects.
     */
    void refreshFromStore(ModelCollection c, Set<String> idFilter) {
      storeChecks++;
      Map<String, Entry> stored = new LinkedHashMap<>();
      for (Entry e : storeEntries(c.id, idFilter)) {
        stored.put(e.id() + "@" + Instant.parse(e.version()), e);
      }
      Map<String, ModelEntry> model = new LinkedHashMap<>();
      for (ModelEntry m : entries.get(c.id)) {
        if (idFilter.isEmpty() || idFilter.contains(m.body.id)) {
          model.put(m.body.id + "@" + m.body.versionInstant, m);
        }
      }
      if (!stored.keySet().equals(model.keySet())) {
        fail("entries the store holds in " + c, model.keySet(), stored.keySet());
      }
      for (var me : model.entrySet()) {
        Entry e = stored.get(me.getKey());
        ModelEntry m = me.getValue();
        if (!Objects.equals(e.producerOrg(), m.producer) || e.tlp() != m.tlp) {
          fail(
              "producer and TLP the store recorded for " + m.body,
              m.producer + " " + m.tlp,
              e.producerOrg() + " " + e.tlp());
        }
        m.seq = e.seq();
        m.dateAdded = e.dateAdded();
      }
      entries.get(c.id).sort(Comparator.comparingLong(m -> m.seq));
    }

    void verifyStore() {
      for (ModelCollection c : collections) {
        refreshFromStore(c, Set.of());
      }
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    Resp send(String method, String pathAndQuery, ModelUser u, String body)
        throws IOException, InterruptedException {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + pathAndQuery))
              .timeout(Duration.ofSeconds(30))
              .header("Accept", TAXII)
              .header("Authorization", u.authorization());
      if (body != null) {
        b.header("Content-Type", TAXII);
        b.method(method, HttpRequest.BodyPublishers.ofString(body));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      lastRequest =
          method
              + " "
              + pathAndQuery
              + " as "
              + u
              + (body == null ? "" : "\n  body: " + abbreviate(body));
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      lastResponse = new Resp(r.statusCode(), r.body(), r.headers().map());
      cases++;
      return lastResponse;
    }

    private static String abbreviate(String s) {
      return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    void expectError(Resp resp, int status, String code) {
      if (resp.status() != status) {
        fail("status", status, resp.status());
      }
      JsonNode body = StixJson.parse(resp.body());
      if (!body.path("error_code").asText().equals(code)
          || !body.path("http_status").asText().equals(Integer.toString(status))) {
        fail("error resource", code, resp.body());
      }
    }

    void expectLike(Resp actual, Resp baseline, String what) {
      if (!actual.wire().equals(baseline.wire())) {
        fail(
            what + " (byte for byte, but for Date and Connection)", baseline.wire(), actual.wire());
      }
    }

    void sameList(String what, List<String> wanted, List<String> actual) {
      if (!wanted.equals(actual)) {
        fail(what, wanted, actual);
      }
    }

    void fail(String what, Object expected, Object actual) {
      throw new AssertionError(
          label
              + ": "
              + what
              + "\n  request:  "
              + lastRequest
              + "\n  expected: "
              + expected
              + "\n  actual:   "
              + actual
              + (lastResponse == null
                  ? ""
                  : "\n  response: "
                      + lastResponse.status()
                      + " "
                      + abbreviate(lastResponse.body())));
    }
  }
}
