package org.entente.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.entente.node.federation.PeerStatus;
import org.entente.node.federation.SyncReport;
import org.entente.stix.StixJson;
import org.entente.stix.StixParseException;
import org.entente.stix.StixTimestamp;
import org.entente.store.ApiToken;
import org.entente.store.AuditEvent;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.Community;
import org.entente.store.Organisation;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import org.entente.store.User;

/**
 * The JSON form of the sharing model, shared by the admin API and the command line's {@code --json}
 * output. Password hashes and token hashes have no field here: nothing that renders through this
 * class can show them.
 */
public final class AdminJson {
  private AdminJson() {}

  public static ObjectNode object() {
    return StixJson.mapper().createObjectNode();
  }

  public static ArrayNode array() {
    return StixJson.mapper().createArrayNode();
  }

  /** An organisation; with {@code withIdentity} its STIX identity object too. */
  public static ObjectNode organisation(Organisation o, boolean withIdentity) {
    ObjectNode n = object();
    n.put("name", o.name());
    n.put("identity_id", o.identityId());
    n.put("country", o.country());
    ArrayNode sectors = n.putArray("sectors");
    o.sectors().forEach(sectors::add);
    n.put("home", o.home());
    if (withIdentity) {
      JsonNode identity = null;
      if (o.identityJson() != null) {
        try {
          identity = StixJson.parse(o.identityJson());
        } catch (StixParseException e) {
          identity = null; // stored by an older version; the id is still known
        }
      }
      n.set("identity", identity);
    }
    return n;
  }

  public static ObjectNode community(Community c) {
    ObjectNode n = object();
    n.put("name", c.name());
    n.put("description", c.description());
    ArrayNode members = n.putArray("members");
    c.members().forEach(members::add);
    n.put("created", time(c.created()));
    return n;
  }

  /** A user: never its password hash, only whether it has a password at all. */
  public static ObjectNode user(User u) {
    ObjectNode n = object();
    n.put("name", u.name());
    n.put("organisation", u.organisation());
    n.put("role", Roles.name(u.role()));
    n.put("disabled", u.disabled());
    n.put("password_login", u.passwordHash() != null);
    n.put("created", time(u.created()));
    return n;
  }

  /** A token's metadata: never its secret or the secret's hash. */
  public static ObjectNode token(ApiToken t, Instant now) {
    ObjectNode n = object();
    n.put("id", t.id());
    n.put("user", t.userName());
    n.put("write", t.canWrite());
    n.put("created", time(t.created()));
    n.put("expires", time(t.expires()));
    n.put("revoked", t.revoked());
    n.put("state", tokenState(t, now));
    return n;
  }

  /** active, revoked or expired. */
  public static String tokenState(ApiToken t, Instant now) {
    if (t.revoked()) {
      return "revoked";
    }
    return t.usableAt(now) ? "active" : "expired";
  }

  public static ObjectNode collection(Collection c) {
    ObjectNode n = object();
    n.put("id", c.id());
    n.put("api_root", c.apiRoot());
    n.put("title", c.title());
    n.put("description", c.description());
    n.put("alias", c.alias());
    n.put("default_tlp", c.defaultTlp());
    n.put("created", time(c.created()));
    return n;
  }

  public static ObjectNode grant(CollectionGrant g) {
    ObjectNode n = object();
    n.put("grantee", new Administration.Grantee(g.kind(), g.grantee()).toString());
    n.put("read", g.canRead());
    n.put("write", g.canWrite());
    return n;
  }

  public static ObjectNode auditEvent(AuditEvent e) {
    ObjectNode n = object();
    n.put("seq", e.seq());
    n.put("at", time(e.at()));
    n.put("user", e.actorUser());
    n.put("organisation", e.actorOrg());
    n.put("address", e.address());
    n.put("action", e.action());
    n.put("target", e.target());
    JsonNode detail = null;
    if (e.detail() != null) {
      try {
        detail = StixJson.parse(e.detail());
      } catch (StixParseException ex) {
        detail = StixJson.mapper().getNodeFactory().textNode(e.detail());
      }
    }
    n.set("detail", detail);
    return n;
  }

  /**
   * A peer's configuration, with where its sync stands under {@code sync}. Of its credentials only
   * the kind (none, basic, bearer) and the user: sealed secrets have no field here.
   */
  public static ObjectNode peer(Peer p, PeerStatus status) {
    ObjectNode n = object();
    n.put("name", p.name());
    n.put("organisation", p.organisation());
    n.put("discovery_url", p.discoveryUrl());
    n.put("api_root", p.apiRoot());
    n.put("remote_collection", p.remoteCollection());
    n.put("direction", Administration.directionName(p.direction()));
    n.put("interval_seconds", p.intervalSeconds());
    n.put("local_collection", p.localCollection());
    ArrayNode publish = n.putArray("publish_collections");
    p.publishCollections().forEach(publish::add);
    n.put("tlp_ceiling", Administration.tlpName(p.tlpCeiling()));
    ObjectNode credentials = n.putObject("credentials");
    credentials.put("kind", p.credentials().kind());
    credentials.put("user", p.credentials().user());
    n.put("client_certificate", p.clientCertificate());
    n.put("trusted_certificates", p.trustedCertificates());
    n.put("created", time(p.created()));
    if (status != null) {
      PeerState st = status.state();
      ObjectNode sync = n.putObject("sync");
      sync.put("last_attempt", time(st.lastAttempt()));
      sync.put("last_success", time(st.lastSuccess()));
      sync.put("last_error", st.lastError());
      sync.put("last_error_at", time(st.lastErrorAt()));
      sync.put("consecutive_failures", st.consecutiveFailures());
      sync.put("next_attempt", time(st.nextAttempt()));
      sync.put("pulled", st.pulled());
      sync.put("pushed", st.pushed());
      sync.put("skipped", st.skipped());
      sync.put("push_backlog", status.pushBacklog());
      sync.put("push_lag_seconds", status.pushLagSeconds());
      sync.put("pull_lag_seconds", status.pullLagSeconds());
      sync.put("pending_pushes", status.pendingPushes());
    }
    return n;
  }

  /** What one sync did. */
  public static ObjectNode syncReport(SyncReport r) {
    ObjectNode n = object();
    n.put("peer", r.peer());
    n.put("pulled", r.pulled());
    n.put("pulled_duplicates", r.pulledDuplicates());
    n.put("skipped", r.skipped());
    n.put("pushed", r.pushed());
    n.put("push_failures", r.pushFailures());
    ArrayNode problems = n.putArray("problems");
    r.problems().forEach(problems::add);
    n.put("took_ms", r.took() == null ? null : r.took().toMillis());
    return n;
  }

  /** RFC 3339 UTC with microseconds, as TAXII writes its timestamps; null stays null. */
  public static String time(Instant instant) {
    return instant == null ? null : StixTimestamp.taxii(instant);
  }

  /**
   * Reads an RFC 3339 timestamp with a zone offset ({@code 2027-01-31T00:00:00Z}, {@code
   * 2027-01-31T01:00:00+01:00}).
   *
   * @param what the parameter, for the message
   * @throws IllegalArgumentException saying what is expected
   */
  public static Instant parseTime(String what, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(what + " needs an RFC 3339 timestamp");
    }
    try {
      return OffsetDateTime.parse(
              text.trim().toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          what + " must be an RFC 3339 timestamp such as 2027-01-31T00:00:00Z, not '" + text + "'");
    }
  }
}
