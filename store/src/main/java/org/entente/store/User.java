package org.entente.store;

import java.time.Instant;

/**
 * A person or system account of one organisation.
 *
 * @param passwordHash a memory-hard KDF hash string (never the password); null: no password login
 */
public record User(
    String name,
    String organisation,
    Role role,
    String passwordHash,
    boolean disabled,
    Instant created) {

  public enum Role {
    READER,
    ANALYST,
    ORG_ADMIN,
    NODE_ADMIN,
    /**
     * The account an allied node uses to push to this node (and pull from it): what it posts is
     * received as from a peer, not published as its own.
     */
    PEER
  }

  public User withPasswordHash(String hash) {
    return new User(name, organisation, role, hash, disabled, created);
  }
}
