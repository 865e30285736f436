package org.entente.node.admin;

import java.util.Locale;
import org.entente.store.User;

/**
 * Roles as the admin API and the command line write them: reader, analyst, org-admin, node-admin,
 * peer (the account an allied node federates with).
 */
public final class Roles {
  private Roles() {}

  /**
   * Reads a role name; {@code org-admin}, {@code org_admin} and {@code ORG_ADMIN} are the same.
   *
   * @throws IllegalArgumentException naming the roles there are
   */
  public static User.Role parse(String text) {
    if (text != null) {
      String s = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (User.Role r : User.Role.values()) {
        if (r.name().equals(s)) {
          return r;
        }
      }
    }
    throw new IllegalArgumentException(
        "a role is reader, analyst, org-admin, node-admin or peer, not '" + text + "'");
  }

  /** The written form: {@code org-admin}. */
  public static String name(User.Role role) {
    return role.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
