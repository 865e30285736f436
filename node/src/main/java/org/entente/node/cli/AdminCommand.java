package org.entente.node.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
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
import org.entente.store.sqlite.SqliteStore;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * An administration command: opens the data directory's store directly (whether or not a node is
 * serving it: SQLite's WAL lets a second process write, and a running node notices the change at
 * its next request), acts through {@link Administration} as {@link
 * Administration.Actor#commandLine()}, and answers a refused operation with one {@code error:} line
 * on stderr and exit code 1.
 */
abstract class AdminCommand implements Callable<Integer> {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "data directory (default ./entente-data)")
  Path data;

  @Spec CommandSpec spec;

  /** What a command works with. */
  record Session(Path dir, Store store, Administration admin, PrintWriter out, PrintWriter err) {
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
    try {
      Path dir = data != null ? data : NodeConfig.defaults().dataDir();
      if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(SqliteStore.FILE_NAME))) {
        err.println(
            "error: no Entente data directory at "
                + dir.toAbsolutePath()
                + "; run ./entente serve once first (or pass --data DIR)");
        return 1;
      }
      try (SqliteStore store = SqliteStore.open(dir)) {
        if (store.apiRoots().isEmpty()) {
          err.println(
              "error: the data directory "
                  + dir.toAbsolutePath()
                  + " is not set up yet; run ./entente serve once first");
          return 1;
        }
        // The node key is read (or made) only by the commands that store a peer's secrets.
        Administration admin =
            new Administration(
                store,
                new PasswordHasher(),
                new Secrets(),
                () -> SecretSeal.of(dir),
                Clock.systemUTC());
        return run(new Session(dir, store, admin, out, err));
      } catch (ParameterException e) {
        throw e; // a usage error: picocli answers it with exit code 2
      } catch (NotFoundException | AlreadyExistsException | IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return 1;
      } catch (StoreException e) {
        err.println("error: " + e.getMessage());
        return 1;
      }
    } finally {
      out.flush();
      err.flush();
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
