package org.entente.node.cli;

import java.util.ArrayList;
import java.util.List;
import org.entente.store.Community;
import org.entente.store.NotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entente community add|list|join|leave}: named sets of organisations. */
@Command(
    name = "community",
    mixinStandardHelpOptions = true,
    description =
        "Communities (named sets of organisations that grants can address): add, list,"
            + " join, leave.",
    subcommands = {
      CommunityCommand.Add.class,
      CommunityCommand.ListCommunities.class,
      CommunityCommand.Join.class,
      CommunityCommand.Leave.class
    })
public final class CommunityCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to do: add, list, join or leave");
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a community.")
  static final class Add extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "e.g. nato-allies")
    String name;

    @Option(
        names = "--member",
        paramLabel = "ORG",
        split = ",",
        arity = "1..*",
        description = "member organisation(s), repeatable")
    List<String> members = new ArrayList<>();

    @Option(names = "--description", paramLabel = "D", description = "free text")
    String description;

    @Override
    int run(Session s) {
      Community c = s.admin().addCommunity(s.actor(), name, description, members);
      s.out().printf("community %s added with %d members%n", c.name(), c.members().size());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the communities.")
  static final class ListCommunities extends AdminCommand {
    @Override
    int run(Session s) {
      Table t = new Table("NAME", "MEMBERS", "DESCRIPTION");
      for (Community c : s.admin().communities()) {
        t.row(c.name(), orDash(String.join(",", c.members())), orDash(c.description()));
      }
      t.print(s.out());
      return 0;
    }
  }

  /** A community and an organisation: what join and leave act on. */
  abstract static class Membership extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the community")
    String community;

    @Parameters(index = "1", paramLabel = "ORG", description = "the organisation")
    String organisation;
  }

  @Command(
      name = "join",
      mixinStandardHelpOptions = true,
      description = "Adds an organisation to a community.")
  static final class Join extends Membership {
    @Override
    int run(Session s) {
      s.admin().addMember(s.actor(), community, organisation);
      s.out().printf("%s is a member of %s%n", organisation, community);
      return 0;
    }
  }

  @Command(
      name = "leave",
      mixinStandardHelpOptions = true,
      description = "Removes an organisation from a community.")
  static final class Leave extends Membership {
    @Override
    int run(Session s) {
      if (s.admin().community(community).isEmpty()) {
        throw new NotFoundException("community '" + community + "' does not exist");
      }
      if (!s.admin().removeMember(s.actor(), community, organisation)) {
        throw new NotFoundException(
            "'" + organisation + "' is not a member of community '" + community + "'");
      }
      s.out().printf("%s left %s%n", organisation, community);
      return 0;
    }
  }
}
