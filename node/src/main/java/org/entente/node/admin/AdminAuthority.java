package org.entente.node.admin;

import org.entente.store.User;

/**
 * Who may do what in the admin API. Node admins may do everything. Org admins manage the users of
 * their own organisation (never node admins, and never make one) and those users' tokens. Every
 * user manages its own tokens (and may look at its own account). Everything else is refused.
 * Credentials that may not write (a read-scoped token) may only look.
 */
final class AdminAuthority {
  private AdminAuthority() {}

  /**
   * The authenticated caller of an admin request.
   *
   * @param mayChange false for read-only credentials: such a caller may only GET
   * @param address the client address, for the audit log
   */
  record Caller(
      String user, String organisation, User.Role role, boolean mayChange, String address) {
    boolean nodeAdmin() {
      return role == User.Role.NODE_ADMIN;
    }

    boolean orgAdmin() {
      return role == User.Role.ORG_ADMIN;
    }

    Administration.Actor actor() {
      return new Administration.Actor(user, organisation, address);
    }
  }

  static void requireChange(Caller c) {
    if (!c.mayChange()) {
      throw AdminRefusal.forbidden(
          "these credentials are read-only (a read-scoped token): they may only GET");
    }
  }

  static void requireNodeAdmin(Caller c) {
    if (!c.nodeAdmin()) {
      throw AdminRefusal.forbidden("only node administrators may do this");
    }
  }

  /** Node admins: all users; org admins: their organisation's; others none. */
  static boolean mayListUsers(Caller c) {
    return c.nodeAdmin() || c.orgAdmin();
  }

  /** Whether the caller may see, disable and enable this user and manage its tokens. */
  static boolean mayManage(Caller c, User target) {
    if (c.nodeAdmin()) {
      return true;
    }
    return c.orgAdmin()
        && target.organisation().equals(c.organisation())
        && target.role() != User.Role.NODE_ADMIN
        && target.role() != User.Role.PEER;
  }

  /** Whether the caller may list, create and revoke this user's tokens (its own, or as admin). */
  static boolean mayManageTokensOf(Caller c, User target) {
    return target.name().equals(c.user()) || mayManage(c, target);
  }

  /** Refuses unless the caller may create a user of this organisation with this role. */
  static void checkCreateUser(Caller c, String organisation, User.Role role) {
    if (c.nodeAdmin()) {
      return;
    }
    if (!c.orgAdmin()) {
      throw AdminRefusal.forbidden("only node and organisation administrators may create users");
    }
    if (!organisation.equals(c.organisation())) {
      throw AdminRefusal.forbidden(
          "an organisation administrator creates users of its own organisation '"
              + c.organisation()
              + "' only");
    }
    if (role == User.Role.NODE_ADMIN) {
      throw AdminRefusal.forbidden("only node administrators may create node administrators");
    }
    if (role == User.Role.PEER) {
      // What a peer account posts is stored as received by the home organisation.
      throw AdminRefusal.forbidden("only node administrators may create peer accounts");
    }
  }
}
