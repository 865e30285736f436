package org.entente.node.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.entente.node.admin.Administration.Created;
import org.entente.node.admin.Roles;
import org.entente.store.NotFoundException;
import org.entente.store.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entente user add|list|disable|enable}: the people and systems that log in. */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = "Users (each of one organisation, with a role): add, list, disable, enable.",
    subcommands = {
      UserCommand.Add.class,
      UserCommand.ListUsers.class,
      UserCommand.Disable.class,
      UserCommand.Enable.class
    })
public final class UserCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "say what to do: add, list, disable or enable");
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Adds a user. Without --password-stdin a password is generated and printed once.",
        "Roles: reader (reads), analyst (reads and publishes), org-admin (also manages its"
            + " organisation's users), node-admin (everything)."
      })
  static final class Add extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "e.g. alice")
    String name;

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "its organisation")
    String organisation;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "reader, analyst, org-admin, node-admin or peer")
    String role;

    @Option(
        names = "--password-stdin",
        description = "read the password (at least 12 characters) from the first line of stdin")
    boolean passwordStdin;

    @Override
    int run(Session s) throws IOException {
      User.Role r = Roles.parse(role);
      String password = null;
      if (passwordStdin) {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        password = in.readLine();
        if (password == null || password.isEmpty()) {
          throw new IllegalArgumentException("--password-stdin: no password on stdin");
        }
      }
      Created<User> created = s.admin().addUser(s.actor(), name, organisation, r, password);
      User u = created.value();
      s.out()
          .printf(
              "user %s added (organisation %s, role %s)%n",
              u.name(), u.organisation(), Roles.name(u.role()));
      if (created.secret() != null) {
        s.out().println("password: " + created.secret());
        s.err().println("the password is shown only once: store it now");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users.")
  static final class ListUsers extends AdminCommand {
    @Option(names = "--org", paramLabel = "ORG", description = "only this organisation's users")
    String organisation;

    @Override
    int run(Session s) {
      Table t = new Table("NAME", "ORGANISATION", "ROLE", "STATE", "CREATED");
      for (User u : s.admin().users()) {
        if (organisation == null || organisation.equals(u.organisation())) {
          t.row(
              u.name(),
              u.organisation(),
              Roles.name(u.role()),
              u.disabled() ? "disabled" : "enabled",
              time(u.created()));
        }
      }
      t.print(s.out());
      return 0;
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disables a user: its password and tokens stop working at once.")
  static final class Disable extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    int run(Session s) {
      requireUser(s, name);
      s.admin().setUserDisabled(s.actor(), name, true);
      s.out().printf("user %s disabled%n", name);
      return 0;
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a user again.")
  static final class Enable extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    int run(Session s) {
      requireUser(s, name);
      s.admin().setUserDisabled(s.actor(), name, false);
      s.out().printf("user %s enabled%n", name);
      return 0;
    }
  }

  static User requireUser(AdminCommand.Session s, String name) {
    return s.admin()
        .user(name)
        .orElseThrow(() -> new NotFoundException("user '" + name + "' does not exist"));
  }
}
