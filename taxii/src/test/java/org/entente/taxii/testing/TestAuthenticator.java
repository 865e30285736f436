package org.entente.taxii.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.entente.taxii.server.AuthenticationFailedException;
import org.entente.taxii.server.Authenticator;
import org.entente.taxii.server.Requester;
import org.entente.taxii.server.TooManyAttemptsException;

/** Fixed users and one bearer token; the node's real authenticator hashes and throttles. */
public final class TestAuthenticator implements Authenticator {
  public static final String ALICE_TOKEN = "alice-token-0123456789";

  private record Account(String password, Requester requester) {}

  private final Map<String, Account> accounts =
      Map.of(
          "alice", new Account("alice-pw", new Requester("alice", "org-a", false)),
          "bob", new Account("bob-pw", new Requester("bob", "org-b", false)),
          "carol", new Account("carol-pw", new Requester("carol", "org-a", false)),
          "admin", new Account("admin-pw", new Requester("admin", "org-a", true)));

  @Override
  public Requester authenticate(String header, String remoteAddress) {
    if (header == null) {
      throw new AuthenticationFailedException("no credentials");
    }
    if (header.startsWith("Bearer ")) {
      if (header.substring(7).equals(ALICE_TOKEN)) {
        return accounts.get("alice").requester();
      }
      throw new AuthenticationFailedException("bad token");
    }
    if (!header.startsWith("Basic ")) {
      throw new AuthenticationFailedException("unsupported scheme");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationFailedException("malformed");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new AuthenticationFailedException("malformed");
    }
    String user = decoded.substring(0, colon);
    if (user.equals("locked")) {
      throw new TooManyAttemptsException(Duration.ofMillis(29_500));
    }
    Account a = accounts.get(user);
    if (a == null || !a.password().equals(decoded.substring(colon + 1))) {
      throw new AuthenticationFailedException("bad user or password");
    }
    return a.requester();
  }
}
