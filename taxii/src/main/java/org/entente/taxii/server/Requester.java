package org.entente.taxii.server;

import java.util.Objects;

/**
 * Who is asking, as the node's {@link Authenticator} established it.
 *
 * @param user the authenticated user (owner of the statuses it creates)
 * @param organisation the organisation the user acts for (the producer of what it posts)
 * @param nodeAdmin whether the user may read every status resource
 */
public record Requester(String user, String organisation, boolean nodeAdmin) {
  public Requester {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(organisation, "organisation");
  }
}
