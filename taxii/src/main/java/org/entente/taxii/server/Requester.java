package org.entente.taxii.server;

import java.util.Objects;

/**
 * Who is asking, as the node's {@link Authenticator} established it.
 *
 * @param user the authenticated user (owner of the statuses it creates)
 * @param organisation the organisation the user acts for (the producer of what it posts)
 * @param nodeAdmin whether the user administers the node (every collection is listed to it; what it
 *     may read inside one still follows the sharing policy)
 * @param credentialsMayWrite false when the credentials themselves are read-only (a read-scoped API
 *     token), whatever the user's grants
 * @param peerNode whether the account is the one an allied node federates with: what it posts is
 *     received as from a peer (see the node's sharing policy)
 */
public record Requester(
    String user,
    String organisation,
    boolean nodeAdmin,
    boolean credentialsMayWrite,
    boolean peerNode) {
  public Requester {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(organisation, "organisation");
  }

  /** A person's (or tool's) account, not a peer node's. */
  public Requester(
      String user, String organisation, boolean nodeAdmin, boolean credentialsMayWrite) {
    this(user, organisation, nodeAdmin, credentialsMayWrite, false);
  }

  /** A requester whose credentials carry the user's full rights (e.g. a password login). */
  public Requester(String user, String organisation, boolean nodeAdmin) {
    this(user, organisation, nodeAdmin, true);
  }
}
