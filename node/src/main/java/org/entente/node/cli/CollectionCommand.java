package org.entente.node.cli;

import org.entente.node.admin.Administration;
import org.entente.node.admin.Administration.Grantee;
import org.entente.stix.marking.Tlp;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.NotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entente collection add|list|grant|revoke|grants}: collections and who may use them. */
@Command(
    name = "collection",
    mixinStandardHelpOptions = true,
    description = "TAXII collections and their grants: add, list, grant, revoke, grants, observe.",
    subcommands = {
      CollectionCommand.Add.class,
      CollectionCommand.ListCollections.class,
      CollectionCommand.Grant.class,
      CollectionCommand.Revoke.class,
      CollectionCommand.Grants.class,
      CollectionCommand.Observe.class
    })
public final class CollectionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "say what to do: add, list, grant, revoke, grants or observe");
  }

  /** The commands that work inside one API root. */
  abstract static class InApiRoot extends AdminCommand {
    @Option(
        names = "--api-root",
        paramLabel = "PATH",
        description = "the API root (default: the node's only one, 'api')")
    String apiRoot;

    String root(Session s) {
      return apiRoot(s.store(), apiRoot);
    }

    Collection collection(Session s, String idOrAlias) {
      return s.admin()
          .collection(root(s), idOrAlias)
          .orElseThrow(
              () -> new NotFoundException("collection '" + idOrAlias + "' does not exist"));
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Adds a collection (nobody may use it until granted) and prints its id.")
  static final class Add extends InApiRoot {
    @Parameters(index = "0", paramLabel = "TITLE")
    String title;

    @Option(names = "--id", paramLabel = "UUID", description = "its id (default: a new UUIDv4)")
    String id;

    @Option(names = "--alias", paramLabel = "A", description = "URL alias, e.g. ransomware")
    String alias;

    @Option(names = "--description", paramLabel = "D", description = "free text")
    String description;

    @Option(
        names = "--default-tlp",
        paramLabel = "TLP",
        description = "level of unmarked objects: clear, green, amber (default), amber+strict, red")
    String defaultTlp;

    @Override
    int run(Session s) {
      Tlp tlp = defaultTlp == null ? null : Tlp.parse(defaultTlp);
      Collection c =
          s.admin().addCollection(s.actor(), root(s), title, id, alias, description, tlp);
      s.out().println(c.id());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the collections.")
  static final class ListCollections extends InApiRoot {
    @Override
    int run(Session s) {
      Table t = new Table("ID", "ALIAS", "DEFAULT-TLP", "TITLE");
      for (Collection c : s.admin().collections(root(s))) {
        t.row(c.id(), orDash(c.alias()), c.defaultTlp(), c.title());
      }
      t.print(s.out());
      return 0;
    }
  }

  /** grant and revoke: which rights of whom on which collection. */
  abstract static class Rights extends InApiRoot {
    @Parameters(index = "0", paramLabel = "COLLECTION", description = "id or alias")
    String collection;

    @Parameters(
        index = "1",
        paramLabel = "GRANTEE",
        description = "org:NAME, community:NAME or user:NAME")
    String grantee;

    @Option(names = "--read", description = "the right to read")
    boolean read;

    @Option(names = "--write", description = "the right to add objects")
    boolean write;

    int change(Session s, boolean allow) {
      if (!read && !write) {
        throw usage("say which right: --read, --write or both");
      }
      Grantee g = Grantee.parse(grantee);
      Collection c = collection(s, collection);
      CollectionGrant now = s.admin().grant(s.actor(), root(s), c.id(), g, read, write, allow);
      s.out()
          .printf(
              "%s on %s: read %s, write %s%n",
              g, c.id(), now.canRead() ? "yes" : "no", now.canWrite() ? "yes" : "no");
      return 0;
    }
  }

  @Command(
      name = "grant",
      mixinStandardHelpOptions = true,
      description =
          "Gives an organisation, a community or a user the right to read and/or write"
              + " a collection (rights not named are kept).")
  static final class Grant extends Rights {
    @Override
    int run(Session s) {
      return change(s, true);
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Takes the named rights on a collection away (rights not named are kept).")
  static final class Revoke extends Rights {
    @Override
    int run(Session s) {
      return change(s, false);
    }
  }

  @Command(
      name = "grants",
      mixinStandardHelpOptions = true,
      description = "Lists who may read and write a collection.")
  static final class Grants extends InApiRoot {
    @Parameters(index = "0", paramLabel = "COLLECTION", description = "id or alias")
    String collection;

    @Override
    int run(Session s) {
      Collection c = collection(s, collection);
      Table t = new Table("GRANTEE", "READ", "WRITE");
      for (CollectionGrant g : s.admin().grants(c.id())) {
        t.row(
            new Administration.Grantee(g.kind(), g.grantee()),
            g.canRead() ? "yes" : "no",
            g.canWrite() ? "yes" : "no");
      }
      t.print(s.out());
      return 0;
    }
  }

  @Command(
      name = "observe",
      mixinStandardHelpOptions = true,
      description = {
        "Makes a collection an observation input: observed-data posted there is matched against"
            + " the node's indicators, and each match becomes a sighting for the indicator's"
            + " producer. --off stops it."
      })
  static final class Observe extends InApiRoot {
    @Parameters(index = "0", paramLabel = "COLLECTION", description = "id or alias")
    String collection;

    @Option(names = "--off", description = "stop matching this collection's observations")
    boolean off;

    @Override
    int run(Session s) {
      Collection c = collection(s, collection);
      boolean changed = s.admin().setObservationInput(s.actor(), root(s), c.id(), !off);
      s.out()
          .printf(
              "collection %s %s an observation input%s%n",
              c.id(), off ? "is not" : "is", changed ? "" : " (unchanged)");
      return 0;
    }
  }
}
