package org.entente.node.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.entente.node.audit.AuditedReads;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.node.federation.FederationException;
import org.entente.node.federation.PeerStatus;
import org.entente.node.federation.SecretSeal;
import org.entente.node.federation.SyncReport;
import org.entente.stix.StixJson;
import org.entente.stix.marking.Tlp;
import org.entente.store.ApiRoot;
import org.entente.store.ApiToken;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.CollectionGrant.GranteeKind;
import org.entente.store.Community;
import org.entente.store.NotFoundException;
import org.entente.store.Organisation;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import org.entente.store.Store;
import org.entente.store.User;
import org.entente.store.WriteTransaction;

/**
 * The sharing model's administration, shared by the CLI and the admin API: organisations (each with
 * its STIX identity), communities, users, API tokens, collections and their grants, and the peers
 * the node federates with. Every change appends its audit event in the same transaction as the
 * change itself, so the log cannot miss one. Who may do what is decided by the caller: the admin
 * API checks roles, and the CLI acts for whoever may open the data directory.
 */
public final class Administration {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** Organisations and communities may read like "NATO allies": single inner spaces too. */
  private static final Pattern DISPLAY_NAME =
      Pattern.compile("(?=.{1,64}$)[A-Za-z0-9][A-Za-z0-9._-]*( [A-Za-z0-9._-]+)*");

  /** A remote collection id goes into URL paths: no separators or white space. */
  private static final Pattern REMOTE_COLLECTION = Pattern.compile("[^\\s/?#%]+");

  /** A Basic user name: no colon (RFC 7617), no white space or control characters. */
  private static final Pattern NAME_OR_ACCOUNT = Pattern.compile("[^\\s:\\p{Cntrl}]{1,256}");

  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern SECTOR = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** Peers sync every five minutes unless told otherwise, and at most every ten seconds. */
  static final int PEER_INTERVAL_DEFAULT = 300;

  static final int PEER_INTERVAL_MIN = 10;

  private final Store store;
  private final PasswordHasher hasher;
  private final Secrets secrets;
  private final Supplier<SecretSeal> seal;
  private final Clock clock;

  /**
   * @param seal the node's {@link SecretSeal}, asked for only when a peer secret is stored (so that
   *     commands that store none never read or create the node key)
   */
  public Administration(
      Store store, PasswordHasher hasher, Secrets secrets, Supplier<SecretSeal> seal, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.secrets = secrets;
    this.seal = seal;
    this.clock = clock;
  }

  /** Who asks for a change, for the audit log: a user (and organisation) and an address. */
  public record Actor(String user, String organisation, String address) {
    /** The local command line: whoever may open the data directory. */
    public static Actor commandLine() {
      return new Actor("cli:" + System.getProperty("user.name", "unknown"), null, "local");
    }
  }

  /** A newly created secret, shown once and never stored. */
  public record Created<T>(T value, String secret) {}

  // ---- organisations ----------------------------------------------------------------------

  public Organisation addOrganisation(
      Actor actor, String name, String country, List<String> sectors, String description) {
    checkDisplayName("organisation", name);
    String cc = country == null ? null : country.toUpperCase(Locale.ROOT);
    if (cc != null && !COUNTRY.matcher(cc).matches()) {
      throw new IllegalArgumentException(
          "country must be an ISO 3166-1 alpha-2 code such as DE or FR, not '" + country + "'");
    }
    List<String> sectorList = sectors == null ? List.of() : List.copyOf(sectors);
    for (String s : sectorList) {
      if (!SECTOR.matcher(s).matches()) {
        throw new IllegalArgumentException(
            "sector '" + s + "' is not an industry-sector-ov style value (e.g. energy)");
      }
    }
    Instant now = clock.instant();
    ObjectNode identity =
        OrganisationIdentity.of(
            OrganisationIdentity.newId(), name, cc, sectorList, description, now);
    Organisation org =
        new Organisation(
            name, identity.get("id").asText(), cc, false, sectorList, StixJson.write(identity));
    return store.write(
        tx -> {
          Organisation created = tx.createOrganisation(org);
          audit(tx, actor, "organisation.add", name, detail("country", cc));
          return created;
        });
  }

  public List<Organisation> organisations() {
    return store.organisations();
  }

  public Optional<Organisation> organisation(String name) {
    return store.organisation(name);
  }

  // ---- communities ------------------------------------------------------------------------

  public Community addCommunity(
      Actor actor, String name, String description, List<String> members) {
    checkDisplayName("community", name);
    List<String> memberList = members == null ? List.of() : List.copyOf(members);
    return store.write(
        tx -> {
          Community c = tx.createCommunity(new Community(name, description, memberList, null));
          audit(tx, actor, "community.add", name, detail("members", String.join(",", memberList)));
          return c;
        });
  }

  public void addMember(Actor actor, String community, String organisation) {
    store.write(
        tx -> {
          tx.addCommunityMember(community, organisation);
          audit(tx, actor, "community.member.add", community, detail("organisation", organisation));
          return null;
        });
  }

  public boolean removeMember(Actor actor, String community, String organisation) {
    return store.write(
        tx -> {
          boolean removed = tx.removeCommunityMember(community, organisation);
          if (removed) {
            audit(
                tx,
                actor,
                "community.member.remove",
                community,
                detail("organisation", organisation));
          }
          return removed;
        });
  }

  public List<Community> communities() {
    return store.communities();
  }

  public Optional<Community> community(String name) {
    return store.community(name);
  }

  // ---- users and tokens -------------------------------------------------------------------

  /**
   * Creates a user. With a null password one is generated and returned (shown once).
   *
   * @throws NotFoundException if the organisation does not exist
   */
  public Created<User> addUser(
      Actor actor, String name, String organisation, User.Role role, String password) {
    checkName("user", name);
    Objects.requireNonNull(role, "role");
    if (password != null && password.length() < 12) {
      throw new IllegalArgumentException("a password needs at least 12 characters");
    }
    boolean generate = password == null;
    String secret = generate ? secrets.randomToken(18) : password;
    String hash = hasher.hash(secret); // slow by design: outside the transaction
    User user = new User(name, organisation, role, hash, false, clock.instant());
    User created =
        store.write(
            tx -> {
              User u = tx.createUser(user);
              audit(
                  tx,
                  actor,
                  "user.add",
                  name,
                  detail("organisation", organisation) + "," + pair("role", Roles.name(role)));
              return u;
            });
    return new Created<>(created, generate ? secret : null);
  }

  public void setUserDisabled(Actor actor, String name, boolean disabled) {
    store.write(
        tx -> {
          User u = userOrThrow(name);
          tx.updateUser(
              new User(
                  u.name(), u.organisation(), u.role(), u.passwordHash(), disabled, u.created()));
          audit(tx, actor, disabled ? "user.disable" : "user.enable", name, null);
          return null;
        });
  }

  public List<User> users() {
    return store.users();
  }

  public Optional<User> user(String name) {
    return store.user(name);
  }

  /**
   * Creates an API token for a user; the secret is returned once and only its hash is stored.
   *
   * @param expires null for a token that does not expire
   */
  public Created<ApiToken> createToken(
      Actor actor, String userName, boolean canWrite, Instant expires) {
    userOrThrow(userName);
    if (expires != null && !expires.isAfter(clock.instant())) {
      throw new IllegalArgumentException("the expiry must be in the future");
    }
    String secret = "ent_" + secrets.randomToken(32);
    ApiToken token =
        new ApiToken(
            UUID.randomUUID().toString(),
            userName,
            Secrets.sha256Hex(secret),
            canWrite,
            clock.instant(),
            expires,
            false);
    ApiToken created =
        store.write(
            tx -> {
              ApiToken t = tx.createToken(token);
              audit(
                  tx,
                  actor,
                  "token.create",
                  userName,
                  detail("token", t.id()) + "," + pair("write", Boolean.toString(canWrite)));
              return t;
            });
    return new Created<>(created, secret);
  }

  public List<ApiToken> tokens(String userName) {
    return store.tokens(userName);
  }

  /** The token with this id, whoever owns it. */
  public Optional<ApiToken> token(String tokenId) {
    for (User u : store.users()) {
      for (ApiToken t : store.tokens(u.name())) {
        if (t.id().equals(tokenId)) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  /** The token whose secret this is (an API token as a client sends it), whatever its state. */
  public Optional<ApiToken> tokenBySecret(String secret) {
    if (secret == null || secret.isEmpty()) {
      return Optional.empty();
    }
    return store.tokenByHash(Secrets.sha256Hex(secret));
  }

  public boolean revokeToken(Actor actor, String tokenId) {
    return store.write(
        tx -> {
          boolean revoked = tx.revokeToken(tokenId);
          if (revoked) {
            audit(tx, actor, "token.revoke", tokenId, null);
          }
          return revoked;
        });
  }

  // ---- collections and grants -------------------------------------------------------------

  /**
   * Creates a collection in the node's API root.
   *
   * @param id null for a fresh UUIDv4
   * @param defaultTlp the level of unmarked objects; null for AMBER
   */
  public Collection addCollection(
      Actor actor,
      String apiRoot,
      String title,
      String id,
      String alias,
      String description,
      Tlp defaultTlp) {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("a collection needs a title");
    }
    String cid = id == null ? UUID.randomUUID().toString() : id;
    try {
      if (!UUID.fromString(cid).toString().equals(cid.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a collection id must be a UUID, not '" + id + "'");
    }
    if (alias != null) {
      // An alias is a URL path segment; one that parses as a UUID could shadow another
      // collection's id (an id match wins), so it would silently name the wrong collection.
      if (!NAME.matcher(alias).matches()) {
        throw new IllegalArgumentException(
            "a collection alias is 1 to 64 letters, digits, '.', '_' or '-', starting with a"
                + " letter or digit; not '"
                + alias
                + "'");
      }
      if (looksLikeUuid(alias)) {
        throw new IllegalArgumentException("a collection alias must not look like a UUID");
      }
    }
    Tlp tlp = defaultTlp == null ? Tlp.AMBER : defaultTlp;
    Collection c =
        new Collection(
            cid.toLowerCase(Locale.ROOT),
            apiRoot,
            title,
            description,
            alias,
            tlpName(tlp),
            clock.instant());
    return store.write(
        tx -> {
          Collection created = tx.createCollection(c);
          audit(tx, actor, "collection.add", created.id(), detail("default_tlp", tlpName(tlp)));
          return created;
        });
  }

  private static boolean looksLikeUuid(String text) {
    try {
      UUID.fromString(text);
      return text.length() == 36;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** How a level is written in collection settings and the API: clear, green, amber+strict... */
  public static String tlpName(Tlp tlp) {
    return tlp.label().substring(4).toLowerCase(Locale.ROOT);
  }

  /**
   * A grantee as written on the command line and in the API: org:NAME, community:NAME, user:NAME.
   */
  public record Grantee(GranteeKind kind, String name) {
    public static Grantee parse(String text) {
      int colon = text == null ? -1 : text.indexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException(
            "a grantee is org:NAME, community:NAME or user:NAME, not '" + text + "'");
      }
      String kind = text.substring(0, colon).toLowerCase(Locale.ROOT);
      String name = text.substring(colon + 1);
      return switch (kind) {
        case "org", "organisation", "organization" -> new Grantee(GranteeKind.ORG, name);
        case "community" -> new Grantee(GranteeKind.COMMUNITY, name);
        case "user" -> new Grantee(GranteeKind.USER, name);
        default ->
            throw new IllegalArgumentException(
                "a grantee is org:NAME, community:NAME or user:NAME, not '" + text + "'");
      };
    }

    @Override
    public String toString() {
      return switch (kind) {
            case ORG -> "org:";
            case COMMUNITY -> "community:";
            case USER -> "user:";
          }
          + name;
    }
  }

  /**
   * Adds (or, with {@code allow} false, removes) read and/or write rights of a grantee on a
   * collection, keeping the rights not named. The grantee must exist: a grant to a misspelt name
   * would silently share nothing, or later share with whoever takes the name.
   *
   * @return the grant as it now stands (neither right: no grant)
   */
  public CollectionGrant grant(
      Actor actor,
      String apiRoot,
      String collection,
      Grantee grantee,
      boolean read,
      boolean write,
      boolean allow) {
    if (!read && !write) {
      throw new IllegalArgumentException("say which right: read, write or both");
    }
    Collection c =
        store
            .collection(apiRoot, collection)
            .orElseThrow(
                () -> new NotFoundException("collection '" + collection + "' does not exist"));
    boolean exists =
        switch (grantee.kind()) {
          case ORG -> store.organisation(grantee.name()).isPresent();
          case COMMUNITY -> store.community(grantee.name()).isPresent();
          case USER -> store.user(grantee.name()).isPresent();
        };
    // Removing rights from a grant that names no (longer) existing grantee must stay possible:
    // the store accepts grants to names that come later, so such grants can exist.
    boolean granted =
        store.grants(c.id()).stream()
            .anyMatch(g -> g.kind() == grantee.kind() && g.grantee().equals(grantee.name()));
    if (!allow && !granted) {
      throw new NotFoundException(
          grantee + " has no grant on collection '" + collection + "' to remove rights from");
    }
    if (!exists && allow) {
      throw new NotFoundException(grantee + " does not exist");
    }
    return store.write(
        tx -> {
          // Read inside the transaction: a change another process committed just before must
          // not be lost.
          CollectionGrant old =
              tx.grantOf(c.id(), grantee.kind(), grantee.name())
                  .orElse(
                      new CollectionGrant(c.id(), grantee.kind(), grantee.name(), false, false));
          boolean r = read ? allow : old.canRead();
          boolean w = write ? allow : old.canWrite();
          CollectionGrant now = new CollectionGrant(c.id(), grantee.kind(), grantee.name(), r, w);
          tx.grant(now);
          audit(
              tx,
              actor,
              allow ? "grant.add" : "grant.remove",
              c.id(),
              detail("grantee", grantee.toString())
                  + ","
                  + pair("read", Boolean.toString(r))
                  + ","
                  + pair("write", Boolean.toString(w)));
          return now;
        });
  }

  /**
   * Makes a collection an observation input, or stops it being one: observed-data posted there is
   * matched against the node's indicators, and every match becomes a sighting.
   *
   * @return whether anything changed
   */
  public boolean setObservationInput(
      Actor actor, String apiRoot, String collection, boolean input) {
    Collection c =
        store
            .collection(apiRoot, collection)
            .orElseThrow(
                () -> new NotFoundException("collection '" + collection + "' does not exist"));
    return store.write(
        tx -> {
          boolean changed = tx.setObservationInput(c.id(), input);
          if (changed) {
            audit(tx, actor, input ? "collection.observe" : "collection.unobserve", c.id(), null);
          }
          return changed;
        });
  }

  /** Ids of the observation-input collections. */
  public Set<String> observationInputs() {
    return store.observationInputs();
  }

  public List<Collection> collections(String apiRoot) {
    return store.collections(apiRoot);
  }

  /** A collection of the API root by id or alias (an id match wins). */
  public Optional<Collection> collection(String apiRoot, String idOrAlias) {
    return store.collection(apiRoot, idOrAlias);
  }

  public List<CollectionGrant> grants(String collectionId) {
    return store.grants(collectionId);
  }

  // ---- peers ------------------------------------------------------------------------------

  /**
   * Adds a peer: a remote TAXII 2.1 server standing for one of the organisations. Its password,
   * token and certificate password are sealed with the node key before they are stored; nothing
   * this returns or audits contains them.
   *
   * @throws IllegalArgumentException for a bad name, URL, direction, interval or TLP ceiling, a
   *     direction without its collections, or credentials that do not fit together
   * @throws NotFoundException if the organisation or a local collection does not exist
   */
  public Peer addPeer(Actor actor, NewPeer spec) {
    Objects.requireNonNull(spec, "spec");
    checkName("peer", spec.name());
    if (spec.organisation() == null || spec.organisation().isBlank()) {
      throw new IllegalArgumentException("a peer needs the organisation it stands for");
    }
    String discovery = httpUrl("the discovery URL", spec.discoveryUrl(), true);
    String remoteApiRoot = httpUrl("the API root URL", spec.apiRoot(), false);
    String remote = spec.remoteCollection();
    if (remote == null || remote.isBlank()) {
      throw new IllegalArgumentException("a peer needs the id of the remote collection");
    }
    if (remote.length() > 256 || !REMOTE_COLLECTION.matcher(remote).matches()) {
      throw new IllegalArgumentException(
          "the remote collection is an id such as 2949229d-237b-4225-a137-1a0cb767c18c (no"
              + " spaces, '/', '?' or '#'); not '"
              + remote
              + "'");
    }
    Peer.Direction direction = direction(spec.direction());
    int interval = spec.intervalSeconds() == null ? PEER_INTERVAL_DEFAULT : spec.intervalSeconds();
    if (interval < PEER_INTERVAL_MIN) {
      throw new IllegalArgumentException(
          "the sync interval is at least " + PEER_INTERVAL_MIN + " seconds, not " + interval);
    }
    Tlp ceiling;
    try {
      ceiling = spec.tlpCeiling() == null ? Tlp.AMBER_STRICT : Tlp.parse(spec.tlpCeiling());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the TLP ceiling is clear, green, amber or amber+strict, not '"
              + spec.tlpCeiling()
              + "'");
    }
    if (ceiling == Tlp.RED) {
      throw new IllegalArgumentException(
          "the TLP ceiling cannot be red: TLP:RED is for named people only and is never sent to a"
              + " peer; use amber+strict (the default) or lower");
    }
    if (direction.pulls() && spec.localCollection() == null) {
      throw new IllegalArgumentException(
          "a peer that pulls ("
              + directionName(direction)
              + ") needs the local collection its objects go to");
    }
    if (!direction.pulls() && spec.localCollection() != null) {
      throw new IllegalArgumentException(
          "a push-only peer pulls nothing: a local collection is for pull or both");
    }
    if (direction.pushes() && spec.publishCollections().isEmpty()) {
      throw new IllegalArgumentException(
          "a peer that pushes ("
              + directionName(direction)
              + ") needs at least one local collection to publish");
    }
    if (!direction.pushes() && !spec.publishCollections().isEmpty()) {
      throw new IllegalArgumentException(
          "a pull-only peer is sent nothing: collections to publish are for push or both");
    }
    checkPeerCredentials(spec);
    String certificate = clientCertificate(spec);
    String trusted = trustedCertificates(spec.trustedCertificates());
    // Existence last: a request that is wrong in itself is told so whatever the node holds.
    if (store.organisation(spec.organisation()).isEmpty()) {
      throw new NotFoundException("organisation '" + spec.organisation() + "' does not exist");
    }
    String local = spec.localCollection() == null ? null : localCollection(spec.localCollection());
    List<String> publish = new ArrayList<>();
    for (String c : spec.publishCollections()) {
      String id = localCollection(c);
      if (!publish.contains(id)) {
        publish.add(id);
      }
    }
    Peer.PeerCredentials credentials = sealCredentials(spec);
    Peer peer =
        new Peer(
            spec.name(),
            spec.organisation(),
            discovery,
            remoteApiRoot,
            remote,
            direction,
            interval,
            local,
            publish,
            ceiling,
            credentials,
            certificate,
            clock.instant(),
            trusted);
    return store.write(
        tx -> {
          Peer created = tx.createPeer(peer);
          audit(
              tx,
              actor,
              "peer.add",
              peer.name(),
              detail("organisation", peer.organisation())
                  + ","
                  + pair("discovery_url", discovery)
                  + ","
                  + pair("direction", directionName(direction))
                  + ","
                  + pair("remote_collection", remote)
                  + ","
                  + pair("tlp_ceiling", tlpName(ceiling))
                  + ","
                  + pair("credentials", credentials.kind()));
          return created;
        });
  }

  /** Removes a peer with its sync state and unacknowledged pushes; false when there was none. */
  public boolean removePeer(Actor actor, String name) {
    return store.write(
        tx -> {
          boolean removed = tx.removePeer(name);
          if (removed) {
            audit(tx, actor, "peer.remove", name, null);
          }
          return removed;
        });
  }

  /** The peers, by name (their secrets stay sealed). */
  public List<Peer> peers() {
    return store.peers();
  }

  public Optional<Peer> peer(String name) {
    return store.peer(name);
  }

  /**
   * Where each peer's sync stands as the store records it: what the running federation reports, for
   * when none runs here (the command line) or it cannot answer. The push backlog counts every entry
   * of the published collections after the peer's push mark (an upper bound: the federation leaves
   * out what the peer itself sent and what is above its TLP ceiling).
   */
  public List<PeerStatus> storedPeerStatuses() {
    Instant now = clock.instant();
    List<PeerStatus> out = new ArrayList<>();
    for (Peer p : store.peers()) {
      PeerState state = store.peerState(p.name());
      long backlog = 0;
      Instant oldest = null;
      if (p.direction().pushes()) {
        for (String c : p.publishCollections()) {
          Store.Backlog b = store.backlog(c, state.pushMarks().getOrDefault(c, 0L));
          backlog += b.entries();
          if (b.oldestAdded() != null && (oldest == null || b.oldestAdded().isBefore(oldest))) {
            oldest = b.oldestAdded();
          }
        }
      }
      out.add(
          new PeerStatus(
              p,
              state,
              backlog,
              oldest == null ? null : secondsBetween(oldest, now),
              state.caughtUpAt() == null ? null : secondsBetween(state.caughtUpAt(), now),
              store.pushPendingCount(p.name())));
    }
    return out;
  }

  private static long secondsBetween(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).getSeconds());
  }

  /**
   * Appends the audit event of a sync somebody asked for (the admin API, {@code ./entente sync}):
   * after the sync, which commits its own work as it goes.
   *
   * @param report what it did, or null when it failed with {@code error}
   */
  public void recordSync(Actor actor, String peer, SyncReport report, String error) {
    String detail;
    if (report != null) {
      detail =
          pair("pulled", Long.toString(report.pulled()))
              + ","
              + pair("skipped", Long.toString(report.skipped()))
              + ","
              + pair("pushed", Long.toString(report.pushed()))
              + ","
              + pair("push_failures", Long.toString(report.pushFailures()));
    } else {
      detail = pair("error", error == null ? "failed" : error);
    }
    store.write(
        tx -> {
          audit(tx, actor, "peer.sync", peer, detail);
          return null;
        });
  }

  /** What a failed sync says: the federation's own words (they name the peer), else ours. */
  public static String syncFailure(String peer, RuntimeException e) {
    if (e instanceof FederationException && e.getMessage() != null) {
      return e.getMessage();
    }
    return "the sync with peer '"
        + peer
        + "' failed: "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  /** Reads pull, push or both, in any case. */
  public static Peer.Direction direction(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a peer needs a direction: pull, push or both");
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "pull" -> Peer.Direction.PULL;
      case "push" -> Peer.Direction.PUSH;
      case "both" -> Peer.Direction.BOTH;
      default ->
          throw new IllegalArgumentException(
              "the direction is pull, push or both, not '" + text + "'");
    };
  }

  /** pull, push or both. */
  public static String directionName(Peer.Direction d) {
    return d.name().toLowerCase(Locale.ROOT);
  }

  /**
   * An absolute http(s) URL with a host and without user information (credentials have their own
   * fields, sealed; in a URL they would be listed and logged).
   */
  private static String httpUrl(String what, String text, boolean required) {
    if (text == null) {
      if (required) {
        throw new IllegalArgumentException("a peer needs " + what);
      }
      return null;
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + " is not a URL: '" + text + "'");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException(
          what
              + " must be an absolute http(s) URL such as https://taxii.example.org/taxii2/, not '"
              + text
              + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(what + " has no host name: '" + text + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          what + " must not carry credentials: give the user and password or token separately");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException(what + " must not have a #fragment: '" + text + "'");
    }
    return uri.toString();
  }

  private static void checkPeerCredentials(NewPeer spec) {
    boolean user = spec.user() != null;
    boolean password = spec.password() != null;
    boolean token = spec.token() != null;
    if (token && (user || password)) {
      throw new IllegalArgumentException(
          "give either a user and password (HTTP Basic) or a token (Bearer), not both");
    }
    if (user != password) {
      throw new IllegalArgumentException(
          user
              ? "a user needs its password (HTTP Basic)"
              : "a password needs the user it belongs to (HTTP Basic)");
    }
    if (user && !NAME_OR_ACCOUNT.matcher(spec.user()).matches()) {
      throw new IllegalArgumentException(
          "the peer user name must be 1 to 256 characters without spaces, ':' or control"
              + " characters");
    }
    if (password && (spec.password().isEmpty() || hasControl(spec.password()))) {
      throw new IllegalArgumentException(
          "the peer password must not be empty or hold control characters");
    }
    if (token
        && (spec.token().isEmpty()
            || spec.token().chars().anyMatch(ch -> ch <= ' ' || ch >= 0x7f))) {
      throw new IllegalArgumentException(
          "the peer token must not be empty or hold spaces or control characters");
    }
    if (spec.clientCertificatePassword() != null && spec.clientCertificate() == null) {
      throw new IllegalArgumentException(
          "a client certificate password needs the client certificate file");
    }
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(ch -> ch < ' ' || ch == 0x7f);
  }

  /** The absolute path of the client certificate file, checked to open as PKCS#12, or null. */
  private static String clientCertificate(NewPeer spec) {
    if (spec.clientCertificate() == null) {
      return null;
    }
    Path file = Path.of(spec.clientCertificate()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("no readable client certificate file at " + file);
    }
    String password = spec.clientCertificatePassword();
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password == null ? new char[0] : password.toCharArray());
      boolean hasKey = false;
      for (String alias : Collections.list(ks.aliases())) {
        hasKey |= ks.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new IllegalArgumentException(
            "the client certificate file " + file + " holds no private key");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the client certificate file "
              + file
              + " cannot be opened as PKCS#12"
              + (password == null ? " without a password" : " with the given password"));
    }
    return file.toString();
  }

  /** The absolute path of a PEM file of at least one X.509 certificate, or null. */
  private static String trustedCertificates(String path) {
    if (path == null) {
      return null;
    }
    Path file = Path.of(path).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("no readable trusted certificates file at " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new IllegalArgumentException(
            "the trusted certificates file " + file + " holds no certificate");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the trusted certificates file " + file + " is not PEM X.509 certificates");
    }
    return file.toString();
  }

  /** A local collection's id, from its id or alias in any API root. */
  private String localCollection(String idOrAlias) {
    List<Collection> found = new ArrayList<>();
    for (ApiRoot root : store.apiRoots()) {
      store.collection(root.path(), idOrAlias).ifPresent(found::add);
    }
    Optional<Collection> byId =
        found.stream().filter(c -> c.id().equalsIgnoreCase(idOrAlias)).findFirst();
    if (byId.isPresent()) {
      return byId.get().id();
    }
    if (found.isEmpty()) {
      throw new NotFoundException("collection '" + idOrAlias + "' does not exist");
    }
    if (found.size() > 1) {
      throw new IllegalArgumentException(
          "several API roots have a collection '" + idOrAlias + "': give its id");
    }
    return found.get(0).id();
  }

  private Peer.PeerCredentials sealCredentials(NewPeer spec) {
    boolean anySecret =
        spec.password() != null || spec.token() != null || spec.clientCertificatePassword() != null;
    SecretSeal s = anySecret ? seal.get() : null;
    String certificatePassword = s == null ? null : s.seal(spec.clientCertificatePassword());
    if (spec.token() != null) {
      return new Peer.PeerCredentials("bearer", null, s.seal(spec.token()), certificatePassword);
    }
    if (spec.user() != null) {
      return new Peer.PeerCredentials(
          "basic", spec.user(), s.seal(spec.password()), certificatePassword);
    }
    return new Peer.PeerCredentials("none", null, null, certificatePassword);
  }

  // ---- audit ------------------------------------------------------------------------------

  /** A page of the audit log; reads name the object versions they served (AuditedReads). */
  public List<AuditEvent> audit(AuditQuery query) {
    return new AuditedReads(store).named(store.audit(query));
  }

  private void audit(
      WriteTransaction tx, Actor actor, String action, String target, String detail) {
    tx.appendAudit(
        List.of(
            AuditEvent.of(
                clock.instant(),
                actor.user(),
                actor.organisation(),
                actor.address(),
                action,
                target,
                detail == null ? null : "{" + detail + "}")));
  }

  private static String detail(String key, String value) {
    return pair(key, value);
  }

  private static String pair(String key, String value) {
    ObjectNode n = StixJson.mapper().createObjectNode();
    n.put(key, value);
    String json = StixJson.write(n);
    return json.substring(1, json.length() - 1);
  }

  private User userOrThrow(String name) {
    return store
        .user(name)
        .orElseThrow(() -> new NotFoundException("user '" + name + "' does not exist"));
  }

  private static void checkDisplayName(String what, String name) {
    if (name == null || !DISPLAY_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a "
              + what
              + " name is 1 to 64 letters, digits, '.', '_', '-' or single spaces between words,"
              + " starting with a letter or digit; not '"
              + name
              + "'");
    }
  }

  private static void checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a "
              + what
              + " name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit; not '"
              + name
              + "'");
    }
  }
}
