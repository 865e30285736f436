package org.entente.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.entente.node.admin.OrganisationIdentity;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.marking.EffectiveTlp;
import org.entente.stix.marking.Tlp;
import org.entente.store.ApiToken;
import org.entente.store.AuditEvent;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.CollectionGrant.GranteeKind;
import org.entente.store.Community;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.Store;
import org.entente.store.User;

/**
 * The fictional world of {@code serve --demo}: a national centre, 16 allies in "nato-allies", 5
 * partners, collections per audience and intelligence at every TLP, read from {@code
 * demo/world.json} and {@code demo/objects.json}. The world's home organisation stands for the
 * node's own home organisation, whatever it is called. Seeded once per data directory.
 */
public final class DemoWorld {
  /** The community whose presence says the world is already seeded. */
  static final String MARKER_COMMUNITY = "nato-allies";

  private final Store store;
  private final PasswordHasher hasher;
  private final Secrets secrets;
  private final Clock clock;

  public DemoWorld(Store store, PasswordHasher hasher, Secrets secrets, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** A demo user's credentials, shown once at seeding. */
  public record Credentials(
      String user, String organisation, String role, String password, String token) {}

  /** What seeding did; empty credentials when the world was already there. */
  public record Seeded(
      boolean fresh, List<Credentials> credentials, int objects, int collections) {}

  /**
   * Seeds the world unless it is already there.
   *
   * @param apiRoot the node's API root, where the collections go
   */
  public Seeded seed(String apiRoot) {
    if (store.community(MARKER_COMMUNITY).isPresent()) {
      return new Seeded(false, List.of(), 0, 0);
    }
    JsonNode world = read("demo/world.json");
    JsonNode entries = read("demo/objects.json");
    Organisation home =
        store.organisations().stream()
            .filter(Organisation::home)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the node has no home organisation"));
    String worldHome = world.path("home").asText();
    Map<String, String> orgName = new LinkedHashMap<>();
    for (JsonNode o : world.path("organisations")) {
      String name = o.path("name").asText();
      orgName.put(name, name.equals(worldHome) ? home.name() : name);
    }
    Instant now = clock.instant();

    // Passwords are hashed before the transaction: Argon2id is slow by design.
    List<Credentials> credentials = new ArrayList<>();
    List<User> users = new ArrayList<>();
    List<ApiToken> tokens = new ArrayList<>();
    for (JsonNode u : world.path("users")) {
      String name = u.path("name").asText();
      String org = orgName.get(u.path("organisation").asText());
      User.Role role =
          User.Role.valueOf(u.path("role").asText().replace('-', '_').toUpperCase(Locale.ROOT));
      String password = secrets.randomToken(12);
      String token = "ent_" + secrets.randomToken(32);
      users.add(new User(name, org, role, hasher.hash(password), false, now));
      tokens.add(
          new ApiToken(
              UUID.randomUUID().toString(),
              name,
              Secrets.sha256Hex(token),
              role != User.Role.READER,
              now,
              null,
              false));
      credentials.add(new Credentials(name, org, u.path("role").asText(), password, token));
    }

    int[] counts = new int[2];
    store.write(
        tx -> {
          Map<String, StixObject> identities = new LinkedHashMap<>();
          for (JsonNode o : world.path("organisations")) {
            String name = orgName.get(o.path("name").asText());
            List<String> sectors = new ArrayList<>();
            o.path("sectors").forEach(s -> sectors.add(s.asText()));
            ObjectNode identity = identity(o, name, now);
            StixObject stix = StixObject.of(identity);
            identities.put(name, stix);
            Organisation org =
                new Organisation(
                    name,
                    stix.id(),
                    o.path("country").asText(null),
                    name.equals(home.name()),
                    sectors,
                    StixJson.write(identity));
            if (org.home()) {
              tx.updateOrganisation(org);
            } else {
              tx.createOrganisation(org);
            }
          }
          for (JsonNode c : world.path("communities")) {
            List<String> members = new ArrayList<>();
            c.path("members").forEach(m -> members.add(orgName.get(m.asText())));
            tx.createCommunity(
                new Community(
                    c.path("name").asText(), c.path("description").asText(null), members, now));
          }
          Map<String, String> collectionByAlias = new LinkedHashMap<>();
          for (JsonNode c : world.path("collections")) {
            Collection created =
                tx.createCollection(
                    new Collection(
                        c.path("id").asText(),
                        apiRoot,
                        c.path("title").asText(),
                        c.path("description").asText(null),
                        c.path("alias").asText(),
                        c.path("default_tlp").asText("amber"),
                        now));
            collectionByAlias.put(created.alias(), created.id());
            for (JsonNode g : c.path("grants")) {
              String[] grantee = g.path("grantee").asText().split(":", 2);
              GranteeKind kind =
                  switch (grantee[0]) {
                    case "org" -> GranteeKind.ORG;
                    case "community" -> GranteeKind.COMMUNITY;
                    default -> GranteeKind.USER;
                  };
              String name = kind == GranteeKind.ORG ? orgName.get(grantee[1]) : grantee[1];
              tx.grant(
                  new CollectionGrant(
                      created.id(),
                      kind,
                      name,
                      g.path("read").asBoolean(),
                      g.path("write").asBoolean()));
            }
          }
          users.forEach(tx::createUser);
          tokens.forEach(tx::createToken);
          // Every organisation's identity goes to the public collection, so that created_by_ref
          // resolves for every reader.
          String publicCollection =
              collectionByAlias.getOrDefault(
                  "public", collectionByAlias.values().iterator().next());
          for (Map.Entry<String, StixObject> e : identities.entrySet()) {
            tx.put(ObjectWrite.of(publicCollection, e.getValue(), e.getKey(), "demo", Tlp.CLEAR));
          }
          for (JsonNode entry : entries) {
            JsonNode object = entry.path("object");
            String producer = orgName.get(entry.path("producer").asText());
            String collection = collectionByAlias.get(entry.path("collection").asText());
            tx.put(
                ObjectWrite.of(
                    collection,
                    StixObject.of(object),
                    producer,
                    "demo",
                    EffectiveTlp.of(object, Map.of(), null)));
            counts[0]++;
          }
          counts[1] = collectionByAlias.size();
          tx.appendAudit(
              List.of(
                  AuditEvent.of(
                      now,
                      "demo",
                      home.name(),
                      "local",
                      "demo.seed",
                      apiRoot,
                      "{\"objects\":" + counts[0] + "}")));
          return null;
        });
    return new Seeded(true, List.copyOf(credentials), counts[0], counts[1]);
  }

  private static ObjectNode identity(JsonNode org, String name, Instant now) {
    List<String> sectors = new ArrayList<>();
    org.path("sectors").forEach(x -> sectors.add(x.asText()));
    return OrganisationIdentity.of(
        org.path("identity_id").asText(),
        name,
        org.path("country").asText(null),
        sectors,
        org.path("description").asText(null),
        now);
  }

  private static JsonNode read(String resource) {
    try (InputStream in = DemoWorld.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return StixJson.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
