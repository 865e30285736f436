package org.entente.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.auth.Secrets;
import org.entente.stix.StixJson;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over real HTTP on a real node: every endpoint, who may call it, what it refuses,
 * that secrets are shown once and hashes never, and that every change is audited.
 */
class AdminApiTest {
  private static final String ADMIN_PASSWORD = "admin-password-for-tests";
  private static final String TAXII = "application/taxii+json;version=2.1";

  @TempDir Path dir;

  private Node node;
  private Http admin;

  /** Every response body a test saw, checked for hashes after each test. */
  private final List<String> seen = new ArrayList<>();

  @BeforeEach
  void start() {
    node =
        Node.start(
            NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0),
            Map.of("ENTENTE_ADMIN_PASSWORD", ADMIN_PASSWORD));
    admin = basic("admin", ADMIN_PASSWORD);
  }

  @AfterEach
  void stop() {
    node.close();
    for (String body : seen) {
      assertThat(body).doesNotContain("$argon2").doesNotContain("password_hash");
      assertThat(body).doesNotContainPattern("\"[0-9a-f]{64}\""); // a SHA-256 token hash
    }
  }

  // ---- organisations ----------------------------------------------------------------------

  @Test
  void organisationsAreAddedWithTheirIdentityListedAndShown() throws Exception {
    Resp created =
        admin.post(
            "organisations/",
            "{\"name\":\"cert-fr\",\"country\":\"fr\",\"sectors\":[\"government-national\"],"
                + "\"description\":\"French national CERT\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.contentType()).startsWith("application/json");
    JsonNode o = created.json();
    assertThat(o.get("name").asText()).isEqualTo("cert-fr");
    assertThat(o.get("country").asText()).isEqualTo("FR");
    assertThat(o.get("home").asBoolean()).isFalse();
    JsonNode identity = o.get("identity");
    assertThat(identity.get("type").asText()).isEqualTo("identity");
    assertThat(identity.get("id").asText()).isEqualTo(o.get("identity_id").asText());
    assertThat(identity.get("identity_class").asText()).isEqualTo("organization");
    assertThat(identity.get("sectors").get(0).asText()).isEqualTo("government-national");
    assertThat(identity.get("description").asText()).isEqualTo("French national CERT");

    JsonNode list = admin.get("organisations/").json().get("organisations");
    assertThat(names(list)).containsExactly("cert-fr", "home");

    Resp one = admin.get("organisations/cert-fr/");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("identity").get("id").asText())
        .isEqualTo(o.get("identity_id").asText());
    assertThat(one.json().get("communities").size()).isZero();

    assertThat(admin.get("organisations/cert-xx/").status()).isEqualTo(404);
    Resp dup = admin.post("organisations/", "{\"name\":\"cert-fr\",\"country\":\"FR\"}");
    assertThat(dup.status()).isEqualTo(409);
    assertError(dup, 409);
  }

  @Test
  void badOrganisationInputIsRefusedWith400AndChangesNothing() throws Exception {
    long before = auditCount();
    for (String body :
        List.of(
            "{\"name\":\"cert-1\",\"country\":\"France\"}",
            "{\"name\":\"bad/name\"}",
            "{\"country\":\"FR\"}",
            "{\"name\":\"cert-2\",\"sectors\":\"energy\"}",
            "{\"name\":\"cert-3\",\"sectors\":[\"Energy Sector\"]}",
            "{\"name\":\"cert-4\",\"colour\":\"blue\"}",
            "{\"name\":\"cert-5\",\"country\":7}",
            "[\"cert-6\"]",
            "{\"name\":\"cert-7\",",
            "{\"name\":\"cert-8\",\"name\":\"cert-9\"}")) {
      Resp r = admin.post("organisations/", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertError(r, 400);
    }
    Resp form =
        admin.send("POST", "organisations/", "name=cert-10", "application/x-www-form-urlencoded");
    assertThat(form.status()).isEqualTo(415);
    assertError(form, 415);
    assertThat(names(admin.get("organisations/").json().get("organisations")))
        .containsExactly("home");
    assertThat(auditCount()).isEqualTo(before);
  }

  // ---- communities ------------------------------------------------------------------------

  @Test
  void communitiesAreAddedAndOrganisationsJoinAndLeave() throws Exception {
    addOrg("cert-fr");
    addOrg("cert-de");
    addOrg("cert-nl");
    Resp created =
        admin.post(
            "communities/",
            "{\"name\":\"allies\",\"description\":\"close partners\","
                + "\"members\":[\"cert-fr\",\"cert-de\"]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(texts(created.json().get("members"))).containsExactly("cert-de", "cert-fr");

    Resp joined = admin.post("communities/allies/members/", "{\"organisation\":\"cert-nl\"}");
    assertThat(joined.status()).isEqualTo(200);
    assertThat(texts(joined.json().get("members")))
        .containsExactly("cert-de", "cert-fr", "cert-nl");
    assertThat(texts(admin.get("organisations/cert-nl/").json().get("communities")))
        .containsExactly("allies");

    Resp left = admin.delete("communities/allies/members/cert-fr/");
    assertThat(left.status()).isEqualTo(200);
    assertThat(texts(left.json().get("members"))).containsExactly("cert-de", "cert-nl");

    JsonNode list = admin.get("communities/").json().get("communities");
    assertThat(names(list)).containsExactly("allies");
    assertThat(admin.get("communities/allies/").json().get("description").asText())
        .isEqualTo("close partners");

    long before = auditCount();
    assertThat(admin.delete("communities/allies/members/cert-fr/").status()).isEqualTo(404);
    assertThat(admin.delete("communities/nobody/members/cert-fr/").status()).isEqualTo(404);
    assertThat(admin.post("communities/allies/members/", "{\"organisation\":\"cert-xx\"}").status())
        .isEqualTo(404);
    assertThat(admin.post("communities/nobody/members/", "{\"organisation\":\"cert-fr\"}").status())
        .isEqualTo(404);
    assertThat(admin.post("communities/", "{\"name\":\"allies\"}").status()).isEqualTo(409);
    assertThat(admin.post("communities/", "{\"name\":\"x\",\"members\":[\"cert-xx\"]}").status())
        .isEqualTo(404);
    assertThat(admin.post("communities/", "{\"name\":\"x/y\"}").status()).isEqualTo(400);
    assertThat(admin.post("communities/allies/members/", "{}").status()).isEqualTo(400);
    assertThat(auditCount()).isEqualTo(before);
    assertThat(names(admin.get("communities/").json().get("communities")))
        .containsExactly("allies");
  }

  // ---- users ------------------------------------------------------------------------------

  @Test
  void usersGetAGeneratedPasswordShownOnlyOnce() throws Exception {
    addOrg("cert-fr");
    Resp created =
        admin.post(
            "users/", "{\"name\":\"alice\",\"organisation\":\"cert-fr\",\"role\":\"analyst\"}");
    assertThat(created.status()).isEqualTo(201);
    JsonNode u = created.json();
    assertThat(u.get("role").asText()).isEqualTo("analyst");
    assertThat(u.get("organisation").asText()).isEqualTo("cert-fr");
    assertThat(u.get("disabled").asBoolean()).isFalse();
    String password = u.get("password").asText();
    assertThat(password).hasSizeGreaterThanOrEqualTo(20);

    Http alice = basic("alice", password);
    Resp self = alice.get("users/alice/");
    assertThat(self.status()).isEqualTo(200);
    assertThat(self.json().has("password")).isFalse();
    Resp again = admin.get("users/alice/");
    assertThat(again.json().has("password")).isFalse();
    assertThat(again.raw()).doesNotContain(password);
    Resp list = admin.get("users/");
    assertThat(names(list.json().get("users"))).containsExactly("admin", "alice");
    assertThat(list.raw()).doesNotContain(password).doesNotContain("\"password\"");

    Resp chosen =
        admin.post(
            "users/",
            "{\"name\":\"bob\",\"organisation\":\"cert-fr\",\"role\":\"reader\","
                + "\"password\":\"a-long-chosen-password\"}");
    assertThat(chosen.status()).isEqualTo(201);
    assertThat(chosen.json().has("password")).isFalse();
    assertThat(chosen.raw()).doesNotContain("a-long-chosen-password");
    assertThat(basic("bob", "a-long-chosen-password").get("users/bob/").status()).isEqualTo(200);
  }

  @Test
  void badUserInputIsRefusedAndChangesNothing() throws Exception {
    addOrg("cert-fr");
    long before = auditCount();
    assertThat(
            admin
                .post("users/", "{\"name\":\"u1\",\"organisation\":\"cert-fr\",\"role\":\"boss\"}")
                .status())
        .isEqualTo(400);
    assertThat(admin.post("users/", "{\"name\":\"u2\",\"organisation\":\"cert-fr\"}").status())
        .isEqualTo(400);
    assertThat(
            admin
                .post(
                    "users/",
                    "{\"name\":\"u3\",\"organisation\":\"cert-fr\",\"role\":\"reader\","
                        + "\"password\":\"short\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            admin
                .post(
                    "users/", "{\"name\":\"u 4\",\"organisation\":\"cert-fr\",\"role\":\"reader\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            admin
                .post(
                    "users/", "{\"name\":\"u5\",\"organisation\":\"cert-xx\",\"role\":\"reader\"}")
                .status())
        .isEqualTo(404);
    assertThat(
            admin
                .post(
                    "users/",
                    "{\"name\":\"admin\",\"organisation\":\"cert-fr\",\"role\":\"reader\"}")
                .status())
        .isEqualTo(409);
    assertThat(admin.get("users/nobody/").status()).isEqualTo(404);
    assertThat(names(admin.get("users/").json().get("users"))).containsExactly("admin");
    assertThat(auditCount()).isEqualTo(before);
  }

  @Test
  void disabledUsersCannotLogInUntilEnabledAgain() throws Exception {
    addOrg("cert-fr");
    String pw = addUser("alice", "cert-fr", "analyst");
    Http alice = basic("alice", pw);
    String token = admin.post("users/alice/tokens/", "{}").json().get("token").asText();
    assertThat(alice.get("users/alice/").status()).isEqualTo(200);

    Resp disabled = admin.post("users/alice/disable/", "");
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.json().get("disabled").asBoolean()).isTrue();
    assertThat(alice.get("users/alice/").status()).isEqualTo(401);
    assertThat(bearer(token).get("users/alice/").status()).isEqualTo(401);

    Resp enabled = admin.post("users/alice/enable/", "{}");
    assertThat(enabled.json().get("disabled").asBoolean()).isFalse();
    assertThat(alice.get("users/alice/").status()).isEqualTo(200);
    assertThat(bearer(token).get("users/alice/").status()).isEqualTo(200);

    assertThat(admin.post("users/admin/disable/", "").status()).isEqualTo(400);
    assertThat(admin.post("users/nobody/disable/", "").status()).isEqualTo(404);
    assertThat(admin.post("users/alice/disable/", "{\"why\":\"x\"}").status()).isEqualTo(400);
    assertThat(admin.get("users/alice/").json().get("disabled").asBoolean()).isFalse();
  }

  // ---- tokens -----------------------------------------------------------------------------

  @Test
  void tokensShowTheirSecretOnceAndWorkUntilRevoked() throws Exception {
    addOrg("cert-fr");
    addUser("alice", "cert-fr", "analyst");
    String expires = Instant.now().plus(Duration.ofDays(30)).toString();
    Resp created =
        admin.post("users/alice/tokens/", "{\"write\":true,\"expires\":\"" + expires + "\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    String secret = created.json().get("token").asText();
    assertThat(secret).startsWith("ent_");
    assertThat(created.json().get("state").asText()).isEqualTo("active");
    assertThat(created.json().get("expires").asText()).startsWith(expires.substring(0, 19));

    Resp list = admin.get("users/alice/tokens/");
    assertThat(list.status()).isEqualTo(200);
    JsonNode t = list.json().get("tokens").get(0);
    assertThat(t.get("id").asText()).isEqualTo(id);
    assertThat(t.has("token")).isFalse();
    assertThat(list.raw()).doesNotContain(secret).doesNotContain(Secrets.sha256Hex(secret));

    Http alice = bearer(secret);
    assertThat(alice.get("users/alice/").status()).isEqualTo(200);
    assertThat(alice.taxii("/api/collections/").statusCode()).isEqualTo(200);

    Resp revoked = admin.delete("tokens/" + id + "/");
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().get("revoked").asBoolean()).isTrue();
    assertThat(revoked.json().get("state").asText()).isEqualTo("revoked");
    assertThat(alice.get("users/alice/").status()).isEqualTo(401);
    assertThat(alice.taxii("/api/collections/").statusCode()).isEqualTo(401);
    assertThat(admin.delete("tokens/" + id + "/").status()).isEqualTo(200); // idempotent
    assertThat(admin.delete("tokens/" + UUID.randomUUID() + "/").status()).isEqualTo(404);

    long before = auditCount();
    assertThat(admin.post("users/alice/tokens/", "{\"expires\":\"2020-01-01T00:00:00Z\"}").status())
        .isEqualTo(400);
    assertThat(admin.post("users/alice/tokens/", "{\"expires\":\"tomorrow\"}").status())
        .isEqualTo(400);
    assertThat(admin.post("users/alice/tokens/", "{\"write\":\"yes\"}").status()).isEqualTo(400);
    assertThat(admin.post("users/nobody/tokens/", "{}").status()).isEqualTo(404);
    assertThat(admin.get("users/alice/tokens/").json().get("tokens").size()).isEqualTo(1);
    assertThat(auditCount()).isEqualTo(before);
  }

  @Test
  void readOnlyCredentialsMayOnlyGet() throws Exception {
    Resp created = admin.post("users/admin/tokens/", "{\"write\":false}");
    assertThat(created.json().get("write").asBoolean()).isFalse();
    String id = created.json().get("id").asText();
    Http readOnly = bearer(created.json().get("token").asText());
    long before = auditCount();

    assertThat(readOnly.get("organisations/").status()).isEqualTo(200);
    assertThat(readOnly.get("audit/").status()).isEqualTo(200);
    Resp post = readOnly.post("organisations/", "{\"name\":\"cert-fr\",\"country\":\"FR\"}");
    assertThat(post.status()).isEqualTo(403);
    assertError(post, 403);
    assertThat(readOnly.post("users/admin/tokens/", "{}").status()).isEqualTo(403);
    assertThat(readOnly.post("collections/", "{\"title\":\"x\"}").status()).isEqualTo(403);
    assertThat(readOnly.delete("tokens/" + id + "/").status()).isEqualTo(403);
    assertThat(readOnly.taxii("/api/collections/").statusCode()).isEqualTo(200);
    assertThat(auditCount()).isEqualTo(before);
    assertThat(names(admin.get("organisations/").json().get("organisations")))
        .containsExactly("home");

    // A reader's own password is not read-only credentials: it may manage its own tokens,
    // but a read-scoped token of the reader still may not.
    addOrg("cert-fr");
    String pw = addUser("rita", "cert-fr", "reader");
    Resp own = basic("rita", pw).post("users/rita/tokens/", "{\"write\":false}");
    assertThat(own.status()).isEqualTo(201);
    Http ritaToken = bearer(own.json().get("token").asText());
    assertThat(ritaToken.get("users/rita/tokens/").status()).isEqualTo(200);
    assertThat(ritaToken.post("users/rita/tokens/", "{}").status()).isEqualTo(403);
    Resp writeScoped = basic("rita", pw).post("users/rita/tokens/", "{}");
    assertThat(
            bearer(writeScoped.json().get("token").asText())
                .post("users/rita/tokens/", "{}")
                .status())
        .isEqualTo(201);
  }

  // ---- authorisation ----------------------------------------------------------------------

  @Test
  void orgAdminsManageOnlyTheUsersOfTheirOwnOrganisation() throws Exception {
    addOrg("cert-fr");
    addOrg("cert-de");
    Http olga = basic("olga", addUser("olga", "cert-fr", "org-admin"));
    addUser("dieter", "cert-de", "analyst");
    addUser("fritz", "cert-fr", "node-admin");
    String dieterToken = admin.post("users/dieter/tokens/", "{}").json().get("id").asText();
    long before = auditCount();

    // refused: other organisations, node admins, everything but users and tokens
    assertThat(
            olga.post(
                    "users/", "{\"name\":\"x1\",\"organisation\":\"cert-de\",\"role\":\"reader\"}")
                .status())
        .isEqualTo(403);
    assertThat(
            olga.post(
                    "users/",
                    "{\"name\":\"x2\",\"organisation\":\"cert-fr\",\"role\":\"node-admin\"}")
                .status())
        .isEqualTo(403);
    // A peer account's posts are received by the home organisation: node admins only.
    assertThat(
            olga.post("users/", "{\"name\":\"x3\",\"organisation\":\"cert-fr\",\"role\":\"peer\"}")
                .status())
        .isEqualTo(403);
    assertThat(olga.get("users/dieter/").status()).isEqualTo(403);
    assertThat(olga.get("users/nobody/").status()).isEqualTo(403); // not told apart from others'
    assertThat(olga.get("users/fritz/").status()).isEqualTo(403);
    assertThat(olga.post("users/dieter/disable/", "").status()).isEqualTo(403);
    assertThat(olga.post("users/fritz/disable/", "").status()).isEqualTo(403);
    assertThat(olga.get("users/dieter/tokens/").status()).isEqualTo(403);
    assertThat(olga.post("users/dieter/tokens/", "{}").status()).isEqualTo(403);
    assertThat(olga.delete("tokens/" + dieterToken + "/").status()).isEqualTo(403);
    assertThat(olga.get("organisations/").status()).isEqualTo(403);
    assertThat(olga.get("organisations/cert-de/").status()).isEqualTo(403);
    assertThat(olga.post("organisations/", "{\"name\":\"cert-it\"}").status()).isEqualTo(403);
    assertThat(olga.get("communities/").status()).isEqualTo(403);
    assertThat(olga.post("communities/", "{\"name\":\"c\"}").status()).isEqualTo(403);
    assertThat(olga.get("collections/").status()).isEqualTo(403);
    assertThat(olga.post("collections/", "{\"title\":\"t\"}").status()).isEqualTo(403);
    assertThat(olga.get("collections/default/grants/").status()).isEqualTo(403);
    assertThat(
            olga.post("collections/default/grants/", "{\"grantee\":\"org:cert-fr\",\"read\":true}")
                .status())
        .isEqualTo(403);
    assertThat(olga.get("audit/").status()).isEqualTo(403);
    assertThat(auditCount()).isEqualTo(before);
    assertThat(admin.get("users/dieter/").json().get("disabled").asBoolean()).isFalse();

    // allowed: its own organisation's users (not node admins) and their tokens
    assertThat(names(olga.get("users/").json().get("users"))).containsExactly("fritz", "olga");
    Resp analyst =
        olga.post(
            "users/", "{\"name\":\"anna\",\"organisation\":\"cert-fr\",\"role\":\"analyst\"}");
    assertThat(analyst.status()).isEqualTo(201);
    Resp deputy = olga.post("users/", "{\"name\":\"otto\",\"role\":\"org-admin\"}");
    assertThat(deputy.status()).isEqualTo(201);
    assertThat(deputy.json().get("organisation").asText()).isEqualTo("cert-fr");
    assertThat(olga.get("users/anna/").status()).isEqualTo(200);
    assertThat(olga.post("users/anna/disable/", "").status()).isEqualTo(200);
    assertThat(olga.post("users/anna/enable/", "").status()).isEqualTo(200);
    Resp token = olga.post("users/anna/tokens/", "{\"write\":false}");
    assertThat(token.status()).isEqualTo(201);
    assertThat(olga.get("users/anna/tokens/").json().get("tokens").size()).isEqualTo(1);
    assertThat(olga.delete("tokens/" + token.json().get("id").asText() + "/").status())
        .isEqualTo(200);
    assertThat(olga.get("organisations/cert-fr/").status()).isEqualTo(200);

    List<AuditEvent> events = audit("user.", "olga");
    assertThat(events)
        .extracting(AuditEvent::action)
        .containsExactly("user.add", "user.add", "user.disable", "user.enable");
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.actorOrg()).isEqualTo("cert-fr");
              assertThat(e.address()).isEqualTo("127.0.0.1");
            });
  }

  @Test
  void ordinaryUsersManageOnlyTheirOwnTokens() throws Exception {
    addOrg("cert-fr");
    Http bob = basic("bob", addUser("bob", "cert-fr", "analyst"));
    addUser("carl", "cert-fr", "analyst");
    String carlToken = admin.post("users/carl/tokens/", "{}").json().get("id").asText();

    Resp own = bob.post("users/bob/tokens/", "{\"write\":false}");
    assertThat(own.status()).isEqualTo(201);
    assertThat(bob.get("users/bob/tokens/").json().get("tokens").size()).isEqualTo(1);
    assertThat(bob.get("users/bob/").status()).isEqualTo(200);
    assertThat(bob.delete("tokens/" + own.json().get("id").asText() + "/").status()).isEqualTo(200);

    assertThat(bob.get("users/carl/tokens/").status()).isEqualTo(403);
    assertThat(bob.post("users/carl/tokens/", "{}").status()).isEqualTo(403);
    assertThat(bob.delete("tokens/" + carlToken + "/").status()).isEqualTo(403);
    assertThat(bob.get("users/carl/").status()).isEqualTo(403);
    assertThat(bob.get("users/").status()).isEqualTo(403);
    assertThat(
            bob.post("users/", "{\"name\":\"x\",\"organisation\":\"cert-fr\",\"role\":\"reader\"}")
                .status())
        .isEqualTo(403);
    assertThat(bob.post("users/bob/disable/", "").status()).isEqualTo(403);
    assertThat(bob.get("collections/").status()).isEqualTo(403);
    assertThat(bob.get("audit/").status()).isEqualTo(403);
    assertThat(
            admin.get("users/carl/tokens/").json().get("tokens").get(0).get("revoked").asBoolean())
        .isFalse();
  }

  @Test
  void requestsWithoutGoodCredentialsGet401() throws Exception {
    Resp none = new Http(node.baseUrl(), null).get("organisations/");
    assertThat(none.status()).isEqualTo(401);
    assertThat(basic("admin", "wrong").get("organisations/").status()).isEqualTo(401);
    assertThat(bearer("ent_nonsense").get("organisations/").status()).isEqualTo(401);
  }

  // ---- collections and grants -------------------------------------------------------------

  @Test
  void collectionsAreAddedAndGrantsAddAndRemoveRights() throws Exception {
    Resp created =
        admin.post(
            "collections/",
            "{\"title\":\"Ransomware\",\"alias\":\"ransomware\",\"description\":\"campaigns\","
                + "\"default_tlp\":\"green\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    assertThat(created.json().get("default_tlp").asText()).isEqualTo("green");
    String chosen = UUID.randomUUID().toString();
    Resp withId =
        admin.post(
            "collections/",
            "{\"title\":\"Red\",\"id\":\"" + chosen + "\",\"default_tlp\":\"RED\"}");
    assertThat(withId.json().get("id").asText()).isEqualTo(chosen);
    assertThat(withId.json().get("default_tlp").asText()).isEqualTo("red");
    assertThat(
            admin.post("collections/", "{\"title\":\"Plain\"}").json().get("default_tlp").asText())
        .isEqualTo("amber");
    JsonNode list = admin.get("collections/").json().get("collections");
    assertThat(list.size()).isEqualTo(4); // with the default collection
    assertThat(admin.get("collections/ransomware/").json().get("id").asText()).isEqualTo(id);

    long before = auditCount();
    assertThat(admin.post("collections/", "{\"title\":\"x\",\"default_tlp\":\"purple\"}").status())
        .isEqualTo(400);
    assertThat(admin.post("collections/", "{\"title\":\"x\",\"id\":\"not-a-uuid\"}").status())
        .isEqualTo(400);
    assertThat(admin.post("collections/", "{\"title\":\"x\",\"alias\":\"a/b\"}").status())
        .isEqualTo(400);
    assertThat(
            admin
                .post("collections/", "{\"title\":\"x\",\"alias\":\"" + UUID.randomUUID() + "\"}")
                .status())
        .isEqualTo(400);
    assertThat(admin.post("collections/", "{\"description\":\"no title\"}").status())
        .isEqualTo(400);
    assertThat(admin.post("collections/", "{\"title\":\"x\",\"alias\":\"ransomware\"}").status())
        .isEqualTo(409);
    assertThat(admin.post("collections/", "{\"title\":\"x\",\"id\":\"" + chosen + "\"}").status())
        .isEqualTo(409);
    assertThat(admin.get("collections/").json().get("collections").size()).isEqualTo(4);
    assertThat(auditCount()).isEqualTo(before);

    addOrg("cert-fr");
    Resp read =
        admin.post("collections/ransomware/grants/", "{\"grantee\":\"org:cert-fr\",\"read\":true}");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("read").asBoolean()).isTrue();
    assertThat(read.json().get("write").asBoolean()).isFalse();
    Resp write =
        admin.post(
            "collections/" + id + "/grants/", "{\"grantee\":\"org:cert-fr\",\"write\":true}");
    assertThat(write.json().get("read").asBoolean()).isTrue(); // kept
    assertThat(write.json().get("write").asBoolean()).isTrue();
    JsonNode grants = admin.get("collections/ransomware/grants/").json();
    assertThat(grants.get("collection").asText()).isEqualTo(id);
    assertThat(grants.get("grants").get(0).get("grantee").asText()).isEqualTo("org:cert-fr");

    Resp lessRead = admin.delete("collections/ransomware/grants/?grantee=org:cert-fr&right=read");
    assertThat(lessRead.status()).isEqualTo(200);
    assertThat(lessRead.json().get("read").asBoolean()).isFalse();
    assertThat(lessRead.json().get("write").asBoolean()).isTrue();
    Resp none =
        admin.delete("collections/ransomware/grants/?grantee=" + enc("org:cert-fr") + "&right=all");
    assertThat(none.json().get("write").asBoolean()).isFalse();
    assertThat(admin.get("collections/ransomware/grants/").json().get("grants").size()).isZero();

    before = auditCount();
    assertThat(admin.delete("collections/ransomware/grants/?grantee=org:cert-fr").status())
        .isEqualTo(404); // nothing left to remove
    assertThat(
            admin.delete("collections/ransomware/grants/?grantee=org:cert-fr&right=some").status())
        .isEqualTo(400);
    assertThat(admin.delete("collections/ransomware/grants/").status()).isEqualTo(400);
    assertThat(
            admin
                .post(
                    "collections/ransomware/grants/", "{\"grantee\":\"org:cert-xx\",\"read\":true}")
                .status())
        .isEqualTo(404);
    assertThat(
            admin
                .post("collections/ransomware/grants/", "{\"grantee\":\"team:x\",\"read\":true}")
                .status())
        .isEqualTo(400);
    assertThat(
            admin.post("collections/ransomware/grants/", "{\"grantee\":\"org:cert-fr\"}").status())
        .isEqualTo(400);
    assertThat(
            admin
                .post("collections/nothing/grants/", "{\"grantee\":\"org:cert-fr\",\"read\":true}")
                .status())
        .isEqualTo(404);
    assertThat(admin.get("collections/nothing/grants/").status()).isEqualTo(404);
    assertThat(auditCount()).isEqualTo(before);
  }

  @Test
  void grantsDecideWhatUsersReadOverTaxii() throws Exception {
    addOrg("cert-fr");
    addOrg("cert-de");
    Http alice = basic("alice", addUser("alice", "cert-fr", "analyst"));
    String id =
        admin
            .post("collections/", "{\"title\":\"Shared\",\"default_tlp\":\"green\"}")
            .json()
            .get("id")
            .asText();
    String objects = "/api/collections/" + id + "/objects/";
    assertThat(alice.taxii(objects).statusCode()).isEqualTo(404);

    admin.post("communities/", "{\"name\":\"allies\",\"members\":[\"cert-fr\",\"cert-de\"]}");
    admin.post(
        "collections/" + id + "/grants/", "{\"grantee\":\"community:allies\",\"read\":true}");
    assertThat(alice.taxii(objects).statusCode()).isEqualTo(200);

    admin.delete("communities/allies/members/cert-fr/");
    assertThat(alice.taxii(objects).statusCode()).isEqualTo(404);

    admin.post("collections/" + id + "/grants/", "{\"grantee\":\"user:alice\",\"read\":true}");
    assertThat(alice.taxii(objects).statusCode()).isEqualTo(200);
    admin.delete("collections/" + id + "/grants/?grantee=user:alice&right=read");
    assertThat(alice.taxii(objects).statusCode()).isEqualTo(404);
  }

  // ---- audit ------------------------------------------------------------------------------

  @Test
  void everyChangeIsAuditedWithActorAndAddressAndTheLogPages() throws Exception {
    addOrg("cert-fr");
    admin.post("communities/", "{\"name\":\"allies\"}");
    admin.post("communities/allies/members/", "{\"organisation\":\"cert-fr\"}");
    admin.delete("communities/allies/members/cert-fr/");
    addUser("alice", "cert-fr", "analyst");
    admin.post("users/alice/disable/", "");
    admin.post("users/alice/enable/", "");
    String token = admin.post("users/alice/tokens/", "{}").json().get("id").asText();
    admin.delete("tokens/" + token + "/");
    String id = admin.post("collections/", "{\"title\":\"T\"}").json().get("id").asText();
    admin.post("collections/" + id + "/grants/", "{\"grantee\":\"org:cert-fr\",\"read\":true}");
    admin.delete("collections/" + id + "/grants/?grantee=org:cert-fr&right=read");

    Resp all = admin.get("audit/?limit=1000");
    assertThat(all.status()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    all.json().get("events").forEach(events::add);
    assertThat(events)
        .extracting(e -> e.get("action").asText())
        .containsSubsequence(
            "organisation.add",
            "community.add",
            "community.member.add",
            "community.member.remove",
            "user.add",
            "user.disable",
            "user.enable",
            "token.create",
            "token.revoke",
            "collection.add",
            "grant.add",
            "grant.remove");
    assertThat(events)
        .filteredOn(e -> !e.get("action").asText().startsWith("objects."))
        .allSatisfy(
            e -> {
              assertThat(e.get("user").asText()).isEqualTo("admin");
              assertThat(e.get("organisation").asText()).isEqualTo("home");
              assertThat(e.get("address").asText()).isEqualTo("127.0.0.1");
              assertThat(e.get("seq").asLong()).isPositive();
              assertThat(e.get("at").asText()).endsWith("Z");
            });
    JsonNode grant =
        events.stream()
            .filter(e -> e.get("action").asText().equals("grant.add"))
            .findFirst()
            .orElseThrow();
    assertThat(grant.get("target").asText()).isEqualTo(id);
    assertThat(grant.get("detail").get("grantee").asText()).isEqualTo("org:cert-fr");
    assertThat(all.json().get("next_after").isNull()).isTrue();

    // paging
    Resp first = admin.get("audit/?limit=2");
    assertThat(first.json().get("events").size()).isEqualTo(2);
    long next = first.json().get("next_after").asLong();
    assertThat(next).isEqualTo(first.json().get("events").get(1).get("seq").asLong());
    Resp second = admin.get("audit/?limit=2&after=" + next);
    assertThat(second.json().get("events").get(0).get("seq").asLong()).isGreaterThan(next);

    // filters
    JsonNode users = admin.get("audit/?action=user.").json().get("events");
    assertThat(users.size()).isEqualTo(3);
    assertThat(admin.get("audit/?user=alice").json().get("events").size()).isZero();
    assertThat(admin.get("audit/?user=admin&action=grant.").json().get("events").size())
        .isEqualTo(2);
    assertThat(admin.get("audit/?since=2999-01-01T00:00:00Z").json().get("events").size()).isZero();
    assertThat(
            admin
                .get("audit/?since=2000-01-01T00:00:00%2B01:00&action=token.")
                .json()
                .get("events")
                .size())
        .isEqualTo(2);
    assertThat(admin.get("audit/?limit=5000").status()).isEqualTo(200); // capped at 1000

    for (String bad : List.of("limit=0", "limit=x", "after=-1", "after=x", "since=yesterday")) {
      Resp r = admin.get("audit/?" + bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertError(r, 400);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private void addOrg(String name) throws Exception {
    Resp r = admin.post("organisations/", "{\"name\":\"" + name + "\",\"country\":\"FR\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
  }

  /** Adds a user and returns its generated password. */
  private String addUser(String name, String org, String role) throws Exception {
    Resp r =
        admin.post(
            "users/",
            "{\"name\":\""
                + name
                + "\",\"organisation\":\""
                + org
                + "\",\"role\":\""
                + role
                + "\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.json().get("password").asText();
  }

  private long auditCount() {
    return node.store().audit(new AuditQuery(0, null, null, null, 100_000)).stream()
        .filter(e -> !e.action().startsWith("objects."))
        .count();
  }

  private List<AuditEvent> audit(String actionPrefix, String user) {
    return node.store().audit(new AuditQuery(0, null, user, actionPrefix, 1000));
  }

  private static void assertError(Resp r, int status) {
    JsonNode e = r.json();
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(e.get("http_status").asText()).isEqualTo(Integer.toString(status));
    assertThat(e.get("title").asText()).isNotBlank();
    assertThat(e.get("description").asText()).isNotBlank();
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("name").asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Http basic(String user, String password) {
    return new Http(
        node.baseUrl(),
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private Http bearer(String token) {
    return new Http(node.baseUrl(), "Bearer " + token);
  }

  private record Resp(int status, String contentType, String raw) {
    JsonNode json() {
      return StixJson.parse(raw);
    }
  }

  /** The admin API over real HTTP with one set of credentials. */
  private final class Http {
    private final HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    Http(String base, String authorization) {
      this.base = base;
      this.authorization = authorization;
    }

    Resp get(String path) throws IOException, InterruptedException {
      return send("GET", path, null, null);
    }

    Resp post(String path, String json) throws IOException, InterruptedException {
      return send("POST", path, json, "application/json");
    }

    Resp delete(String path) throws IOException, InterruptedException {
      return send("DELETE", path, null, null);
    }

    Resp send(String method, String path, String body, String contentType)
        throws IOException, InterruptedException {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + "/admin/" + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      seen.add(r.body());
      return new Resp(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    /** A TAXII GET with these credentials. */
    HttpResponse<String> taxii(String path) throws IOException, InterruptedException {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .header("Accept", TAXII);
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
