package org.entente.taxii.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** How a {@link TaxiiClient} authenticates: HTTP Basic (TAXII's baseline) or a bearer token. */
public final class Credentials {
  private final String scheme;
  private final String authorization;

  private Credentials(String scheme, String authorization) {
    this.scheme = scheme;
    this.authorization = authorization;
  }

  public static Credentials basic(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a Basic user name cannot contain ':'");
    }
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new Credentials("Basic", "Basic " + token);
  }

  public static Credentials bearer(String token) {
    Objects.requireNonNull(token, "token");
    return new Credentials("Bearer", "Bearer " + token);
  }

  /** The Authorization header value. */
  String authorization() {
    return authorization;
  }

  @Override
  public String toString() {
    return "Credentials[" + scheme + " ***]";
  }
}
