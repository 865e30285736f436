package org.entente.node.cli;

import java.time.Duration;
import java.time.Instant;
import org.entente.node.admin.AdminJson;
import org.entente.node.admin.Administration.Created;
import org.entente.store.ApiToken;
import org.entente.store.NotFoundException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entente token create|list|revoke}: API tokens (Bearer credentials) of users. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "API tokens (HTTP Bearer credentials) of users: create, list, revoke.",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
public final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to do: create, list or revoke");
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates an API token for a user and prints its id and its secret. The secret is shown"
            + " only this once; the node keeps only its hash.",
        "Use it as: Authorization: Bearer <token>"
      })
  static final class Create extends AdminCommand {
    @Parameters(index = "0", paramLabel = "USER")
    String user;

    @Option(
        names = "--read-only",
        description = "the token may only read, whatever the user's role")
    boolean readOnly;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Expiry expiry;

    static final class Expiry {
      @Option(
          names = "--expires",
          paramLabel = "RFC3339",
          description = "expiry time, e.g. 2027-06-30T00:00:00Z")
      String at;

      @Option(
          names = "--expires-in",
          paramLabel = "DAYS",
          description = "expires this many days from now")
      Integer days;
    }

    @Override
    int run(Session s) {
      Instant expires = null;
      if (expiry != null && expiry.at != null) {
        expires = AdminJson.parseTime("--expires", expiry.at);
      } else if (expiry != null && expiry.days != null) {
        if (expiry.days <= 0) {
          throw new IllegalArgumentException("--expires-in needs a positive number of days");
        }
        expires = Instant.now().plus(Duration.ofDays(expiry.days));
      }
      Created<ApiToken> created = s.admin().createToken(s.actor(), user, !readOnly, expires);
      s.out().println("id: " + created.value().id());
      s.out().println("token: " + created.secret());
      s.err().println("the token is shown only once: store it now");
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists a user's tokens (never their secrets).")
  static final class ListTokens extends AdminCommand {
    @Parameters(index = "0", paramLabel = "USER")
    String user;

    @Override
    int run(Session s) {
      UserCommand.requireUser(s, user);
      Instant now = Instant.now();
      Table t = new Table("ID", "ACCESS", "STATE", "CREATED", "EXPIRES");
      for (ApiToken tk : s.admin().tokens(user)) {
        t.row(
            tk.id(),
            tk.canWrite() ? "read-write" : "read-only",
            AdminJson.tokenState(tk, now),
            time(tk.created()),
            time(tk.expires()));
      }
      t.print(s.out());
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revokes a token: it stops working at once.")
  static final class Revoke extends AdminCommand {
    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "the token id (token list USER shows them)")
    String id;

    @Override
    int run(Session s) {
      ApiToken t =
          s.admin()
              .token(id)
              .orElseThrow(() -> new NotFoundException("token '" + id + "' does not exist"));
      if (t.revoked()) {
        s.out().printf("token %s of %s was already revoked%n", id, t.userName());
        return 0;
      }
      s.admin().revokeToken(s.actor(), id);
      s.out().printf("token %s of %s revoked%n", id, t.userName());
      return 0;
    }
  }
}
