package org.entente.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.auth.LoginThrottle;
import org.entente.node.auth.NodeAuthenticator;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.StixTimestamp;
import org.entente.stix.marking.Tlp;
import org.entente.stix.marking.TlpMarkings;
import org.entente.stix.validate.StixValidator;
import org.entente.store.ApiRoot;
import org.entente.store.ApiToken;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.CollectionGrant.GranteeKind;
import org.entente.store.Community;
import org.entente.store.Entry;
import org.entente.store.EntryPage;
import org.entente.store.GroupCommitWriter;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.SpecVersions;
import org.entente.store.StatusRecord;
import org.entente.store.Store;
import org.entente.store.TestBackend;
import org.entente.store.User;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.sqlite.SqliteStore;
import org.entente.taxii.server.AccessPolicy;
import org.entente.taxii.server.AuditTrail;
import org.entente.taxii.server.Authenticator;
import org.entente.taxii.server.CollectionRights;
import org.entente.taxii.server.Requester;
import org.entente.taxii.server.TaxiiServer;
import org.entente.taxii.server.TaxiiServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One targeted check per channel through which the sharing policy could leak, each written as a
 * function from a running server to the list of violations it finds.
 *
 * <ul>
 *   <li>{@link #noViolationOnTheNode}: on a node started by {@link Node#start}, every check finds
 *       nothing.
 *   <li>{@link #noViolationOnTheAssembledServer}: on the same pieces assembled by this test (store,
 *       writer, validator, authenticator, {@link GrantPolicy}, TAXII server) and nothing weakened,
 *       every check finds nothing either, so that what follows is due to the weakening alone.
 *   <li>{@link #checkReportsTheWeakening}: with one deliberate weakening ({@link Weakening}: a
 *       wider visibility, a cache, a wrong organisation, a store that filters late...), the checks
 *       that guard against it report violations. A check that passed there would prove nothing.
 * </ul>
 *
 * <p>Production code is not touched: the weakenings wrap {@link AccessPolicy}, {@link
 * Authenticator} or the {@link Store} the server reads through.
 *
 * <p>The last tests cover the leaks these tests first found (docs/SHARING-TESTS.md): two fixed, and
 * the one residue that STIX version naming forces, bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeakChannelTest {
  static final String TAXII = "application/taxii+json;version=2.1";
  static final String API = "/api";
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @TempDir Path dir;

  /**
   * Where the nodes shared by several tests keep their data: the instance field's directory is made
   * anew (and the last one deleted) for every test, under a node that outlives it (its open
   * connections kept working, a new one could not open the file).
   */
  @TempDir static Path sharedDir;

  private final Map<String, Scenario> shared = new LinkedHashMap<>();
  private final List<Scenario> all = new ArrayList<>();

  /** Nodes started for one test only: closed after it, so that dozens are never open at once. */
  private final List<Scenario> ownNodes = new ArrayList<>();

  @AfterEach
  void stopOwnNodes() {
    for (Scenario s : ownNodes) {
      s.close();
    }
    ownNodes.clear();
  }

  @AfterAll
  void stopAll() {
    for (Scenario s : all) {
      s.close();
    }
  }

  // ---- the three ways every check runs -----------------------------------------------------

  static Stream<Arguments> channelsOnEveryBackend() {
    List<Arguments> out = new ArrayList<>();
    for (TestBackend backend : TestBackend.values()) {
      for (Channel c : Channel.values()) {
        out.add(Arguments.of(c, backend));
      }
    }
    return out.stream();
  }

  /** The node as production starts it, on SQLite and on PostgreSQL (the visibility is SQL). */
  @ParameterizedTest(name = "{0} [{1}]")
  @MethodSource("channelsOnEveryBackend")
  void noViolationOnTheNode(Channel channel, TestBackend backend) throws Exception {
    List<String> violations = channel.check.run(scenario(channel, null, backend));
    assertThat(violations).as("violations of: " + channel + " on " + backend).isEmpty();
  }

  @ParameterizedTest(name = "{0} [assembled server, nothing weakened]")
  @EnumSource(Channel.class)
  void noViolationOnTheAssembledServer(Channel channel) throws Exception {
    List<String> violations = channel.check.run(scenario(channel, Weakening.NONE));
    assertThat(violations).as("violations of: " + channel).isEmpty();
  }

  static Stream<Arguments> weakenedChannels() {
    List<Arguments> out = new ArrayList<>();
    for (Channel c : Channel.values()) {
      for (Weakening w : c.caughtBy) {
        out.add(Arguments.of(c, w));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} FAILS when {1}")
  @MethodSource("weakenedChannels")
  void checkReportsTheWeakening(Channel channel, Weakening weakening) throws Exception {
    List<String> violations = channel.check.run(scenario(channel, weakening));
    assertThat(violations).as("the check '" + channel + "' must notice: " + weakening).isNotEmpty();
    System.out.println("[" + weakening.name() + "] " + channel + ": " + violations.get(0));
  }

  private Scenario scenario(Channel channel, Weakening weakening) throws Exception {
    return scenario(channel, weakening, TestBackend.SQLITE);
  }

  /**
   * Checks that make requests fail authentication get a node each: 10 failures lock 127.0.0.1. The
   * weakened servers are assembled on SQLite.
   */
  private Scenario scenario(Channel channel, Weakening weakening, TestBackend backend)
      throws Exception {
    String key = weakening == null ? "node-" + backend : weakening.name();
    if (channel.ownServer) {
      Scenario s = start(dir, key + "-" + channel.name(), weakening, backend);
      ownNodes.add(s);
      return s;
    }
    Scenario s = shared.get(key);
    if (s == null) {
      s = start(sharedDir, key, weakening, backend);
      shared.put(key, s);
      all.add(s);
    }
    return s;
  }

  private static Scenario start(Path parent, String name, Weakening weakening, TestBackend backend)
      throws Exception {
    Path d = parent.resolve(name);
    Server server =
        weakening == null ? Server.production(d, backend) : Server.assembled(d, weakening);
    return new Scenario(server);
  }

  // ---- the channels --------------------------------------------------------------------------

  @FunctionalInterface
  interface Check {
    List<String> run(Scenario s) throws Exception;
  }

  enum Channel {
    OBJECT_LIST(
        "object list: exactly the visible versions, RED of another organisation never",
        LeakChannelTest::objectList,
        Weakening.CEILING_ONE_UP,
        Weakening.EVERYTHING,
        Weakening.ORGANISATION_REPLACED),
    PAGINATION(
        "pagination: full pages, 'more' and 'next' as if hidden entries did not exist",
        LeakChannelTest::pagination,
        Weakening.FILTER_AFTER_LIMIT,
        Weakening.CEILING_ONE_UP),
    MANIFEST(
        "manifest: records of visible versions only, with their date_added",
        LeakChannelTest::manifest,
        Weakening.CEILING_ONE_UP,
        Weakening.EVERYTHING),
    VERSIONS(
        "versions endpoint: visible versions only; all hidden = never existed",
        LeakChannelTest::versions,
        Weakening.CEILING_ONE_UP),
    GET_BY_ID(
        "GET object by id: a hidden object answers byte for byte like a missing one",
        LeakChannelTest::getById,
        Weakening.CEILING_ONE_UP,
        Weakening.ORGANISATION_REPLACED),
    FIRST_LAST(
        "match[version]=last/first: decided among visible versions when the newest/oldest is"
            + " hidden",
        LeakChannelTest::firstLast,
        Weakening.FIRST_LAST_AMONG_ALL),
    NEWEST_SPEC(
        "newest spec version hidden: the newest visible spec version counts",
        LeakChannelTest::newestSpec,
        Weakening.FIRST_LAST_AMONG_ALL),
    ADDED_AFTER_AND_DATE_HEADERS(
        "added_after and X-TAXII-Date-Added-First/Last: only visible entries' dates",
        LeakChannelTest::addedAfterAndDateHeaders,
        Weakening.CEILING_ONE_UP),
    STATUS(
        "status resources: another user's status answers like an unknown one",
        LeakChannelTest::status,
        Weakening.STATUS_OWNER_CONFUSED),
    DELETE_HIDDEN(
        "DELETE of a hidden object: 404 like a missing one, and it stays for others",
        LeakChannelTest::deleteHidden,
        Weakening.EVERYTHING,
        Weakening.CEILING_ONE_UP),
    RED_VIA_ORG_OR_COMMUNITY(
        "RED through an organisation or community grant: never visible",
        LeakChannelTest::redViaOrgOrCommunity,
        Weakening.CEILING_ONE_UP,
        Weakening.COMMUNITY_AS_USER),
    AMBER_VIA_COMMUNITY(
        "AMBER+STRICT and AMBER through a community grant: visible, RED not, non-members nothing",
        LeakChannelTest::amberViaCommunity,
        Weakening.COMMUNITY_AS_USER,
        Weakening.EVERYONE_READS),
    PRODUCER_SEES_OWN_RED(
        "producer's organisation sees its own RED without a grant by name; others and node admins"
            + " do not",
        LeakChannelTest::producerSeesOwnRed,
        Weakening.ORGANISATION_REPLACED,
        Weakening.EVERYTHING),
    PRODUCER_BINDING(
        "producer binding: entries are the poster's organisation's, created_by_ref its own",
        LeakChannelTest::producerBinding,
        Weakening.CREATED_BY_REF_UNCHECKED,
        Weakening.REQUESTER_ORGANISATION_SWAPPED),
    HIDDEN_COLLECTION(
        "hidden collection: every endpoint answers like a missing collection, not listed",
        LeakChannelTest::hiddenCollection,
        Weakening.EVERYONE_READS),
    TOKEN_IS_ITS_USERS(
        "a token is its user's: other names or credentials sent along never lend their rights",
        true,
        LeakChannelTest::tokenIsItsUsers,
        Weakening.BASIC_NAME_WITH_ANY_TOKEN,
        Weakening.AUTHENTICATION_CACHED),
    REVOKED_TOKEN(
        "revoked token: 401 on the next request",
        true,
        LeakChannelTest::revokedToken,
        Weakening.AUTHENTICATION_CACHED),
    EXPIRED_TOKEN(
        "expired token: 401", true, LeakChannelTest::expiredToken, Weakening.AUTHENTICATION_CACHED),
    GRANT_REMOVED(
        "grant or community membership removed: effective on the next request (403, then 404)",
        LeakChannelTest::grantRemoved,
        Weakening.RIGHTS_CACHED),
    USER_DISABLED(
        "user disabled: 401 on the next request",
        true,
        LeakChannelTest::userDisabled,
        Weakening.AUTHENTICATION_CACHED);

    final String description;
    final boolean ownServer;
    final Check check;
    final List<Weakening> caughtBy;

    Channel(String description, Check check, Weakening... caughtBy) {
      this(description, false, check, caughtBy);
    }

    Channel(String description, boolean ownServer, Check check, Weakening... caughtBy) {
      this.description = description;
      this.ownServer = ownServer;
      this.check = check;
      this.caughtBy = List.of(caughtBy);
    }

    @Override
    public String toString() {
      return description;
    }
  }

  // ---- checks --------------------------------------------------------------------------------

  static List<String> objectList(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    Obj clear = s.post("CLEAR", "alice", c, Tlp.CLEAR);
    Obj green = s.post("GREEN", "alice", c, Tlp.GREEN);
    Obj amber = s.post("AMBER", "alice", c, Tlp.AMBER);
    Obj strict = s.post("AMBER+STRICT", "alice", c, Tlp.AMBER_STRICT);
    Obj red = s.post("RED", "alice", c, Tlp.RED);
    Obj unmarked = s.post("unmarked", "alice", c, null);
    Obj x1 = s.post("X1-GREEN", "alice", c, Tlp.GREEN);
    Obj x2 = s.postVersion("X2-RED", "alice", c, x1, Tlp.RED);
    s.expectList(
        v,
        "bob, all versions",
        "bob",
        c,
        "objects/",
        "match[version]=all",
        List.of(clear, green, amber, strict, unmarked, x1));
    s.expectList(
        v,
        "bob, last versions",
        "bob",
        c,
        "objects/",
        "",
        List.of(clear, green, amber, strict, unmarked, x1));
    s.expectList(
        v,
        "bea (reader of org-b), all versions",
        "bea",
        c,
        "objects/",
        "match[version]=all",
        List.of(clear, green, amber, strict, unmarked, x1));
    s.expectList(
        v,
        "alan (producer's organisation), all versions",
        "alan",
        c,
        "objects/",
        "match[version]=all",
        List.of(clear, green, amber, strict, red, unmarked, x1, x2));
    s.expectList(
        v,
        "bob, match[id] of the RED object",
        "bob",
        c,
        "objects/",
        "match[id]=" + red.id + "&match[version]=all",
        List.of());
    s.hiddenLikeMissingCollection(v, "carol (no grant) lists", "carol", "GET", c, "objects/", null);
    return v;
  }

  static List<String> pagination(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    Obj g1 = s.post("G1", "alice", c, Tlp.GREEN);
    s.post("R1", "alice", c, Tlp.RED);
    s.post("R2", "alice", c, Tlp.RED);
    Obj g2 = s.post("G2", "alice", c, Tlp.GREEN);
    s.post("R3", "alice", c, Tlp.RED);
    Obj g3 = s.post("G3", "alice", c, Tlp.AMBER);
    s.post("R4", "alice", c, Tlp.RED);
    List<Obj> visible = List.of(g1, g2, g3);
    for (String endpoint : List.of("objects/", "manifest/")) {
      for (int limit = 1; limit <= 4; limit++) {
        List<Page> pages = s.pages(v, "bob", c, endpoint, "limit=" + limit);
        List<String> sizes = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
          Page p = pages.get(i);
          sizes.add(p.items().size() + (p.more() ? "+more" : "") + (p.next() ? "+next" : ""));
          items.addAll(s.labels(p.items()));
        }
        for (int pos = 0; pos < visible.size(); pos += limit) {
          int n = Math.min(limit, visible.size() - pos);
          boolean more = pos + limit < visible.size();
          wanted.add(n + (more ? "+more+next" : ""));
        }
        String what = "bob pages " + endpoint + " with limit " + limit;
        if (!sizes.equals(wanted)) {
          v.add(what + ": page sizes/more/next " + sizes + ", expected " + wanted);
        }
        if (!items.equals(s.labelsOf(visible))) {
          v.add(what + ": items " + items + ", expected " + s.labelsOf(visible));
        }
      }
    }
    // A cursor is bound to the reader it was issued to, even one with the same rights.
    List<Page> first = s.firstPage("bob", c, "objects/", "limit=1");
    if (first.isEmpty() || first.get(0).nextValue() == null) {
      v.add("bob's first page of one has no next");
    } else {
      String next = first.get(0).nextValue();
      for (String other : List.of("bea", "alan")) {
        Resp r = s.get(other, API + "/collections/" + c + "/objects/?limit=1&next=" + enc(next));
        if (r.status() != 400) {
          v.add(other + " reused bob's next: " + r.status() + " " + r.body());
        }
      }
    }
    return v;
  }

  static List<String> manifest(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    Obj g = s.post("G", "alice", c, Tlp.GREEN);
    Obj r = s.post("R", "alice", c, Tlp.RED);
    Obj a = s.post("A", "alice", c, Tlp.AMBER);
    Obj x1 = s.post("X1-GREEN", "alice", c, Tlp.GREEN);
    s.postVersion("X2-RED", "alice", c, x1, Tlp.RED);
    s.expectList(v, "bob's manifest", "bob", c, "manifest/", "", List.of(g, a, x1));
    s.expectList(
        v,
        "bob's manifest, all versions",
        "bob",
        c,
        "manifest/",
        "match[version]=all",
        List.of(g, a, x1));
    s.expectList(
        v, "bob's manifest for the RED id", "bob", c, "manifest/", "match[id]=" + r.id, List.of());
    Resp resp = s.get("bob", API + "/collections/" + c + "/manifest/");
    JsonNode body = StixJson.parse(resp.body());
    for (JsonNode rec : body.path("objects")) {
      Obj o = s.byKey(rec.path("id").asText() + "@" + rec.path("version").asText());
      if (o == null) {
        continue;
      }
      Instant added = s.dateAdded(c, o);
      if (!Instant.parse(rec.path("date_added").asText()).equals(added)) {
        v.add("manifest date_added of " + o.label + ": " + rec.get("date_added") + " != " + added);
      }
    }
    return v;
  }

  static List<String> versions(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    Obj x1 = s.post("X1-GREEN", "alice", c, Tlp.GREEN);
    Obj x2 = s.postVersion("X2-RED", "alice", c, x1, Tlp.RED);
    Obj x3 = s.postVersion("X3-AMBER", "alice", c, x1, Tlp.AMBER);
    Obj y1 = s.post("Y1-RED", "alice", c, Tlp.RED);
    Obj y2 = s.postVersion("Y2-RED", "alice", c, y1, Tlp.RED);
    s.expectList(
        v, "bob's versions of X", "bob", c, "objects/" + x1.id + "/versions/", "", List.of(x1, x3));
    s.expectDateHeaders(
        v, "bob's versions of X", "bob", c, "objects/" + x1.id + "/versions/", "", x1, x3);
    s.hiddenLikeMissingObject(
        v, "bob's versions of Y (all RED)", "bob", "GET", c, y1.id, "versions/", "");
    s.expectList(
        v,
        "alan's versions of X",
        "alan",
        c,
        "objects/" + x1.id + "/versions/",
        "",
        List.of(x1, x2, x3));
    s.expectList(
        v,
        "alan's versions of Y",
        "alan",
        c,
        "objects/" + y1.id + "/versions/",
        "",
        List.of(y1, y2));
    return v;
  }

  static List<String> getById(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    Obj red = s.post("RED", "alice", c, Tlp.RED);
    Obj green = s.post("GREEN", "alice", c, Tlp.GREEN);
    for (String query :
        List.of(
            "",
            "match[version]=all",
            "match[version]=first",
            "match[version]=" + red.version,
            "match[spec_version]=2.1",
            "limit=1")) {
      s.hiddenLikeMissingObject(
          v, "bob GETs the RED object ?" + query, "bob", "GET", c, red.id, "", query);
    }
    s.expectList(
        v, "bob GETs the GREEN object", "bob", c, "objects/" + green.id + "/", "", List.of(green));
    s.expectList(
        v, "alice GETs her RED object", "alice", c, "objects/" + red.id + "/", "", List.of(red));
    return v;
  }

  static List<String> firstLast(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    // X: the newest version is hidden.
    Obj x1 = s.post("X1-GREEN", "alice", c, Tlp.GREEN);
    Obj x2 = s.postVersion("X2-AMBER", "alice", c, x1, Tlp.AMBER);
    Obj x3 = s.postVersion("X3-RED", "alice", c, x1, Tlp.RED);
    // Y: the oldest version is hidden.
    Obj y1 = s.post("Y1-RED", "alice", c, Tlp.RED);
    Obj y2 = s.postVersion("Y2-GREEN", "alice", c, y1, Tlp.GREEN);
    Obj y3 = s.postVersion("Y3-AMBER", "alice", c, y1, Tlp.AMBER);
    // Z: versions arrive out of order; the oldest and the newest are hidden.
    Obj z2 = s.post("Z2-GREEN", "alice", c, Tlp.GREEN);
    Obj z3 = s.postVersion("Z3-RED", "alice", c, z2, Tlp.RED);
    Obj z1 = s.postVersionBefore("Z1-RED", "alice", c, z2, Tlp.RED);
    String x = "objects/" + x1.id + "/";
    String y = "objects/" + y1.id + "/";
    String z = "objects/" + z2.id + "/";
    s.expectList(v, "bob GETs X", "bob", c, x, "", List.of(x2));
    s.expectList(v, "bob GETs X last", "bob", c, x, "match[version]=last", List.of(x2));
    s.expectList(v, "bob GETs X first", "bob", c, x, "match[version]=first", List.of(x1));
    s.expectList(
        v, "bob GETs X first,last", "bob", c, x, "match[version]=first,last", List.of(x1, x2));
    s.expectList(v, "bob GETs Y first", "bob", c, y, "match[version]=first", List.of(y2));
    s.expectList(v, "bob GETs Y last", "bob", c, y, "match[version]=last", List.of(y3));
    s.expectList(v, "bob GETs Z first", "bob", c, z, "match[version]=first", List.of(z2));
    s.expectList(v, "bob GETs Z last", "bob", c, z, "match[version]=last", List.of(z2));
    s.expectList(v, "bob lists last versions", "bob", c, "objects/", "", List.of(x2, y3, z2));
    s.expectList(
        v,
        "bob lists first versions",
        "bob",
        c,
        "objects/",
        "match[version]=first",
        List.of(x1, y2, z2));
    s.expectList(
        v,
        "bob's manifest of first,last",
        "bob",
        c,
        "manifest/",
        "match[version]=first,last",
        List.of(x1, x2, y2, y3, z2));
    s.expectList(v, "alan lists last versions", "alan", c, "objects/", "", List.of(x3, y3, z3));
    s.expectList(
        v,
        "alan lists first versions",
        "alan",
        c,
        "objects/",
        "match[version]=first",
        List.of(x1, y1, z1));
    return v;
  }

  static List<String> newestSpec(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    // A STIX 2.0 version, as an import or a federation peer stores it, then a RED 2.1 version.
    Obj z1 = s.importSpec20("Z1-2.0-GREEN", c, "org-a", Tlp.GREEN);
    Obj z2 = s.postVersion("Z2-2.1-RED", "alice", c, z1, Tlp.RED);
    String z = "objects/" + z1.id + "/";
    s.expectList(v, "bob GETs Z", "bob", c, z, "", List.of(z1));
    s.expectList(v, "bob lists", "bob", c, "objects/", "", List.of(z1));
    s.expectList(v, "bob's versions of Z", "bob", c, z + "versions/", "", List.of(z1));
    s.hiddenLikeMissingObject(
        v, "bob GETs Z in spec 2.1", "bob", "GET", c, z1.id, "", "match[spec_version]=2.1");
    Resp m = s.get("bob", API + "/collections/" + c + "/manifest/");
    String media = StixJson.parse(m.body()).path("objects").path(0).path("media_type").asText();
    if (!media.equals("application/stix+json;version=2.0")) {
      v.add("bob's manifest shows Z as " + media + ", expected the 2.0 version");
    }
    s.expectList(v, "alan GETs Z", "alan", c, z, "", List.of(z2));
    s.expectList(
        v,
        "alan GETs Z in both spec versions",
        "alan",
        c,
        z,
        "match[spec_version]=2.0,2.1&match[version]=all",
        List.of(z1, z2));
    return v;
  }

  static List<String> addedAfterAndDateHeaders(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    Obj g1 = s.post("G1", "alice", c, Tlp.GREEN);
    s.post("R1", "alice", c, Tlp.RED);
    Obj g2 = s.post("G2", "alice", c, Tlp.GREEN);
    s.post("R2", "alice", c, Tlp.RED);
    String afterG1 = "added_after=" + enc(StixTimestamp.taxii(s.dateAdded(c, g1)));
    String afterG2 = "added_after=" + enc(StixTimestamp.taxii(s.dateAdded(c, g2)));
    s.expectDateHeaders(v, "bob lists", "bob", c, "objects/", "", g1, g2);
    s.expectList(v, "bob lists after G1", "bob", c, "objects/", afterG1, List.of(g2));
    s.expectDateHeaders(v, "bob lists after G1", "bob", c, "objects/", afterG1, g2, g2);
    s.expectDateHeaders(v, "bob's manifest after G1", "bob", c, "manifest/", afterG1, g2, g2);
    s.expectDateHeaders(v, "bob's first page of one", "bob", c, "objects/", "limit=1", g1, g1);
    s.expectList(v, "bob lists after G2", "bob", c, "objects/", afterG2, List.of());
    s.expectDateHeaders(v, "bob lists after G2", "bob", c, "objects/", afterG2, null, null);
    s.post("R3", "alice", c, Tlp.RED);
    s.expectDateHeaders(
        v, "bob's manifest after G2, R3 added", "bob", c, "manifest/", afterG2, null, null);
    return v;
  }

  static List<String> status(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:rw");
    Resp post = s.postEnvelope("alice", c, s.objectJson(s.newId(), s.nextVersion(), Tlp.RED, null));
    JsonNode status = StixJson.parse(post.body());
    String path = API + "/status/" + status.path("id").asText() + "/";
    Resp own = s.get("alice", path);
    if (own.status() != 200 || !StixJson.parse(own.body()).equals(status)) {
      v.add("alice reads her status: " + own.status() + " " + own.body());
    }
    for (String other : List.of("bob", "alan", "admin")) {
      Resp theirs = s.get(other, path);
      Resp unknown = s.get(other, API + "/status/" + UUID.randomUUID() + "/");
      s.sameWire(v, other + " reads alice's status", theirs, unknown);
    }
    return v;
  }

  static List<String> deleteHidden(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:rw");
    Obj red = s.post("RED", "alice", c, Tlp.RED);
    Obj x1 = s.post("X1-GREEN", "alice", c, Tlp.GREEN);
    Obj x2 = s.postVersion("X2-RED", "alice", c, x1, Tlp.RED);
    s.hiddenLikeMissingObject(v, "bob DELETEs the RED object", "bob", "DELETE", c, red.id, "", "");
    s.hiddenLikeMissingObject(
        v,
        "bob DELETEs X's RED version",
        "bob",
        "DELETE",
        c,
        x1.id,
        "",
        "match[version]=" + x2.version);
    s.expectList(
        v,
        "alice after bob's DELETEs",
        "alice",
        c,
        "objects/",
        "match[version]=all",
        List.of(red, x1, x2));
    Resp del = s.send("DELETE", API + "/collections/" + c + "/objects/" + x1.id + "/", "bob", null);
    if (del.status() != 200) {
      v.add("bob DELETEs X (one visible version): " + del.status() + " " + del.body());
    }
    s.hiddenLikeMissingObject(
        v, "bob GETs X after deleting what he sees", "bob", "GET", c, x1.id, "", "");
    s.expectList(
        v,
        "alan after bob's DELETE of X",
        "alan",
        c,
        "objects/",
        "match[version]=all",
        List.of(red, x2));
    return v;
  }

  static List<String> redViaOrgOrCommunity(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    // The default is RED here: unmarked objects are RED too.
    String c = s.collection("red", "ORG:org-a:rw", "ORG:org-b:r", "COMMUNITY:allies:r");
    Obj red = s.post("RED", "alice", c, Tlp.RED);
    Obj unmarked = s.post("unmarked (RED by default)", "alice", c, null);
    Obj strict = s.post("AMBER+STRICT", "alice", c, Tlp.AMBER_STRICT);
    for (String reader : List.of("bob", "bea", "dave")) {
      s.expectList(
          v,
          reader + " lists all versions",
          reader,
          c,
          "objects/",
          "match[version]=all",
          List.of(strict));
      s.hiddenLikeMissingObject(
          v, reader + " GETs the RED object", reader, "GET", c, red.id, "", "");
      s.hiddenLikeMissingObject(
          v, reader + " GETs the unmarked object", reader, "GET", c, unmarked.id, "", "");
    }
    s.expectList(v, "alan lists", "alan", c, "objects/", "", List.of(red, unmarked, strict));
    return v;
  }

  static List<String> amberViaCommunity(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "COMMUNITY:allies:r");
    Obj clear = s.post("CLEAR", "alice", c, Tlp.CLEAR);
    Obj green = s.post("GREEN", "alice", c, Tlp.GREEN);
    Obj amber = s.post("AMBER", "alice", c, Tlp.AMBER);
    Obj strict = s.post("AMBER+STRICT", "alice", c, Tlp.AMBER_STRICT);
    s.post("RED", "alice", c, Tlp.RED);
    Obj unmarked = s.post("unmarked (AMBER)", "alice", c, null);
    s.expectList(
        v,
        "dave (community member) lists",
        "dave",
        c,
        "objects/",
        "",
        List.of(clear, green, amber, strict, unmarked));
    s.expectRights(v, "dave's rights", "dave", c, true, false);
    for (String outsider : List.of("carol", "bob")) {
      s.hiddenLikeMissingCollection(
          v, outsider + " (not a member) lists", outsider, "GET", c, "objects/", null);
    }
    return v;
  }

  static List<String> producerSeesOwnRed(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    Obj red = s.post("RED", "alice", c, Tlp.RED);
    Obj green = s.post("GREEN", "alice", c, Tlp.GREEN);
    s.expectList(v, "alice lists", "alice", c, "objects/", "", List.of(red, green));
    s.expectList(
        v,
        "alan (same organisation, reader) lists",
        "alan",
        c,
        "objects/",
        "",
        List.of(red, green));
    s.expectList(v, "bob lists", "bob", c, "objects/", "", List.of(green));
    // A node admin lists every collection and may read it, but sees by its own grants (none).
    s.expectRights(v, "admin's rights", "admin", c, true, true);
    s.expectList(v, "admin (node admin, no grant) lists", "admin", c, "objects/", "", List.of());
    s.hiddenLikeMissingObject(v, "admin GETs the RED object", "admin", "GET", c, red.id, "", "");
    return v;
  }

  static List<String> producerBinding(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:rw");
    String claimed = s.newId();
    Resp claim =
        s.postEnvelope(
            "bob", c, s.objectJson(claimed, s.nextVersion(), Tlp.RED, s.identity("org-a")));
    JsonNode st = StixJson.parse(claim.body());
    if (st.path("failure_count").asInt() != 1
        || !st.path("failures").path(0).path("message").asText().contains("created_by_ref")) {
      v.add("bob posting under org-a's identity was not refused: " + claim.body());
    }
    if (!s.storeEntries(c, claimed).isEmpty()) {
      v.add("bob's object under org-a's identity was stored");
    }
    Obj own = s.post("bob's RED", "bob", c, Tlp.RED);
    String signedId = s.newId();
    String version = s.nextVersion();
    Resp signedPost =
        s.postEnvelope("bob", c, s.objectJson(signedId, version, Tlp.GREEN, s.identity("org-b")));
    Obj signed = s.remember(new Obj("bob's GREEN under org-b's identity", signedId, version));
    if (StixJson.parse(signedPost.body()).path("success_count").asInt() != 1) {
      v.add("bob posting under org-b's own identity was refused: " + signedPost.body());
    }
    for (Entry e : s.storeEntries(c, own.id)) {
      if (!"org-b".equals(e.producerOrg())) {
        v.add("bob's object recorded as produced by " + e.producerOrg());
      }
    }
    s.expectList(v, "bea (org-b) lists", "bea", c, "objects/", "", List.of(own, signed));
    s.expectList(v, "alice (org-a) lists", "alice", c, "objects/", "", List.of(signed));
    return v;
  }

  static List<String> hiddenCollection(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw");
    Obj g = s.post("GREEN", "alice", c, Tlp.GREEN);
    String envelope =
        "{\"objects\":[" + s.objectJson(s.newId(), s.nextVersion(), null, null) + "]}";
    s.hiddenLikeMissingCollection(v, "bob GETs the collection", "bob", "GET", c, "", null);
    s.hiddenLikeMissingCollection(v, "bob lists", "bob", "GET", c, "objects/", null);
    s.hiddenLikeMissingCollection(v, "bob's manifest", "bob", "GET", c, "manifest/", null);
    s.hiddenLikeMissingCollection(
        v, "bob GETs an object", "bob", "GET", c, "objects/" + g.id + "/", null);
    s.hiddenLikeMissingCollection(
        v, "bob's versions", "bob", "GET", c, "objects/" + g.id + "/versions/", null);
    s.hiddenLikeMissingCollection(v, "bob POSTs", "bob", "POST", c, "objects/", envelope);
    s.hiddenLikeMissingCollection(
        v, "bob DELETEs", "bob", "DELETE", c, "objects/" + g.id + "/", null);
    if (s.listedCollections("bob").contains(c)) {
      v.add("bob's collection list shows the collection");
    }
    return v;
  }

  static List<String> tokenIsItsUsers(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:rw");
    Obj red = s.post("alice's RED", "alice", c, Tlp.RED);
    Obj green = s.post("GREEN", "alice", c, Tlp.GREEN);
    String path = API + "/collections/" + c + "/objects/?match[version]=all";
    String bob = s.token("bob");
    Resp own = s.sendAuth("GET", path, List.of("Bearer " + bob), null);
    String bobView = s.labels(s.items(own)).toString();
    if (!bobView.equals(s.labelsOf(List.of(green)).toString())) {
      v.add("bob's own view: " + bobView);
    }
    String aliceBasic = basic("alice", bob);
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("Basic alice:<bob's token>", List.of(aliceBasic));
    variants.put("Bearer <bob's token> alice", List.of("Bearer " + bob + " alice"));
    variants.put(
        "Bearer <bob's token>, Basic alice:<bob's token>",
        List.of("Bearer " + bob + ", " + aliceBasic));
    variants.put(
        "two Authorization headers, Basic alice first", List.of(aliceBasic, "Bearer " + bob));
    variants.put(
        "two Authorization headers, bob's Bearer first", List.of("Bearer " + bob, aliceBasic));
    for (var e : variants.entrySet()) {
      Resp r = s.sendAuth("GET", path, e.getValue(), null);
      if (r.status() == 401) {
        continue;
      }
      String view = r.status() == 200 ? s.labels(s.items(r)).toString() : r.status() + "";
      if (!view.equals(bobView)) {
        v.add(e.getKey() + ": answered with another view than bob's: " + view);
      }
    }
    Resp forwarded =
        s.sendAuth(
            "GET",
            path,
            List.of("Bearer " + bob),
            null,
            "X-Forwarded-User",
            "alice",
            "X-Remote-User",
            "alice",
            "From",
            "alice@org-a");
    if (!s.labels(s.items(forwarded)).toString().equals(bobView)) {
      v.add("identity headers naming alice changed bob's view: " + forwarded.body());
    }
    // Writing with bob's token under alice's name: refused, or bob's own organisation's.
    String id = s.newId();
    Resp post =
        s.sendAuth(
            "POST",
            API + "/collections/" + c + "/objects/",
            List.of(aliceBasic),
            "{\"objects\":[" + s.objectJson(id, s.nextVersion(), Tlp.RED, null) + "]}");
    for (Entry e : s.storeEntries(c, id)) {
      if (!"org-b".equals(e.producerOrg())) {
        v.add(
            "a POST with bob's token under alice's name was stored for "
                + e.producerOrg()
                + " ("
                + post.status()
                + ")");
      }
    }
    // The token follows its user: moved to org-c (no grant), bob sees nothing of the collection.
    User moved = s.server.store.user("bob").orElseThrow();
    s.server.store.write(
        tx -> {
          tx.updateUser(
              new User(
                  moved.name(),
                  "org-c",
                  moved.role(),
                  moved.passwordHash(),
                  moved.disabled(),
                  moved.created()));
          return null;
        });
    s.hiddenLikeMissingCollection(
        v, "bob, moved to org-c, lists", "bob", "GET", c, "objects/", null);
    s.expectList(v, "alice after all this", "alice", c, "objects/", "", List.of(red, green));
    return v;
  }

  static List<String> revokedToken(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String user = s.newUser("org-b", User.Role.ANALYST);
    String second = s.addToken(user, "second", true, null);
    s.expectStatus(v, "before revocation", s.get(user, API + "/collections/"), 200);
    s.server.store.write(tx -> tx.revokeToken("token-" + user));
    s.expectStatus(v, "the revoked token", s.get(user, API + "/collections/"), 401);
    s.expectStatus(
        v,
        "the user's other token",
        s.sendAuth("GET", API + "/collections/", List.of("Bearer " + second), null),
        200);
    return v;
  }

  static List<String> expiredToken(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String user = s.newUser("org-b", User.Role.ANALYST);
    String expired = s.addToken(user, "expired", true, Instant.now().minusSeconds(1));
    s.expectStatus(
        v,
        "a token expired a second ago",
        s.sendAuth("GET", API + "/collections/", List.of("Bearer " + expired), null),
        401);
    Instant expiry = Instant.now().plusMillis(1500);
    String soon = s.addToken(user, "soon", true, expiry);
    s.expectStatus(
        v,
        "a token before its expiry",
        s.sendAuth("GET", API + "/collections/", List.of("Bearer " + soon), null),
        200);
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 250);
    s.expectStatus(
        v,
        "the same token after its expiry",
        s.sendAuth("GET", API + "/collections/", List.of("Bearer " + soon), null),
        401);
    return v;
  }

  static List<String> grantRemoved(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:rw");
    Obj g = s.post("GREEN", "alice", c, Tlp.GREEN);
    s.expectList(v, "bob before", "bob", c, "objects/", "", List.of(g));
    s.grant(c, "ORG:org-b:w");
    s.expectStatus(
        v,
        "bob lists with a write-only grant",
        s.get("bob", API + "/collections/" + c + "/objects/"),
        403);
    s.expectRights(v, "bob's rights with a write-only grant", "bob", c, false, true);
    s.grant(c, "ORG:org-b:-");
    s.hiddenLikeMissingCollection(
        v, "bob lists with no grant left", "bob", "GET", c, "objects/", null);
    if (s.listedCollections("bob").contains(c)) {
      v.add("bob's collection list still shows the collection");
    }
    // Community membership: removed, the member's organisation loses what came through it.
    String org = "org-" + s.unique();
    String community = "community-" + s.unique();
    s.server.store.write(
        tx -> {
          tx.createOrganisation(
              new Organisation(org, "identity--" + UUID.randomUUID(), "XA", false));
          tx.createCommunity(new Community(community, null, List.of(org), null));
          return null;
        });
    String eve = s.newUser(org, User.Role.READER);
    String c2 = s.collection("amber", "ORG:org-a:rw", "COMMUNITY:" + community + ":r");
    Obj g2 = s.post("GREEN-2", "alice", c2, Tlp.GREEN);
    s.expectList(v, "eve (community member) before", eve, c2, "objects/", "", List.of(g2));
    s.server.store.write(tx -> tx.removeCommunityMember(community, org));
    s.hiddenLikeMissingCollection(
        v, "eve lists after leaving the community", eve, "GET", c2, "objects/", null);
    return v;
  }

  static List<String> userDisabled(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String user = s.newUser("org-c", User.Role.ANALYST);
    s.expectStatus(v, "before", s.get(user, API + "/collections/"), 200);
    User u = s.server.store.user(user).orElseThrow();
    s.server.store.write(
        tx -> {
          tx.updateUser(
              new User(u.name(), u.organisation(), u.role(), u.passwordHash(), true, u.created()));
          return null;
        });
    s.expectStatus(v, "after the user was disabled", s.get(user, API + "/collections/"), 401);
    return v;
  }

  // ---- leaks found: these fail on the node as it is ----------------------------------------

  /**
   * POST reveals that a collection holds a version hidden from the poster (and then hides from the
   * poster what it just posted).
   */
  static List<String> postOfHiddenVersion(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:rw");
    String id = s.newId();
    String json = s.objectJson(id, s.nextVersion(), Tlp.RED, null);
    s.postEnvelope("alice", c, json);
    String fresh = s.objectJson(s.newId(), s.nextVersion(), Tlp.RED, null);
    JsonNode hidden = StixJson.parse(s.postEnvelope("bob", c, json).body());
    JsonNode never = StixJson.parse(s.postEnvelope("bob", c, fresh).body());
    String onHidden = hidden.path("successes").path(0).path("message").asText("(no message)");
    String onNever = never.path("successes").path(0).path("message").asText("(no message)");
    if (!onHidden.equals(onNever)) {
      v.add(
          "bob re-posts a RED object of alice that he cannot see: status says '"
              + onHidden
              + "', for an object that never existed '"
              + onNever
              + "'");
    }
    Resp back = s.get("bob", API + "/collections/" + c + "/objects/" + id + "/");
    if (back.status() != 200) {
      v.add("bob GETs the object his POST just reported as a success: " + back.status());
    }
    return v;
  }

  /**
   * The one thing a POST may reveal about a version the poster cannot see: that its (id, version)
   * is taken. A STIX version is named by its id and modified timestamp across the whole node (two
   * bodies under one name would be a producer's error, and federation deduplicates by it), so a
   * different body under a taken name must fail, and cannot fail silently without losing it. To
   * learn even that, the poster must already know the id (a UUIDv4, only learnt from something it
   * could see) and guess the exact modified timestamp. This check bounds the residue: the failure
   * names nothing but the poster's own id and version (no collection, no level, no producer, no
   * content), and it is a failure exactly like a conflict with the poster's own object.
   */
  static List<String> postConflictOracle(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String secret = s.collection("amber", "ORG:org-a:rw");
    String bobs = s.collection("amber", "ORG:org-b:rw");
    String id = s.newId();
    String version = s.nextVersion();
    s.postEnvelope("alice", secret, s.objectJson(id, version, Tlp.RED, null));
    String probe = s.objectJson(id, version, Tlp.GREEN, null).replace("C2 ", "probe ");
    JsonNode onHidden = StixJson.parse(s.postEnvelope("bob", bobs, probe).body());
    // The same probe against bob's own object with that name.
    String own = s.newId();
    s.postEnvelope("bob", bobs, s.objectJson(own, version, Tlp.GREEN, null));
    String ownProbe = s.objectJson(own, version, Tlp.GREEN, null).replace("C2 ", "probe ");
    JsonNode onOwn = StixJson.parse(s.postEnvelope("bob", bobs, ownProbe).body());
    String hiddenMessage = onHidden.path("failures").path(0).path("message").asText("");
    String ownMessage = onOwn.path("failures").path(0).path("message").asText("");
    if (!hiddenMessage.replace(id, "ID").equals(ownMessage.replace(own, "ID"))) {
      v.add(
          "a conflict with a hidden version is told apart from one with the poster's own: '"
              + hiddenMessage
              + "' vs '"
              + ownMessage
              + "'");
    }
    for (String secretWord : List.of(secret, "RED", "org-a", "alice", "C2 ", "203.0.113.7")) {
      if (onHidden.toString().contains(secretWord)) {
        v.add("the failure for a hidden version reveals '" + secretWord + "': " + onHidden);
      }
    }
    return v;
  }

  /**
   * The {@code next} cursor must not carry the store-wide sequence number in clear: gaps between
   * two cursors would count the entries written in between, hidden ones included. An encrypted
   * cursor (random nonce) differs each time the same page is asked for; a signed-only one, which
   * shows the number, does not.
   */
  static List<String> cursorSequence(Scenario s) throws Exception {
    List<String> v = new ArrayList<>();
    String c = s.collection("amber", "ORG:org-a:rw", "ORG:org-b:r");
    s.post("G1", "alice", c, Tlp.GREEN);
    s.post("R1", "alice", c, Tlp.RED);
    s.post("G2", "alice", c, Tlp.GREEN);
    List<String> nexts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Resp first = s.get("bob", API + "/collections/" + c + "/objects/?limit=1");
      nexts.add(StixJson.parse(first.body()).path("next").asText(null));
    }
    if (nexts.get(0) == null || nexts.get(0).equals(nexts.get(1))) {
      v.add(
          "bob asks for the same first page twice and gets the same cursor "
              + nexts
              + ": it is a function of the position, readable by whoever knows the format");
    }
    for (String next : nexts) {
      if (next == null) {
        continue;
      }
      Resp second = s.get("bob", API + "/collections/" + c + "/objects/?limit=1&next=" + next);
      if (second.status() != 200) {
        v.add("an issued cursor does not resume: " + second.status());
      }
    }
    return v;
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(TestBackend.class)
  void postOfAHiddenVersionAnswersLikeAFirstPostAndMakesThePosterAProducer(TestBackend backend)
      throws Exception {
    assertThat(postOfHiddenVersion(scenario(Channel.OBJECT_LIST, null, backend))).isEmpty();
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(TestBackend.class)
  void aConflictWithAHiddenVersionRevealsNothingButThatItsNameIsTaken(TestBackend backend)
      throws Exception {
    assertThat(postConflictOracle(scenario(Channel.OBJECT_LIST, null, backend))).isEmpty();
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(TestBackend.class)
  void cursorsDoNotCarryTheSequenceNumberInClear(TestBackend backend) throws Exception {
    assertThat(cursorSequence(scenario(Channel.OBJECT_LIST, null, backend))).isEmpty();
  }

  // ---- weakenings ---------------------------------------------------------------------------

  /** A deliberate weakening of the node, made by wrapping what the TAXII server asks. */
  enum Weakening {
    NONE("nothing is weakened"),
    CEILING_ONE_UP(
        "the ceiling is one level higher (an organisation or community grant reaches RED)"),
    EVERYTHING("the visibility is Visibility.EVERYTHING (no filter at all)"),
    ORGANISATION_REPLACED(
        "the visibility's organisation is org-a for every reader (producer matched wrongly)"),
    COMMUNITY_AS_USER("a community read grant counts like a grant by name (ceiling RED)"),
    EVERYONE_READS("every user may read every collection, like a node admin"),
    FILTER_AFTER_LIMIT(
        "the store pages without the visibility and drops hidden entries afterwards"
            + " (short pages, 'more' from hidden rows)"),
    FIRST_LAST_AMONG_ALL(
        "first/last and the newest spec version are decided among all versions, hidden ones"
            + " dropped afterwards"),
    STATUS_OWNER_CONFUSED("statuses are answered as if bob owned them all"),
    CREATED_BY_REF_UNCHECKED("created_by_ref is not checked against the poster's organisation"),
    REQUESTER_ORGANISATION_SWAPPED("users of org-b act for org-a"),
    BASIC_NAME_WITH_ANY_TOKEN(
        "Basic name:token is accepted when the token is valid for any user, acting as 'name'"),
    AUTHENTICATION_CACHED("the authenticated requester is cached per Authorization header"),
    RIGHTS_CACHED("collection rights are cached per user and collection");

    final String description;

    Weakening(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }

    AccessPolicy policy(AccessPolicy real, Store store) {
      return switch (this) {
        case CEILING_ONE_UP ->
            widen(
                real,
                (r, vis) -> {
                  Tlp c = vis.ceiling();
                  return c == null || c == Tlp.RED
                      ? vis
                      : Visibility.of(r.organisation(), Tlp.values()[c.ordinal() + 1]);
                });
        case EVERYTHING -> widen(real, (r, vis) -> Visibility.EVERYTHING);
        case ORGANISATION_REPLACED ->
            widen(real, (r, vis) -> Visibility.of("org-a", vis.ceiling()));
        case COMMUNITY_AS_USER ->
            widen(
                real,
                (r, vis) -> vis,
                (r, c, rights) -> {
                  Set<String> mine = store.communitiesOf(r.organisation());
                  boolean viaCommunity =
                      store.grants(c.id()).stream()
                          .anyMatch(
                              g ->
                                  g.kind() == GranteeKind.COMMUNITY
                                      && g.canRead()
                                      && mine.contains(g.grantee()));
                  return viaCommunity
                      ? new CollectionRights(
                          rights.canRead(),
                          rights.canWrite(),
                          Visibility.of(r.organisation(), Tlp.RED))
                      : rights;
                });
        case EVERYONE_READS ->
            widen(
                real,
                (r, vis) -> vis,
                (r, c, rights) ->
                    new CollectionRights(true, rights.canWrite(), rights.visibility()));
        case CREATED_BY_REF_UNCHECKED ->
            new AccessPolicy() {
              @Override
              public CollectionRights rights(Requester requester, Collection collection) {
                return real.rights(requester, collection);
              }

              @Override
              public String refuseWrite(Requester requester, Collection c, StixObject object) {
                return null;
              }
            };
        case RIGHTS_CACHED -> {
          Map<String, CollectionRights> cache = new ConcurrentHashMap<>();
          yield widen(
              real,
              (r, vis) -> vis,
              (r, c, rights) -> cache.computeIfAbsent(r.user() + "\n" + c.id(), k -> rights));
        }
        default -> real;
      };
    }

    Authenticator authenticator(Authenticator real, Store store) {
      return switch (this) {
        case REQUESTER_ORGANISATION_SWAPPED ->
            (header, address) -> {
              Requester r = real.authenticate(header, address);
              return r.organisation().equals("org-b")
                  ? new Requester(r.user(), "org-a", r.nodeAdmin(), r.credentialsMayWrite())
                  : r;
            };
        case BASIC_NAME_WITH_ANY_TOKEN ->
            (header, address) -> {
              if (header != null && header.startsWith("Basic ")) {
                String decoded =
                    new String(
                        Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                Requester byToken =
                    real.authenticate("Bearer " + decoded.substring(colon + 1), address);
                User named = store.user(decoded.substring(0, colon)).orElseThrow();
                return new Requester(
                    named.name(),
                    named.organisation(),
                    named.role() == User.Role.NODE_ADMIN,
                    byToken.credentialsMayWrite());
              }
              return real.authenticate(header, address);
            };
        case AUTHENTICATION_CACHED -> {
          Map<String, Requester> cache = new ConcurrentHashMap<>();
          yield (header, address) -> {
            Requester r = cache.get(String.valueOf(header));
            if (r == null) {
              r = real.authenticate(header, address);
              cache.put(String.valueOf(header), r);
            }
            return r;
          };
        }
        default -> real;
      };
    }

    Store store(Store real) {
      if (this != FILTER_AFTER_LIMIT
          && this != FIRST_LAST_AMONG_ALL
          && this != STATUS_OWNER_CONFUSED) {
        return real;
      }
      Weakening w = this;
      return (Store)
          Proxy.newProxyInstance(
              Store.class.getClassLoader(),
              new Class<?>[] {Store.class},
              (proxy, method, args) -> {
                if (method.getName().equals("entries") && w != STATUS_OWNER_CONFUSED) {
                  return filteredLate(real, (ObjectQuery) args[0], w == FILTER_AFTER_LIMIT);
                }
                if (method.getName().equals("status") && w == STATUS_OWNER_CONFUSED) {
                  @SuppressWarnings("unchecked")
                  Optional<StatusRecord> s = (Optional<StatusRecord>) method.invoke(real, args);
                  return s.map(
                      r ->
                          new StatusRecord(
                              r.id(),
                              r.apiRoot(),
                              "bob",
                              r.requestTimestamp(),
                              r.totalCount(),
                              r.successes(),
                              r.failures(),
                              r.pendings()));
                }
                try {
                  return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    /** Selects as if everything were visible, then drops what the reader may not see. */
    private static EntryPage filteredLate(Store real, ObjectQuery q, boolean beforeLimit) {
      Visibility vis = q.visibility();
      if (vis.seesEverything()) {
        return real.entries(q);
      }
      ObjectQuery unrestricted =
          new ObjectQuery(
              q.collectionId(),
              q.ids(),
              q.types(),
              q.versions(),
              q.specVersions(),
              q.addedAfter(),
              q.afterSeq(),
              beforeLimit ? q.limit() : 1_000_000,
              q.withJson(),
              Visibility.EVERYTHING);
      EntryPage page = real.entries(unrestricted);
      List<Entry> kept = new ArrayList<>();
      for (Entry e : page.entries()) {
        if (vis.sees(e.producerOrg(), e.tlp())) {
          kept.add(e);
        }
      }
      if (beforeLimit) {
        return new EntryPage(kept, page.more());
      }
      boolean more = kept.size() > q.limit();
      return new EntryPage(more ? kept.subList(0, q.limit()) : kept, more);
    }

    interface Widen {
      Visibility apply(Requester r, Visibility v);
    }

    interface Rewrite {
      CollectionRights apply(Requester r, Collection c, CollectionRights rights);
    }

    private static AccessPolicy widen(AccessPolicy real, Widen widen) {
      return widen(real, widen, (r, c, rights) -> rights);
    }

    private static AccessPolicy widen(AccessPolicy real, Widen widen, Rewrite rewrite) {
      return new AccessPolicy() {
        @Override
        public CollectionRights rights(Requester requester, Collection collection) {
          CollectionRights r = real.rights(requester, collection);
          CollectionRights w =
              new CollectionRights(
                  r.canRead(), r.canWrite(), widen.apply(requester, r.visibility()));
          return rewrite.apply(requester, collection, w);
        }

        @Override
        public String refuseWrite(Requester requester, Collection collection, StixObject object) {
          return real.refuseWrite(requester, collection, object);
        }
      };
    }
  }

  // ---- servers --------------------------------------------------------------------------------

  /** A running TAXII server and the store behind it. */
  static final class Server implements AutoCloseable {
    final String baseUrl;
    final Store store;
    private final List<AutoCloseable> closing;

    private Server(String baseUrl, Store store, List<AutoCloseable> closing) {
      this.baseUrl = baseUrl;
      this.store = store;
      this.closing = closing;
    }

    /** The node as production starts it. */
    static Server production(Path dir) {
      return production(dir, TestBackend.SQLITE);
    }

    /** The node as production starts it, on {@code backend} (discarded when closed). */
    static Server production(Path dir, TestBackend backend) {
      Node node =
          Node.start(
              NodeConfig.defaults()
                  .withDataDir(dir)
                  .withDatabase(backend.databaseUrl(dir))
                  .withListen("127.0.0.1", 0),
              Map.of("ENTENTE_ADMIN_PASSWORD", "admin-password"));
      return new Server(node.baseUrl(), node.store(), List.of(node, () -> backend.discard(dir)));
    }

    /**
     * The pieces {@link Node#start} puts together (store, group-commit writer, validator, node
     * authenticator, grant policy, TAXII server; the first-start content of NodeSetup), with one
     * weakening wrapped around what the server asks.
     */
    static Server assembled(Path dir, Weakening weakening) throws IOException {
      Files.createDirectories(dir);
      Store real = SqliteStore.open(dir);
      String defaultId = UUID.randomUUID().toString();
      real.write(
          tx -> {
            tx.createApiRoot(new ApiRoot("api", "Entente", "assembled", 32L * 1024 * 1024));
            tx.createOrganisation(
                new Organisation("home", "identity--" + UUID.randomUUID(), null, true));
            tx.createCollection(
                new Collection(defaultId, "api", "Default", null, "default", "amber", null));
            tx.grant(new CollectionGrant(defaultId, GranteeKind.ORG, "home", true, true));
            tx.createUser(new User("admin", "home", User.Role.NODE_ADMIN, null, false, null));
            return null;
          });
      Store served = weakening.store(real);
      GroupCommitWriter writer = new GroupCommitWriter(real, 200_000, 5_000);
      Clock clock = Clock.systemUTC();
      Authenticator authenticator =
          weakening.authenticator(
              new NodeAuthenticator(
                  served,
                  new PasswordHasher(1024, 1),
                  new LoginThrottle(10, Duration.ofMinutes(5), clock),
                  clock),
              served);
      AccessPolicy policy = weakening.policy(new GrantPolicy(served), served);
      TaxiiServer server =
          new TaxiiServer(
              TaxiiServerConfig.builder()
                  .bindAddress("127.0.0.1")
                  .port(0)
                  .title("Entente")
                  .defaultApiRoot("api")
                  .pageSizeDefault(1000)
                  .pageSizeMax(10_000)
                  .statusWait(Duration.ofSeconds(2))
                  .build(),
              served,
              writer,
              new StixValidator(),
              authenticator,
              policy,
              AuditTrail.NONE,
              List.of());
      server.start();
      return new Server(server.baseUrl(), real, List.of(server::stop, writer, real));
    }

    @Override
    public void close() {
      for (AutoCloseable c : closing) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  // ---- the scenario every check runs in ----------------------------------------------------

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
     * Status, headers but Date and Connection (a transport matter, see the property test), body.
     */
    String wire() {
      TreeMap<String, List<String>> h = new TreeMap<>();
      headers.forEach(
          (k, v) -> {
            String n = k.toLowerCase(Locale.ROOT);
            if (!n.equals("date") && !n.equals("connection") && !n.equals(":status")) {
              h.put(n, v);
            }
          });
      return status + " " + h + "\n" + body;
    }
  }

  /** An object version a check posted, with a readable label. */
  record Obj(String label, String id, String version) {
    String key() {
      return id + "@" + version;
    }
  }

  record Page(Resp resp, List<String> items, boolean more, String nextValue) {
    boolean next() {
      return nextValue != null;
    }
  }

  /**
   * The organisations, users and helpers every check shares on one server: org-a (alice analyst,
   * alan reader), org-b (bob analyst, bea reader), org-c (carol), org-d (dave); community allies =
   * {org-a, org-d}; node admin 'admin' of the home organisation.
   */
  static final class Scenario implements AutoCloseable {
    final Server server;
    final HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    private final Map<String, Obj> objects = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private Instant clock = Instant.parse("2026-03-01T00:00:00.000Z");

    Scenario(Server server) {
      this.server = server;
      for (String org : List.of("org-a", "org-b", "org-c", "org-d")) {
        identities.put(org, "identity--" + UUID.randomUUID());
      }
      Instant now = Instant.now();
      server.store.write(
          tx -> {
            identities.forEach(
                (org, identity) ->
                    tx.createOrganisation(new Organisation(org, identity, "XA", false)));
            tx.createCommunity(new Community("allies", null, List.of("org-a", "org-d"), null));
            tx.createCommunity(new Community("partners", null, List.of("org-c"), null));
            String[][] users = {
              {"alice", "org-a", "ANALYST"}, {"alan", "org-a", "READER"},
              {"bob", "org-b", "ANALYST"}, {"bea", "org-b", "READER"},
              {"carol", "org-c", "ANALYST"}, {"dave", "org-d", "ANALYST"}
            };
            for (String[] u : users) {
              tx.createUser(new User(u[0], u[1], User.Role.valueOf(u[2]), null, false, now));
            }
            for (String u : List.of("alice", "alan", "bob", "bea", "carol", "dave", "admin")) {
              String token = "ent_" + UUID.randomUUID();
              tokens.put(u, token);
              tx.createToken(
                  new ApiToken("token-" + u, u, Secrets.sha256Hex(token), true, now, null, false));
            }
            return null;
          });
    }

    @Override
    public void close() {
      server.close();
    }

    int unique() {
      return counter.incrementAndGet();
    }

    String token(String user) {
      return tokens.get(user);
    }

    String identity(String org) {
      return identities.get(org);
    }

    String newUser(String org, User.Role role) {
      String name = "user-" + unique();
      server.store.write(
          tx -> {
            tx.createUser(new User(name, org, role, null, false, Instant.now()));
            return null;
          });
      addToken(name, null, true, null);
      return name;
    }

    /** Adds a token; the first one of a user becomes its default for {@link #get}. */
    String addToken(String user, String suffix, boolean canWrite, Instant expires) {
      String token = "ent_" + UUID.randomUUID();
      String id = suffix == null ? "token-" + user : "token-" + user + "-" + suffix;
      server.store.write(
          tx ->
              tx.createToken(
                  new ApiToken(
                      id,
                      user,
                      Secrets.sha256Hex(token),
                      canWrite,
                      Instant.now().minusSeconds(60),
                      expires,
                      false)));
      tokens.putIfAbsent(user, token);
      return token;
    }

    /** A collection with grants written "KIND:grantee:rw" (r, w, rw, or - to remove). */
    String collection(String defaultTlp, String... grants) {
      String id = UUID.randomUUID().toString();
      server.store.write(
          tx -> {
            tx.createCollection(
                new Collection(id, "api", "Check " + id, null, null, defaultTlp, null));
            return null;
          });
      for (String g : grants) {
        grant(id, g);
      }
      return id;
    }

    void grant(String collection, String spec) {
      String[] p = spec.split(":");
      server.store.write(
          tx -> {
            tx.grant(
                new CollectionGrant(
                    collection,
                    GranteeKind.valueOf(p[0]),
                    p[1],
                    p[2].contains("r"),
                    p[2].contains("w")));
            return null;
          });
    }

    String newId() {
      return "indicator--" + UUID.randomUUID();
    }

    String nextVersion() {
      clock = clock.plusSeconds(60);
      return MILLIS.format(clock);
    }

    String objectJson(String id, String version, Tlp tlp, String createdByRef) {
      return objectJson(id, version, version, tlp, createdByRef, "2.1");
    }

    String objectJson(
        String id, String created, String version, Tlp tlp, String createdByRef, String spec) {
      return "{\"type\":\"indicator\",\"spec_version\":\""
          + spec
          + "\",\"id\":\""
          + id
          + "\","
          + (createdByRef == null ? "" : "\"created_by_ref\":\"" + createdByRef + "\",")
          + "\"created\":\""
          + created
          + "\",\"modified\":\""
          + version
          + "\",\"name\":\"C2 "
          + version
          + "\",\"pattern\":\"[ipv4-addr:value = '203.0.113.7']\",\"pattern_type\":\"stix\","
          + "\"valid_from\":\""
          + created
          + "\""
          + (tlp == null ? "" : ",\"object_marking_refs\":[\"" + TlpMarkings.markingId(tlp) + "\"]")
          + "}";
    }

    Resp postEnvelope(String user, String collection, String... objectJsons) throws Exception {
      Resp r =
          send(
              "POST",
              API + "/collections/" + collection + "/objects/",
              user,
              "{\"objects\":[" + String.join(",", objectJsons) + "]}");
      if (r.status() != 202) {
        throw new IllegalStateException(
            "setup: POST as " + user + " answered " + r.status() + " " + r.body());
      }
      return r;
    }

    private Obj postOne(
        String label,
        String user,
        String collection,
        String id,
        String created,
        String version,
        Tlp tlp,
        String createdByRef)
        throws Exception {
      Resp r =
          postEnvelope(
              user, collection, objectJson(id, created, version, tlp, createdByRef, "2.1"));
      JsonNode status = StixJson.parse(r.body());
      if (status.path("success_count").asInt() != 1
          || status.path("successes").path(0).has("message")) {
        throw new IllegalStateException("setup: " + label + " not added: " + r.body());
      }
      Obj o = new Obj(label, id, version);
      objects.put(o.key(), o);
      return o;
    }

    /** Every version of an id shares its created, an hour before its first version. */
    private final Map<String, String> createdOf = new ConcurrentHashMap<>();

    private String newObject(String version) {
      String id = newId();
      createdOf.put(id, MILLIS.format(Instant.parse(version).minusSeconds(3600)));
      return id;
    }

    Obj post(String label, String user, String collection, Tlp tlp) throws Exception {
      String v = nextVersion();
      String id = newObject(v);
      return postOne(label, user, collection, id, createdOf.get(id), v, tlp, null);
    }

    Obj postSigned(String label, String user, String collection, Tlp tlp) throws Exception {
      String v = nextVersion();
      String id = newObject(v);
      String org = server.store.user(user).orElseThrow().organisation();
      return postOne(label, user, collection, id, createdOf.get(id), v, tlp, identity(org));
    }

    Obj postVersion(String label, String user, String collection, Obj of, Tlp tlp)
        throws Exception {
      return postOne(
          label, user, collection, of.id, createdOf.get(of.id), nextVersion(), tlp, null);
    }

    /** A version a second older than {@code of}, posted after it. */
    Obj postVersionBefore(String label, String user, String collection, Obj of, Tlp tlp)
        throws Exception {
      String v = MILLIS.format(Instant.parse(of.version).minusSeconds(1));
      return postOne(label, user, collection, of.id, createdOf.get(of.id), v, tlp, null);
    }

    /** A STIX 2.0 version written straight to the store, as an import or a peer writes one. */
    Obj importSpec20(String label, String collection, String org, Tlp tlp) {
      String v = nextVersion();
      String id = newObject(v);
      String json = objectJson(id, createdOf.get(id), v, tlp, null, "2.0");
      StixObject o = StixObject.of(StixJson.parse(json));
      server.store.write(tx -> tx.put(ObjectWrite.of(collection, o, org, "importer", tlp)));
      Obj obj = new Obj(label, id, v);
      objects.put(obj.key(), obj);
      return obj;
    }

    Obj remember(Obj o) {
      objects.put(o.key(), o);
      return o;
    }

    Obj byKey(String key) {
      return objects.get(key);
    }

    List<Entry> storeEntries(String collection, String id) {
      return server
          .store
          .entries(
              new ObjectQuery(
                  collection,
                  Set.of(id),
                  Set.of(),
                  VersionSelector.ALL,
                  new SpecVersions(Set.of("2.0", "2.1")),
                  null,
                  0,
                  1000,
                  false,
                  Visibility.EVERYTHING))
          .entries();
    }

    Instant dateAdded(String collection, Obj o) {
      for (Entry e : storeEntries(collection, o.id)) {
        if (Instant.parse(e.version()).equals(Instant.parse(o.version))) {
          return e.dateAdded();
        }
      }
      throw new IllegalStateException(o.label + " is not in " + collection);
    }

    // ---- HTTP -----------------------------------------------------------------------------

    Resp get(String user, String path) throws Exception {
      return send("GET", path, user, null);
    }

    Resp send(String method, String path, String user, String body) throws Exception {
      return sendAuth(method, path, List.of("Bearer " + tokens.get(user)), body);
    }

    Resp sendAuth(
        String method, String path, List<String> authorizations, String body, String... headers)
        throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(server.baseUrl + path))
              .timeout(Duration.ofSeconds(30))
              .header("Accept", TAXII);
      for (String a : authorizations) {
        b.header("Authorization", a);
      }
      for (int i = 0; i + 1 < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]);
      }
      if (body != null) {
        b.header("Content-Type", TAXII);
        b.method(method, HttpRequest.BodyPublishers.ofString(body));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Resp(r.statusCode(), r.body(), r.headers().map());
    }

    // ---- reading ----------------------------------------------------------------------------

    /** The items of a page: "id@version" of objects and manifest records, or versions. */
    List<String> items(Resp r) {
      List<String> out = new ArrayList<>();
      if (r.status() != 200) {
        out.add("HTTP " + r.status());
        return out;
      }
      JsonNode body = StixJson.parse(r.body());
      for (JsonNode o : body.path("objects")) {
        String version =
            o.has("date_added") ? o.path("version").asText() : o.path("modified").asText();
        out.add(o.path("id").asText() + "@" + version);
      }
      for (JsonNode version : body.path("versions")) {
        out.add("@" + version.asText());
      }
      return out;
    }

    List<String> labels(List<String> items) {
      List<String> out = new ArrayList<>();
      for (String item : items) {
        Obj o = objects.get(item);
        if (o == null && item.startsWith("@")) {
          for (Obj candidate : objects.values()) {
            if (("@" + candidate.version).equals(item)) {
              o = candidate;
            }
          }
        }
        out.add(o == null ? item : o.label);
      }
      return out;
    }

    List<String> labelsOf(List<Obj> objs) {
      List<String> out = new ArrayList<>();
      objs.forEach(o -> out.add(o.label));
      return out;
    }

    List<Page> firstPage(String user, String collection, String endpoint, String query)
        throws Exception {
      Resp r = get(user, API + "/collections/" + collection + "/" + endpoint + "?" + query);
      List<Page> out = new ArrayList<>();
      if (r.status() == 200) {
        JsonNode body = StixJson.parse(r.body());
        out.add(
            new Page(
                r,
                items(r),
                body.path("more").asBoolean(),
                body.has("next") ? body.get("next").asText() : null));
      }
      return out;
    }

    /** Every page of a listing (at most 20: a cursor that does not advance is a violation). */
    List<Page> pages(List<String> v, String user, String collection, String endpoint, String query)
        throws Exception {
      List<Page> out = new ArrayList<>();
      String next = null;
      for (int i = 0; i < 20; i++) {
        String q = query + (next == null ? "" : (query.isEmpty() ? "" : "&") + "next=" + enc(next));
        Resp r =
            get(
                user,
                API + "/collections/" + collection + "/" + endpoint + (q.isEmpty() ? "" : "?" + q));
        if (r.status() != 200) {
          out.add(new Page(r, List.of("HTTP " + r.status()), false, null));
          return out;
        }
        JsonNode body = StixJson.parse(r.body());
        boolean more = body.path("more").asBoolean();
        String nextValue = body.has("next") ? body.get("next").asText() : null;
        out.add(new Page(r, items(r), more, nextValue));
        if (!more || nextValue == null) {
          return out;
        }
        next = nextValue;
      }
      v.add(user + " paging " + endpoint + "?" + query + " did not end after 20 pages");
      return out;
    }

    /** The whole listing, every page, against what the reader should see, in this order. */
    void expectList(
        List<String> v,
        String what,
        String user,
        String collection,
        String endpoint,
        String query,
        List<Obj> wanted)
        throws Exception {
      List<String> actual = new ArrayList<>();
      for (Page p : pages(v, user, collection, endpoint, query)) {
        if (p.resp().status() == 404
            && wanted.isEmpty()
            && endpoint.contains("objects/")
            && !endpoint.equals("objects/")) {
          continue; // an object with nothing visible: 404 (compared byte for byte elsewhere)
        }
        actual.addAll(labels(p.items()));
      }
      if (!actual.equals(labelsOf(wanted))) {
        v.add(what + ": got " + actual + ", expected " + labelsOf(wanted));
      }
    }

    void expectDateHeaders(
        List<String> v,
        String what,
        String user,
        String collection,
        String endpoint,
        String query,
        Obj first,
        Obj last)
        throws Exception {
      Resp r =
          get(
              user,
              API
                  + "/collections/"
                  + collection
                  + "/"
                  + endpoint
                  + (query.isEmpty() ? "" : "?" + query));
      String f = r.header("X-TAXII-Date-Added-First");
      String l = r.header("X-TAXII-Date-Added-Last");
      String wantF = first == null ? null : StixTimestamp.taxii(dateAdded(collection, first));
      String wantL = last == null ? null : StixTimestamp.taxii(dateAdded(collection, last));
      boolean ok =
          (wantF == null ? f == null : f != null && Instant.parse(f).equals(Instant.parse(wantF)))
              && (wantL == null
                  ? l == null
                  : l != null && Instant.parse(l).equals(Instant.parse(wantL)));
      if (!ok) {
        v.add(
            what
                + ": X-TAXII-Date-Added-First/Last "
                + f
                + " / "
                + l
                + ", expected "
                + wantF
                + " / "
                + wantL
                + " ("
                + (first == null ? "none" : first.label)
                + " / "
                + (last == null ? "none" : last.label)
                + ")");
      }
    }

    void expectStatus(List<String> v, String what, Resp r, int status) {
      if (r.status() != status) {
        v.add(what + ": HTTP " + r.status() + ", expected " + status);
      }
    }

    void expectRights(
        List<String> v, String what, String user, String collection, boolean read, boolean write)
        throws Exception {
      Resp r = get(user, API + "/collections/" + collection + "/");
      JsonNode body = StixJson.parse(r.body());
      if (r.status() != 200
          || body.path("can_read").asBoolean() != read
          || body.path("can_write").asBoolean() != write) {
        v.add(
            what
                + ": "
                + r.status()
                + " "
                + r.body()
                + ", expected can_read "
                + read
                + " can_write "
                + write);
      }
    }

    List<String> listedCollections(String user) throws Exception {
      List<String> out = new ArrayList<>();
      for (JsonNode c :
          StixJson.parse(get(user, API + "/collections/").body()).path("collections")) {
        out.add(c.path("id").asText());
      }
      return out;
    }

    /** The answer about a hidden object equals, byte for byte, the one about a missing id. */
    void hiddenLikeMissingObject(
        List<String> v,
        String what,
        String user,
        String method,
        String collection,
        String id,
        String rest,
        String query)
        throws Exception {
      String q = query.isEmpty() ? "" : "?" + query;
      String base = API + "/collections/" + collection + "/objects/";
      Resp hidden = send(method, base + id + "/" + rest + q, user, null);
      Resp missing = send(method, base + newId() + "/" + rest + q, user, null);
      if (missing.status() != 404) {
        v.add(what + ": a never-existing id answered " + missing.status());
      }
      sameWire(v, what, hidden, missing);
    }

    void hiddenLikeMissingCollection(
        List<String> v,
        String what,
        String user,
        String method,
        String collection,
        String rest,
        String body)
        throws Exception {
      Resp hidden = send(method, API + "/collections/" + collection + "/" + rest, user, body);
      Resp missing =
          send(method, API + "/collections/" + UUID.randomUUID() + "/" + rest, user, body);
      if (missing.status() != 404) {
        v.add(what + ": a never-existing collection answered " + missing.status());
      }
      sameWire(v, what, hidden, missing);
    }

    void sameWire(List<String> v, String what, Resp actual, Resp baseline) {
      if (!actual.wire().equals(baseline.wire())) {
        v.add(
            what
                + ": answered\n"
                + actual.wire()
                + "\nbut what never existed is answered\n"
                + baseline.wire());
      }
    }
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
