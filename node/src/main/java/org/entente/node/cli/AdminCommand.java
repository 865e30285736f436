package org.entente.node.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.entente.node.DatabaseUrls;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.admin.Administration;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.node.federation.SecretSeal;
import org.entente.store.AlreadyExistsException;
import org.entente.store.ApiRoot;
import org.entente.store.NotFoundException;
import org.entente.store.Store;
import org.entente.store.StoreException;
import org.entente.store.Stores;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * An administration command: opens the node's store directly (whether or not a node is serving it:
 * SQLite's WAL lets a second process write, PostgreSQL takes any number of clients; a running node
 * notices the change at its next request on SQLite, by notification within milliseconds on
 * PostgreSQL), acts through {@link Administration} as {@link Administration.Actor#commandLine()},
 * and answers a refused operation with one {@code error:} line on stderr and exit code 1.
 *
 * <p>The store is found as {@code serve} finds it: {@code --db}, else {@code $ENTENTE_DB}, else
 * {@code db} in {@code --config}, else SQLite in the data directory ({@code --data}, else {@code
 * data} in {@code --config}, else {@code ./entente-data}). A store that no node has set up yet is
 * refused, never created.
 */
abstract class AdminCommand implements Callable<Integer> {
  /** The node's key in its data directory (SecretSeal's file). */
  private static final String NODE_KEY = "node.key";

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "data directory (default ./entente-data)")
  Path data;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description =
          "the node's PostgreSQL database (default: $ENTENTE_DB, else db in --config, else SQLite"
              + " in the data directory)")
  String db;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "the node's config file, for its data and db")
  Path configFile;

  @Spec CommandSpec spec;

  /** Environment variables (tests replace them). */
  Map<String, String> env = System.getenv();

  /**
   * What a command works with.
   *
   * @param seal the node's key for peer secrets (read when asked for)
   */
  record Session(
      Path dir,
      Store store,
      Administration admin,
      Supplier<SecretSeal> seal,
      PrintWriter out,
      PrintWriter err) {
    Administration.Actor actor() {
      return Administration.Actor.commandLine();
    }
  }

  @Override
  public final Integer call() throws Exception {
    // Keep stderr for our own "error:" line: the store's schema check logs at info. slf4j-simple
    // reads the level once, when the first logger is made; a level set by the user wins.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String url = db != null ? db : env.get(DatabaseUrls.ENV);
    try {
      NodeConfig config = location(url);
      url = config.databaseUrl();
      Path dir = config.dataDir();
      String where =
          url == null
              ? "the data directory " + dir.toAbsolutePath()
              : "the database " + DatabaseUrls.redacted(url);
      if ((url == null && !Files.isDirectory(dir)) || !Stores.exists(url, dir)) {
        err.println(
            url == null
                ? "error: no Entente data directory at "
                    + dir.toAbsolutePath()
                    + "; run ./entente serve once first (or pass --data DIR, or --db URL for a"
                    + " node on PostgreSQL)"
                : "error: "
                    + where
                    + " has no Entente schema; run ./entente serve with it once first");
        return 1;
      }
      try (Store store = Stores.open(url, dir)) {
        if (store.apiRoots().isEmpty()) {
          err.println("error: " + where + " is not set up yet; run ./entente serve once first");
          return 1;
        }
        // The node key is read (or made) only by the commands that store or use a peer's secrets.
        Supplier<SecretSeal> seal = () -> nodeSeal(dir, config.postgres(), store);
        Administration admin =
            new Administration(store, new PasswordHasher(), new Secrets(), seal, Clock.systemUTC());
        return run(new Session(dir, store, admin, seal, out, err));
      }
    } catch (ParameterException e) {
      throw e; // a usage error: picocli answers it with exit code 2
    } catch (NotFoundException | AlreadyExistsException | IllegalArgumentException e) {
      err.println("error: " + DatabaseUrls.scrub(e.getMessage(), url));
      return 1;
    } catch (StoreException e) {
      err.println("error: " + Failures.oneLine(e, url));
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The node's key in its data directory. The node made it at its first start; on PostgreSQL the
   * data directory may be elsewhere than where the command runs, and a key made here would seal
   * secrets the node cannot open (or fail to open the ones it sealed), so none is made.
   */
  private static SecretSeal nodeSeal(Path dir, boolean postgres, Store store) {
    if (postgres && !Files.isRegularFile(dir.resolve(NODE_KEY))) {
      throw new IllegalArgumentException(
          "no node key ("
              + NODE_KEY
              + ") in "
              + dir.toAbsolutePath()
              + "; pass the node's data directory with --data: peer secrets are sealed with its"
              + " key");
    }
    SecretSeal seal = SecretSeal.of(dir);
    String nodes = store.setting(Node.NODE_KEY_FINGERPRINT).orElse(null);
    if (nodes != null && !nodes.equals(seal.fingerprint())) {
      throw new IllegalArgumentException(
          "the node key in "
              + dir.toAbsolutePath()
              + " is not the node's; pass the data directory of a process of the node with --data:"
              + " peer secrets are sealed with its key");
    }
    return seal;
  }

  /**
   * The data directory and database from the flags, the environment and the config file.
   *
   * @throws ParameterException (exit code 2) for an unreadable config file or a malformed URL
   */
  private NodeConfig location(String url) {
    try {
      NodeConfig c = NodeConfig.defaults();
      if (configFile != null) {
        c = c.withFile(configFile);
      }
      if (data != null) {
        c = c.withDataDir(data);
      }
      if (url != null && !url.isBlank()) {
        c = c.withDatabase(url);
      }
      if (c.databaseUrl() != null) {
        DatabaseUrls.check(c.databaseUrl());
      }
      return c;
    } catch (IllegalArgumentException e) {
      throw usage(DatabaseUrls.scrub(e.getMessage(), url));
    }
  }

  /** Does the work; returns the exit code. */
  abstract int run(Session s) throws Exception;

  /** A usage error (exit code 2), e.g. a combination of options picocli cannot express. */
  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The API root whose collections a command manages: the given one, else the node's only one. */
  static String apiRoot(Store store, String given) {
    if (given != null) {
      if (store.apiRoot(given).isEmpty()) {
        throw new NotFoundException("API root '" + given + "' does not exist");
      }
      return given;
    }
    List<ApiRoot> roots = store.apiRoots();
    if (roots.size() == 1) {
      return roots.get(0).path();
    }
    throw new IllegalArgumentException("the node has several API roots; say which with --api-root");
  }

  /** A timestamp for a table: UTC to the second. */
  static String time(Instant instant) {
    return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
