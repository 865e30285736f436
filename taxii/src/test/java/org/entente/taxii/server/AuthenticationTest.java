package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.entente.stix.validate.StixValidator;
import org.entente.store.ApiRoot;
import org.entente.store.GroupCommitWriter;
import org.entente.store.sqlite.SqliteStore;
import org.entente.taxii.testing.RawHttp;
import org.entente.taxii.testing.TestAuthenticator;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticationTest {
  @TempDir Path dir;

  @Test
  void acceptsBasicAndBearerCredentials() {
    try (TestNode node = TestNode.start(dir)) {
      RawHttp http = node.http();
      assertThat(http.get("/taxii2/").send().statusCode()).isEqualTo(200);
      assertThat(
              http.get("/api1/collections/")
                  .authorization("Bearer " + TestAuthenticator.ALICE_TOKEN)
                  .send()
                  .body())
          .contains(TestNode.OPEN);
    }
  }

  @Test
  void refusesMissingOrBadCredentialsWith401AndAChallengeForBothSchemes() {
    try (TestNode node = TestNode.start(dir)) {
      RawHttp http = node.http();
      List<HttpResponse<String>> refused = new ArrayList<>();
      refused.add(http.get("/taxii2/").authorization(null).send());
      refused.add(http.get("/taxii2/").authorization(RawHttp.basic("alice", "wrong")).send());
      refused.add(http.get("/taxii2/").authorization(RawHttp.basic("mallory", "x")).send());
      refused.add(http.get("/taxii2/").authorization("Bearer nope").send());
      refused.add(http.get("/taxii2/").authorization("Digest abc").send());
      refused.add(http.get("/taxii2/").authorization("Basic ###").send());
      for (HttpResponse<String> r : refused) {
        ConformanceTest.assertTaxiiError(r, 401);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
            .hasValue("Basic realm=\"entente\", Bearer");
      }
      // every refusal reads the same: no hint which part was wrong
      assertThat(refused.stream().map(HttpResponse::body).distinct()).hasSize(1);
    }
  }

  @Test
  void authenticatesBeforeRevealingWhetherAPathExists() {
    try (TestNode node = TestNode.start(dir)) {
      RawHttp http = node.http();
      for (String path :
          List.of(
              "/nowhere/",
              "/api1/collections/" + TestNode.HIDDEN + "/",
              "/taxii2",
              TestNode.objectsPath(TestNode.OPEN))) {
        ConformanceTest.assertTaxiiError(http.get(path).authorization(null).send(), 401);
      }
      ConformanceTest.assertTaxiiError(
          http.get("/taxii2/").authorization(null).accept("text/html").send(), 401);
    }
  }

  @Test
  void throttledClientsGet429WithRetryAfterRoundedUp() {
    try (TestNode node = TestNode.start(dir)) {
      HttpResponse<String> r = node.http().get("/taxii2/").as("locked").send();
      ConformanceTest.assertTaxiiError(r, 429);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
    }
  }

  @Test
  void givesTheAuthenticatorTheRawHeaderAndThePeerAddress() {
    List<String> seen = new ArrayList<>();
    Authenticator recording =
        (header, address) -> {
          synchronized (seen) {
            seen.add(header + " from " + address);
          }
          if (header == null) {
            throw new AuthenticationFailedException("none");
          }
          return new Requester("u", "o", false);
        };
    try (SqliteStore store = SqliteStore.open(dir);
        GroupCommitWriter writer = new GroupCommitWriter(store, 10, 10)) {
      store.write(tx -> tx.createApiRoot(new ApiRoot("api1", "t", null, 1000)));
      TaxiiServer server =
          new TaxiiServer(
              TaxiiServerConfig.builder().bindAddress("127.0.0.1").port(0).build(),
              store,
              writer,
              new StixValidator(),
              recording,
              new NoAccess());
      server.start();
      try {
        RawHttp http = new RawHttp(server.baseUrl(), java.net.http.HttpClient.newHttpClient());
        http.get("/taxii2/").authorization("Bearer abc.def").send();
        http.get("/taxii2/").authorization(null).send();
        assertThat(seen).containsExactly("Bearer abc.def from 127.0.0.1", "null from 127.0.0.1");
      } finally {
        server.stop();
      }
    }
  }

  @Test
  void aNodeAdminSeesEveryCollectionAndStatus() {
    try (TestNode node = TestNode.start(dir)) {
      String body = node.http().get("/api1/collections/").as("admin").send().body();
      assertThat(body).contains(TestNode.HIDDEN).contains(TestNode.OPEN);
    }
  }

  private static final class NoAccess implements AccessPolicy {
    @Override
    public CollectionRights rights(Requester r, org.entente.store.Collection c) {
      return CollectionRights.NONE;
    }

    @Override
    public String refuseWrite(
        Requester r, org.entente.store.Collection c, org.entente.stix.StixObject o) {
      return "no";
    }
  }
}
