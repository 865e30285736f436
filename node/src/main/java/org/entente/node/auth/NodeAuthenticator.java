package org.entente.node.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.entente.store.ApiToken;
import org.entente.store.Store;
import org.entente.store.User;
import org.entente.taxii.server.AuthenticationFailedException;
import org.entente.taxii.server.Authenticator;
import org.entente.taxii.server.Requester;
import org.entente.taxii.server.TooManyAttemptsException;

/**
 * Authenticates TAXII requests by HTTP Basic (user password, Argon2id) or Bearer (API token, stored
 * as SHA-256), throttling repeated failures per client address and per user name.
 */
public final class NodeAuthenticator implements Authenticator {
  private static final Duration VERIFIED_FOR = Duration.ofMinutes(5);

  private final Store store;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final Clock clock;

  /**
   * Checked against when the user does not exist, so that unknown names cost the same Argon2 time
   * as known ones. A constant: hashing one at start-up would delay serving.
   */
  private static final String DUMMY_HASH =
      "$argon2id$v=19$m=19456,t=2,p=1$EFWjcoMMfvRS4zw6HdgA7A$FQJ3QhnNusL3dGIZw0Mm9xCb69khAEvFgQvDFII7oWc";

  /**
   * Argon2 costs tens of milliseconds by design; a client that sends the same correct Basic
   * credentials on every request is checked once, then matched by digest for a few minutes. Keyed
   * by SHA-256 of "user:password"; holds the stored hash it was verified against so a password
   * change ends it at once.
   */
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(String storedHash, Instant until) {}

  public NodeAuthenticator(
      Store store, PasswordHasher hasher, LoginThrottle throttle, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.throttle = throttle;
    this.clock = clock;
  }

  @Override
  public Requester authenticate(String authorizationHeader, String remoteAddress) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      throw new AuthenticationFailedException("no credentials");
    }
    String addressKey = "addr:" + remoteAddress;
    refuseIfThrottled(addressKey);
    int space = authorizationHeader.indexOf(' ');
    String scheme = space < 0 ? authorizationHeader : authorizationHeader.substring(0, space);
    String value = space < 0 ? "" : authorizationHeader.substring(space + 1).trim();
    if (scheme.equalsIgnoreCase("Basic")) {
      return basic(value, addressKey);
    }
    if (scheme.equalsIgnoreCase("Bearer")) {
      return bearer(value, addressKey);
    }
    throw new AuthenticationFailedException("unsupported scheme " + scheme);
  }

  private Requester basic(String encoded, String addressKey) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throttle.recordFailure(addressKey);
      throw new AuthenticationFailedException("malformed Basic credentials");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      throttle.recordFailure(addressKey);
      throw new AuthenticationFailedException("malformed Basic credentials");
    }
    String name = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    String userKey = "user:" + name;
    refuseIfThrottled(userKey);
    Optional<User> user = store.user(name);
    String storedHash = user.map(User::passwordHash).orElse(null);
    String cacheKey = Secrets.sha256Hex(name + ":" + password);
    Verified v = verified.get(cacheKey);
    boolean ok;
    Instant now = clock.instant();
    if (v != null
        && storedHash != null
        && now.isBefore(v.until())
        && Secrets.constantTimeEquals(v.storedHash(), storedHash)) {
      ok = true;
    } else {
      // Unknown users cost the same as known ones, so timing does not reveal which names exist.
      ok =
          hasher.matches(password, storedHash != null ? storedHash : DUMMY_HASH)
              && storedHash != null;
      if (ok) {
        if (verified.size() > 10_000) {
          verified.clear();
        }
        verified.put(cacheKey, new Verified(storedHash, now.plus(VERIFIED_FOR)));
      }
    }
    if (!ok || user.get().disabled()) {
      throttle.recordFailure(addressKey);
      throttle.recordFailure(userKey);
      throw new AuthenticationFailedException("bad user name or password for '" + name + "'");
    }
    throttle.recordSuccess(userKey);
    return requester(user.get());
  }

  private Requester bearer(String token, String addressKey) {
    Optional<ApiToken> found =
        token.isEmpty() ? Optional.empty() : store.tokenByHash(Secrets.sha256Hex(token));
    Optional<User> user =
        found.filter(t -> t.usableAt(clock.instant())).flatMap(t -> store.user(t.userName()));
    if (user.isEmpty() || user.get().disabled()) {
      throttle.recordFailure(addressKey);
      throw new AuthenticationFailedException("unknown, expired or revoked token");
    }
    User u = user.get();
    return new Requester(
        u.name(),
        u.organisation(),
        u.role() == User.Role.NODE_ADMIN,
        found.get().canWrite() && u.role() != User.Role.READER,
        u.role() == User.Role.PEER);
  }

  private void refuseIfThrottled(String key) {
    Duration wait = throttle.retryAfter(key);
    if (!wait.isZero() && !wait.isNegative()) {
      throw new TooManyAttemptsException(wait);
    }
  }

  private static Requester requester(User user) {
    // Readers never write, whatever their collections' grants say.
    return new Requester(
        user.name(),
        user.organisation(),
        user.role() == User.Role.NODE_ADMIN,
        user.role() != User.Role.READER,
        user.role() == User.Role.PEER);
  }
}
