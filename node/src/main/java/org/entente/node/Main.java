package org.entente.node;

import org.entente.node.cli.AuditCommand;
import org.entente.node.cli.CollectionCommand;
import org.entente.node.cli.CommunityCommand;
import org.entente.node.cli.MatchCommand;
import org.entente.node.cli.OrgCommand;
import org.entente.node.cli.PatternCommand;
import org.entente.node.cli.PeerCommand;
import org.entente.node.cli.ScoIdsCommand;
import org.entente.node.cli.ServeCommand;
import org.entente.node.cli.SyncCommand;
import org.entente.node.cli.TokenCommand;
import org.entente.node.cli.UserCommand;
import org.entente.node.cli.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code entente} command line: one subcommand per operator task. */
@Command(
    name = "entente",
    mixinStandardHelpOptions = true,
    version = "Entente " + Main.VERSION,
    description = "Threat-intelligence exchange node: STIX 2.1 store, TAXII 2.1 server and client.",
    subcommands = {
      ServeCommand.class,
      ValidateCommand.class,
      PatternCommand.class,
      MatchCommand.class,
      ScoIdsCommand.class,
      OrgCommand.class,
      CommunityCommand.class,
      UserCommand.class,
      TokenCommand.class,
      CollectionCommand.class,
      AuditCommand.class,
      PeerCommand.class,
      SyncCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static final String VERSION = "0.1.0";

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }
}
