package org.entente.node.cli;

import java.util.ArrayList;
import java.util.List;
import org.entente.store.Organisation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entente org add|list}: the organisations the node shares with. */
@Command(
    name = "org",
    mixinStandardHelpOptions = true,
    description = "Organisations (each with its STIX identity): add, list.",
    subcommands = {OrgCommand.Add.class, OrgCommand.ListOrgs.class})
public final class OrgCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to do: add or list");
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Adds an organisation and creates its STIX identity.")
  static final class Add extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "e.g. cert-fr")
    String name;

    @Option(
        names = "--country",
        required = true,
        paramLabel = "CC",
        description = "ISO 3166-1 alpha-2 country code, e.g. FR")
    String country;

    @Option(
        names = "--sector",
        paramLabel = "S",
        split = ",",
        description =
            "STIX industry sector (industry-sector-ov), repeatable, e.g. government-national")
    List<String> sectors = new ArrayList<>();

    @Option(names = "--description", paramLabel = "D", description = "free text")
    String description;

    @Override
    int run(Session s) {
      Organisation o = s.admin().addOrganisation(s.actor(), name, country, sectors, description);
      s.out().printf("organisation %s added (identity %s)%n", o.name(), o.identityId());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the organisations.")
  static final class ListOrgs extends AdminCommand {
    @Override
    int run(Session s) {
      Table t = new Table("NAME", "COUNTRY", "HOME", "SECTORS", "IDENTITY");
      for (Organisation o : s.admin().organisations()) {
        t.row(
            o.name(),
            orDash(o.country()),
            o.home() ? "yes" : "no",
            orDash(String.join(",", o.sectors())),
            o.identityId());
      }
      t.print(s.out());
      return 0;
    }
  }
}
