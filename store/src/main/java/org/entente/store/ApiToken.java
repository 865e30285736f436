package org.entente.store;

import java.time.Instant;

/**
 * An API token of a user. Only a hash of the secret is stored.
 *
 * @param id public identifier of the token (used to list and revoke it)
 * @param secretHash SHA-256 hex of the token secret
 * @param canWrite false for a read-only token
 * @param expires null for no expiry
 */
public record ApiToken(
    String id,
    String userName,
    String secretHash,
    boolean canWrite,
    Instant created,
    Instant expires,
    boolean revoked) {

  public boolean usableAt(Instant now) {
    return !revoked && (expires == null || now.isBefore(expires));
  }
}
