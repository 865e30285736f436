package org.entente.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.entente.node.admin.AdminAuthority.Caller;
import org.entente.node.admin.Administration.Created;
import org.entente.node.admin.Administration.Grantee;
import org.entente.node.federation.Federation;
import org.entente.node.federation.PeerStatus;
import org.entente.node.federation.SyncProgress;
import org.entente.node.federation.SyncReport;
import org.entente.stix.StixJson;
import org.entente.stix.StixParseException;
import org.entente.stix.marking.Tlp;
import org.entente.store.AlreadyExistsException;
import org.entente.store.ApiToken;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.Community;
import org.entente.store.NotFoundException;
import org.entente.store.Organisation;
import org.entente.store.Peer;
import org.entente.store.User;
import org.entente.taxii.server.Requester;
import org.entente.taxii.server.TaxiiServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's admin API under {@code /admin/}: organisations, communities, users, API tokens,
 * collections and their grants, peers, and the audit log, as plain JSON ({@code application/json});
 * the peers' sync figures for Prometheus at {@code /admin/metrics}.
 *
 * <p>Requests are authenticated by the TAXII server exactly like TAXII requests; who may do what is
 * {@link AdminAuthority}'s decision, and every change goes through {@link Administration}, which
 * audits it with the caller and its address. Errors have the TAXII error shape ({@code title},
 * {@code description}, {@code error_code}, {@code http_status}): 400 bad input, 403 not allowed,
 * 404 no such thing, 409 already exists. A refused request changes nothing.
 */
public final class AdminApi implements TaxiiServer.Extension {
  public static final String PREFIX = "/admin/";
  public static final String MEDIA_TYPE = "application/json";
  static final int MAX_BODY = 64 * 1024;
  static final int AUDIT_DEFAULT_LIMIT = 100;
  static final int AUDIT_MAX_LIMIT = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private final Administration admin;
  private final String apiRoot;
  private final Federation federation;
  private final Clock clock;

  /**
   * @param apiRoot the API root whose collections the API manages (the node's one API root)
   */
  public AdminApi(Administration admin, String apiRoot) {
    this(admin, apiRoot, null, Clock.systemUTC());
  }

  /**
   * @param federation the node's running federation, which syncs peers on demand and reports where
   *     they stand; null where none runs (peers are still managed, their state read from the store)
   */
  public AdminApi(Administration admin, String apiRoot, Federation federation, Clock clock) {
    this.admin = admin;
    this.apiRoot = apiRoot;
    this.federation = federation;
    this.clock = clock;
  }

  @Override
  public String pathPrefix() {
    return PREFIX;
  }

  @Override
  public void routes(RoutesConfig r) {
    r.get(PREFIX + "organisations/", handle(this::listOrganisations));
    r.post(PREFIX + "organisations/", handle(this::addOrganisation));
    r.get(PREFIX + "organisations/{name}/", handle(this::getOrganisation));

    r.get(PREFIX + "communities/", handle(this::listCommunities));
    r.post(PREFIX + "communities/", handle(this::addCommunity));
    r.get(PREFIX + "communities/{name}/", handle(this::getCommunity));
    r.post(PREFIX + "communities/{name}/members/", handle(this::addMember));
    r.delete(PREFIX + "communities/{name}/members/{org}/", handle(this::removeMember));

    r.get(PREFIX + "users/", handle(this::listUsers));
    r.post(PREFIX + "users/", handle(this::addUser));
    r.get(PREFIX + "users/{name}/", handle(this::getUser));
    r.post(PREFIX + "users/{name}/disable/", handle((ctx, c) -> setDisabled(ctx, c, true)));
    r.post(PREFIX + "users/{name}/enable/", handle((ctx, c) -> setDisabled(ctx, c, false)));
    r.get(PREFIX + "users/{name}/tokens/", handle(this::listTokens));
    r.post(PREFIX + "users/{name}/tokens/", handle(this::createToken));
    r.delete(PREFIX + "tokens/{id}/", handle(this::revokeToken));

    r.get(PREFIX + "collections/", handle(this::listCollections));
    r.post(PREFIX + "collections/", handle(this::addCollection));
    r.get(PREFIX + "collections/{collection}/", handle(this::getCollection));
    r.get(PREFIX + "collections/{collection}/grants/", handle(this::listGrants));
    r.post(PREFIX + "collections/{collection}/grants/", handle(this::addGrant));
    r.delete(PREFIX + "collections/{collection}/grants/", handle(this::removeGrant));

    r.get(PREFIX + "audit/", handle(this::audit));

    r.get(PREFIX + "peers/", handle(this::listPeers));
    r.post(PREFIX + "peers/", handle(this::addPeer));
    r.get(PREFIX + "peers/{name}/", handle(this::getPeer));
    r.delete(PREFIX + "peers/{name}/", handle(this::removePeer));
    r.post(PREFIX + "peers/{name}/sync/", handle(this::syncPeer));

    // Prometheus asks for a path without the trailing slash by convention; both answer.
    r.get(PREFIX + "metrics", handle(this::metrics));
    r.get(PREFIX + "metrics/", handle(this::metrics));
  }

  // ---- the request cycle ------------------------------------------------------------------

  /** An answer: JSON, or (metrics) text of its own content type. */
  private record Reply(int status, JsonNode body, String text, String contentType) {
    static Reply ok(JsonNode body) {
      return new Reply(200, body, null, MEDIA_TYPE);
    }

    static Reply created(JsonNode body) {
      return new Reply(201, body, null, MEDIA_TYPE);
    }

    static Reply text(String text, String contentType) {
      return new Reply(200, null, text, contentType);
    }
  }

  @FunctionalInterface
  private interface Action {
    Reply handle(Context ctx, Caller caller) throws IOException;
  }

  /**
   * Runs an action for the authenticated caller and answers with its JSON, or with an error. Read
   * only credentials are refused before anything is read from the request.
   */
  private Handler handle(Action action) {
    return ctx -> {
      Reply reply;
      try {
        Caller caller = caller(ctx);
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
          AdminAuthority.requireChange(caller);
        }
        reply = action.handle(ctx, caller);
      } catch (AdminRefusal e) {
        error(ctx, e.status(), e.title(), e.errorCode(), e.getMessage());
        return;
      } catch (NotFoundException e) {
        error(ctx, 404, "Not Found", "not-found", e.getMessage());
        return;
      } catch (AlreadyExistsException e) {
        error(ctx, 409, "Conflict", "already-exists", e.getMessage());
        return;
      } catch (IllegalArgumentException | StixParseException e) {
        error(ctx, 400, "Bad Request", "bad-request", e.getMessage());
        return;
      }
      if (reply.text() != null) {
        ctx.status(reply.status());
        ctx.contentType(reply.contentType());
        ctx.result(reply.text().getBytes(StandardCharsets.UTF_8));
      } else {
        send(ctx, reply.status(), reply.body());
      }
    };
  }

  private Caller caller(Context ctx) {
    Requester r = TaxiiServer.requester(ctx);
    User u =
        admin
            .user(r.user())
            .orElseThrow(() -> AdminRefusal.forbidden("the authenticated user no longer exists"));
    boolean mayChange = r.credentialsMayWrite();
    if (!mayChange && u.role() == User.Role.READER) {
      // A reader's credentials never write to collections; that is its role, not its
      // credentials. It may still manage its own tokens, unless it came with a read-scoped one.
      mayChange = !readScopedToken(ctx.header("Authorization"));
    }
    return new Caller(u.name(), u.organisation(), u.role(), mayChange, ctx.ip());
  }

  private boolean readScopedToken(String authorization) {
    if (authorization == null) {
      return false;
    }
    int space = authorization.indexOf(' ');
    if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Bearer")) {
      return false;
    }
    return admin
        .tokenBySecret(authorization.substring(space + 1).trim())
        .map(t -> !t.canWrite())
        .orElse(true);
  }

  private static void send(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType(MEDIA_TYPE);
    ctx.result(StixJson.writeBytes(body));
  }

  private static void error(
      Context ctx, int status, String title, String errorCode, String description) {
    ObjectNode body = AdminJson.object();
    body.put("title", title);
    if (description != null) {
      body.put("description", description);
    }
    body.put("error_code", errorCode);
    body.put("http_status", Integer.toString(status));
    send(ctx, status, body);
  }

  // ---- organisations ----------------------------------------------------------------------

  private Reply listOrganisations(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    ArrayNode list = AdminJson.array();
    admin.organisations().forEach(o -> list.add(AdminJson.organisation(o, false)));
    ObjectNode body = AdminJson.object();
    body.set("organisations", list);
    return Reply.ok(body);
  }

  private Reply addOrganisation(Context ctx, Caller c) throws IOException {
    AdminAuthority.requireNodeAdmin(c);
    Body b = Body.read(ctx, "name", "country", "sectors", "description");
    Organisation o =
        admin.addOrganisation(
            c.actor(),
            b.text("name", true),
            b.text("country", false),
            b.texts("sectors"),
            b.text("description", false));
    return Reply.created(AdminJson.organisation(o, true));
  }

  private Reply getOrganisation(Context ctx, Caller c) {
    String name = ctx.pathParam("name");
    if (!c.nodeAdmin() && !name.equals(c.organisation())) {
      throw AdminRefusal.forbidden("only node administrators may look at other organisations");
    }
    Organisation o =
        admin
            .organisation(name)
            .orElseThrow(() -> new NotFoundException("organisation '" + name + "' does not exist"));
    ObjectNode body = AdminJson.organisation(o, true);
    ArrayNode communities = body.putArray("communities");
    for (Community k : admin.communities()) {
      if (k.members().contains(o.name())) {
        communities.add(k.name());
      }
    }
    return Reply.ok(body);
  }

  // ---- communities ------------------------------------------------------------------------

  private Reply listCommunities(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    ArrayNode list = AdminJson.array();
    admin.communities().forEach(k -> list.add(AdminJson.community(k)));
    ObjectNode body = AdminJson.object();
    body.set("communities", list);
    return Reply.ok(body);
  }

  private Reply addCommunity(Context ctx, Caller c) throws IOException {
    AdminAuthority.requireNodeAdmin(c);
    Body b = Body.read(ctx, "name", "description", "members");
    Community k =
        admin.addCommunity(
            c.actor(), b.text("name", true), b.text("description", false), b.texts("members"));
    return Reply.created(AdminJson.community(community(k.name()))); // members as stored, by name
  }

  private Reply getCommunity(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    return Reply.ok(AdminJson.community(community(ctx.pathParam("name"))));
  }

  private Reply addMember(Context ctx, Caller c) throws IOException {
    AdminAuthority.requireNodeAdmin(c);
    String name = ctx.pathParam("name");
    Body b = Body.read(ctx, "organisation");
    String org = b.text("organisation", true);
    community(name);
    admin.addMember(c.actor(), name, org);
    return Reply.ok(AdminJson.community(community(name)));
  }

  private Reply removeMember(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    String name = ctx.pathParam("name");
    String org = ctx.pathParam("org");
    community(name);
    if (!admin.removeMember(c.actor(), name, org)) {
      throw new NotFoundException("'" + org + "' is not a member of community '" + name + "'");
    }
    return Reply.ok(AdminJson.community(community(name)));
  }

  private Community community(String name) {
    return admin
        .community(name)
        .orElseThrow(() -> new NotFoundException("community '" + name + "' does not exist"));
  }

  // ---- users ------------------------------------------------------------------------------

  private Reply listUsers(Context ctx, Caller c) {
    if (!AdminAuthority.mayListUsers(c)) {
      throw AdminRefusal.forbidden("only node and organisation administrators may list users");
    }
    ArrayNode list = AdminJson.array();
    for (User u : admin.users()) {
      if (c.nodeAdmin() || u.organisation().equals(c.organisation())) {
        list.add(AdminJson.user(u));
      }
    }
    ObjectNode body = AdminJson.object();
    body.set("users", list);
    return Reply.ok(body);
  }

  private Reply addUser(Context ctx, Caller c) throws IOException {
    Body b = Body.read(ctx, "name", "organisation", "role", "password");
    String name = b.text("name", true);
    String org = b.text("organisation", false);
    if (org == null) {
      org = c.organisation();
    }
    User.Role role = Roles.parse(b.text("role", true));
    String password = b.text("password", false);
    AdminAuthority.checkCreateUser(c, org, role);
    Created<User> created = admin.addUser(c.actor(), name, org, role, password);
    ObjectNode body = AdminJson.user(created.value());
    if (created.secret() != null) {
      body.put("password", created.secret());
    }
    return Reply.created(body);
  }

  private Reply getUser(Context ctx, Caller c) {
    User u = visibleUser(c, ctx.pathParam("name"), false);
    return Reply.ok(AdminJson.user(u));
  }

  private Reply setDisabled(Context ctx, Caller c, boolean disabled) throws IOException {
    Body.read(ctx); // no fields; still JSON, still bounded
    User u = visibleUser(c, ctx.pathParam("name"), true);
    if (disabled && u.name().equals(c.user())) {
      throw new IllegalArgumentException("you cannot disable your own account");
    }
    admin.setUserDisabled(c.actor(), u.name(), disabled);
    return Reply.ok(AdminJson.user(admin.user(u.name()).orElseThrow()));
  }

  /**
   * The named user if the caller may deal with it. Node admins learn that a user does not exist
   * (404); anybody else is refused alike for missing users and users that are not theirs to see, so
   * that user names cannot be probed.
   *
   * @param manage whether the caller must manage the user (not merely its tokens or itself)
   */
  private User visibleUser(Caller c, String name, boolean manage) {
    Optional<User> found = admin.user(name);
    if (found.isEmpty()) {
      if (c.nodeAdmin()) {
        throw new NotFoundException("user '" + name + "' does not exist");
      }
      throw AdminRefusal.forbidden("you may not manage user '" + name + "'");
    }
    User u = found.get();
    boolean allowed =
        manage ? AdminAuthority.mayManage(c, u) : AdminAuthority.mayManageTokensOf(c, u);
    if (!allowed) {
      throw AdminRefusal.forbidden("you may not manage user '" + name + "'");
    }
    return u;
  }

  // ---- tokens -----------------------------------------------------------------------------

  private Reply listTokens(Context ctx, Caller c) {
    User u = visibleUser(c, ctx.pathParam("name"), false);
    Instant now = clock.instant();
    ArrayNode list = AdminJson.array();
    admin.tokens(u.name()).forEach(t -> list.add(AdminJson.token(t, now)));
    ObjectNode body = AdminJson.object();
    body.set("tokens", list);
    return Reply.ok(body);
  }

  private Reply createToken(Context ctx, Caller c) throws IOException {
    Body b = Body.read(ctx, "write", "expires");
    Boolean write = b.bool("write");
    String expiresText = b.text("expires", false);
    Instant expires = expiresText == null ? null : AdminJson.parseTime("expires", expiresText);
    User u = visibleUser(c, ctx.pathParam("name"), false);
    Created<ApiToken> created =
        admin.createToken(c.actor(), u.name(), write == null || write, expires);
    ObjectNode body = AdminJson.token(created.value(), clock.instant());
    body.put("token", created.secret());
    return Reply.created(body);
  }

  private Reply revokeToken(Context ctx, Caller c) {
    String id = ctx.pathParam("id");
    // Token ids are random UUIDs: saying that one does not exist reveals nothing guessable.
    ApiToken t =
        admin
            .token(id)
            .orElseThrow(() -> new NotFoundException("token '" + id + "' does not exist"));
    User owner = admin.user(t.userName()).orElse(null);
    if (owner == null || !AdminAuthority.mayManageTokensOf(c, owner)) {
      throw AdminRefusal.forbidden("you may not revoke the tokens of user '" + t.userName() + "'");
    }
    if (!t.revoked()) {
      admin.revokeToken(c.actor(), id);
    }
    return Reply.ok(AdminJson.token(admin.token(id).orElseThrow(), clock.instant()));
  }

  // ---- collections and grants -------------------------------------------------------------

  private Reply listCollections(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    ArrayNode list = AdminJson.array();
    admin.collections(apiRoot).forEach(k -> list.add(AdminJson.collection(k)));
    ObjectNode body = AdminJson.object();
    body.set("collections", list);
    return Reply.ok(body);
  }

  private Reply addCollection(Context ctx, Caller c) throws IOException {
    AdminAuthority.requireNodeAdmin(c);
    Body b = Body.read(ctx, "title", "id", "alias", "description", "default_tlp");
    String tlp = b.text("default_tlp", false);
    Collection k =
        admin.addCollection(
            c.actor(),
            apiRoot,
            b.text("title", true),
            b.text("id", false),
            b.text("alias", false),
            b.text("description", false),
            tlp == null ? null : Tlp.parse(tlp));
    return Reply.created(AdminJson.collection(k));
  }

  private Reply getCollection(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    return Reply.ok(AdminJson.collection(collection(ctx.pathParam("collection"))));
  }

  private Reply listGrants(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    Collection k = collection(ctx.pathParam("collection"));
    ArrayNode list = AdminJson.array();
    admin.grants(k.id()).forEach(g -> list.add(AdminJson.grant(g)));
    ObjectNode body = AdminJson.object();
    body.put("collection", k.id());
    body.set("grants", list);
    return Reply.ok(body);
  }

  private Reply addGrant(Context ctx, Caller c) throws IOException {
    AdminAuthority.requireNodeAdmin(c);
    Body b = Body.read(ctx, "grantee", "read", "write");
    Grantee grantee = Grantee.parse(b.text("grantee", true));
    Boolean read = b.bool("read");
    Boolean write = b.bool("write");
    Collection k = collection(ctx.pathParam("collection"));
    CollectionGrant g =
        admin.grant(
            c.actor(),
            apiRoot,
            k.id(),
            grantee,
            read != null && read,
            write != null && write,
            true);
    return Reply.ok(AdminJson.grant(g));
  }

  private Reply removeGrant(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    String granteeText = ctx.queryParam("grantee");
    if (granteeText == null) {
      throw new IllegalArgumentException("say whose rights to remove: ?grantee=org:NAME");
    }
    Grantee grantee = Grantee.parse(granteeText);
    String right = ctx.queryParam("right");
    boolean read;
    boolean write;
    switch (right == null ? "all" : right.toLowerCase(Locale.ROOT)) {
      case "read" -> {
        read = true;
        write = false;
      }
      case "write" -> {
        read = false;
        write = true;
      }
      case "all" -> {
        read = true;
        write = true;
      }
      default ->
          throw new IllegalArgumentException("right is read, write or all, not '" + right + "'");
    }
    Collection k = collection(ctx.pathParam("collection"));
    CollectionGrant g = admin.grant(c.actor(), apiRoot, k.id(), grantee, read, write, false);
    return Reply.ok(AdminJson.grant(g));
  }

  private Collection collection(String idOrAlias) {
    return admin
        .collection(apiRoot, idOrAlias)
        .orElseThrow(() -> new NotFoundException("collection '" + idOrAlias + "' does not exist"));
  }

  // ---- audit ------------------------------------------------------------------------------

  private Reply audit(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    long after = 0;
    String afterText = ctx.queryParam("after");
    if (afterText != null) {
      after = parseLong("after", afterText);
      if (after < 0) {
        throw new IllegalArgumentException("after is a sequence number >= 0");
      }
    }
    String sinceText = ctx.queryParam("since");
    Instant since = sinceText == null ? null : AdminJson.parseTime("since", sinceText);
    int limit = AUDIT_DEFAULT_LIMIT;
    String limitText = ctx.queryParam("limit");
    if (limitText != null) {
      long l = parseLong("limit", limitText);
      if (l <= 0) {
        throw new IllegalArgumentException("limit must be a positive number");
      }
      limit = (int) Math.min(l, AUDIT_MAX_LIMIT);
    }
    List<AuditEvent> events =
        admin.audit(
            new AuditQuery(
                after,
                since,
                emptyToNull(ctx.queryParam("user")),
                emptyToNull(ctx.queryParam("action")),
                limit));
    ArrayNode list = AdminJson.array();
    events.forEach(e -> list.add(AdminJson.auditEvent(e)));
    ObjectNode body = AdminJson.object();
    body.set("events", list);
    if (events.size() == limit) {
      body.put("next_after", events.get(events.size() - 1).seq());
    } else {
      body.putNull("next_after");
    }
    return Reply.ok(body);
  }

  // ---- peers ------------------------------------------------------------------------------

  private Reply listPeers(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    ArrayNode list = AdminJson.array();
    peerStatuses().forEach(s -> list.add(AdminJson.peer(s.peer(), s)));
    ObjectNode body = AdminJson.object();
    body.set("peers", list);
    return Reply.ok(body);
  }

  private Reply getPeer(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    String name = ctx.pathParam("name");
    PeerStatus s =
        peerStatuses().stream()
            .filter(p -> p.peer().name().equals(name))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("peer '" + name + "' does not exist"));
    return Reply.ok(AdminJson.peer(s.peer(), s));
  }

  private Reply addPeer(Context ctx, Caller c) throws IOException {
    AdminAuthority.requireNodeAdmin(c);
    Body b =
        Body.read(
            ctx,
            "name",
            "organisation",
            "discovery_url",
            "api_root",
            "remote_collection",
            "direction",
            "local_collection",
            "publish_collections",
            "interval_seconds",
            "tlp_ceiling",
            "user",
            "password",
            "token",
            "client_certificate",
            "client_certificate_password",
            "trusted_certificates");
    NewPeer spec =
        new NewPeer(
            b.text("name", true),
            b.text("organisation", true),
            b.text("discovery_url", true),
            b.text("api_root", false),
            b.text("remote_collection", true),
            b.text("direction", true),
            b.text("local_collection", false),
            b.texts("publish_collections"),
            b.integer("interval_seconds"),
            b.text("tlp_ceiling", false),
            b.text("user", false),
            b.text("password", false),
            b.text("token", false),
            b.text("client_certificate", false),
            b.text("client_certificate_password", false),
            b.text("trusted_certificates", false));
    Peer p = admin.addPeer(c.actor(), spec);
    return Reply.created(AdminJson.peer(p, statusOf(p)));
  }

  private Reply removePeer(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    String name = ctx.pathParam("name");
    Peer p =
        admin
            .peer(name)
            .orElseThrow(() -> new NotFoundException("peer '" + name + "' does not exist"));
    if (!admin.removePeer(c.actor(), name)) {
      throw new NotFoundException("peer '" + name + "' does not exist");
    }
    return Reply.ok(AdminJson.peer(p, null));
  }

  private Reply syncPeer(Context ctx, Caller c) throws IOException {
    AdminAuthority.requireNodeAdmin(c);
    Body.read(ctx); // no fields; still JSON, still bounded
    String name = ctx.pathParam("name");
    admin.peer(name).orElseThrow(() -> new NotFoundException("peer '" + name + "' does not exist"));
    if (federation == null) {
      throw AdminRefusal.unavailable("federation does not run on this node");
    }
    SyncReport report;
    try {
      report = federation.sync(name, SyncProgress.NONE);
    } catch (NotFoundException e) {
      throw e; // removed meanwhile
    } catch (UnsupportedOperationException e) {
      throw AdminRefusal.unavailable("syncing with peers is not available yet on this node");
    } catch (Federation.PeerBusyException e) {
      throw AdminRefusal.busy(
          "peer '" + name + "' is being synced already (" + e.getMessage() + "); try again later");
    } catch (RuntimeException e) {
      String why = Administration.syncFailure(name, e);
      LOG.warn("{} (asked by {})", why, c.user());
      admin.recordSync(c.actor(), name, null, why);
      throw AdminRefusal.badGateway(why);
    }
    admin.recordSync(c.actor(), name, report, null);
    return Reply.ok(AdminJson.syncReport(report));
  }

  private Reply metrics(Context ctx, Caller c) {
    AdminAuthority.requireNodeAdmin(c);
    return Reply.text(PeerMetrics.render(peerStatuses()), PeerMetrics.CONTENT_TYPE);
  }

  /**
   * Every peer with where its sync stands: from the running federation, else (none here, not
   * available yet, or failing) as the store records it.
   */
  private List<PeerStatus> peerStatuses() {
    if (federation != null) {
      try {
        return federation.statuses();
      } catch (UnsupportedOperationException e) {
        // Not there yet: the store knows as much.
      } catch (RuntimeException e) {
        LOG.warn("the federation could not report where peers stand; reading the store", e);
      }
    }
    return admin.storedPeerStatuses();
  }

  private PeerStatus statusOf(Peer p) {
    return peerStatuses().stream()
        .filter(s -> s.peer().name().equals(p.name()))
        .findFirst()
        .orElse(null);
  }

  private static long parseLong(String what, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number, not '" + text + "'");
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  // ---- request bodies ---------------------------------------------------------------------

  /** A JSON object request body with a fixed set of fields; anything else is refused. */
  private static final class Body {
    private final ObjectNode json;

    private Body(ObjectNode json) {
      this.json = json;
    }

    /**
     * Reads the body: JSON (Content-Type application/json, which also keeps browsers from sending
     * it cross-site without asking), an object, only the named fields. An empty body is an empty
     * object.
     */
    static Body read(Context ctx, String... fields) throws IOException {
      String type = ctx.header("Content-Type");
      byte[] bytes;
      try (InputStream in = ctx.req().getInputStream()) {
        bytes = in.readNBytes(MAX_BODY + 1);
      }
      if (bytes.length > MAX_BODY) {
        throw AdminRefusal.tooLarge(MAX_BODY);
      }
      if (type == null || !isJson(type)) {
        throw AdminRefusal.unsupportedMediaType();
      }
      if (isBlank(bytes)) {
        return new Body(AdminJson.object());
      }
      JsonNode n = StixJson.parse(bytes);
      if (!n.isObject()) {
        throw new IllegalArgumentException("the request body must be a JSON object");
      }
      Set<String> allowed = Set.of(fields);
      Iterator<String> names = n.fieldNames();
      while (names.hasNext()) {
        String f = names.next();
        if (!allowed.contains(f)) {
          throw new IllegalArgumentException(
              "unknown field '"
                  + f
                  + "'"
                  + (fields.length == 0
                      ? "; this request takes no fields"
                      : "; expected " + String.join(", ", new TreeSet<>(Arrays.asList(fields)))));
        }
      }
      return new Body((ObjectNode) n);
    }

    private static boolean isJson(String contentType) {
      String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      return base.equals("application/json");
    }

    private static boolean isBlank(byte[] bytes) {
      for (byte b : bytes) {
        if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
          return false;
        }
      }
      return true;
    }

    String text(String field, boolean required) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw new IllegalArgumentException("'" + field + "' is required");
        }
        return null;
      }
      if (!v.isTextual()) {
        throw new IllegalArgumentException("'" + field + "' must be a string");
      }
      return v.asText();
    }

    Integer integer(String field) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new IllegalArgumentException("'" + field + "' must be a whole number");
      }
      return v.intValue();
    }

    Boolean bool(String field) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isBoolean()) {
        throw new IllegalArgumentException("'" + field + "' must be true or false");
      }
      return v.booleanValue();
    }

    List<String> texts(String field) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        throw new IllegalArgumentException("'" + field + "' must be an array of strings");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode e : v) {
        if (!e.isTextual()) {
          throw new IllegalArgumentException("'" + field + "' must be an array of strings");
        }
        out.add(e.asText());
      }
      return out;
    }
  }
}
