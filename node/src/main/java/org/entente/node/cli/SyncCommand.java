package org.entente.node.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import org.entente.node.NodeConfig;
import org.entente.node.admin.Administration;
import org.entente.node.federation.Federation;
import org.entente.node.federation.SyncProgress;
import org.entente.node.federation.SyncReport;
import org.entente.stix.validate.StixValidator;
import org.entente.store.GroupCommitWriter;
import org.entente.store.NotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code entente sync --peer NAME}: one sync with a peer now, in this process (whether or not a
 * node serves the data directory), with its progress on stderr and what it did on stdout.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Syncs with a peer now: pulls, then pushes, as its direction says; progress on stderr, a"
          + " summary on stdout.",
      "Exit code: 0 done (objects refused on the way are listed, not errors), 1 the sync failed"
          + " or the peer refused pushes (they are retried at the next sync), 2 usage error."
    })
public final class SyncCommand extends AdminCommand {
  @Option(names = "--peer", required = true, paramLabel = "NAME", description = "the peer")
  String peer;

  @Override
  int run(Session s) {
    s.admin()
        .peer(peer)
        .orElseThrow(() -> new NotFoundException("peer '" + peer + "' does not exist"));
    NodeConfig defaults = NodeConfig.defaults();
    GroupCommitWriter writer =
        new GroupCommitWriter(s.store(), defaults.maxQueuedObjects(), defaults.maxBatchObjects());
    ProgressBar bar = new ProgressBar(s.err(), System.console() != null);
    SyncReport report;
    try (Federation federation =
        new Federation(s.store(), writer, new StixValidator(), s.seal().get(), Clock.systemUTC())) {
      report = federation.sync(peer, bar);
    } catch (NotFoundException e) {
      bar.finish();
      throw e;
    } catch (Federation.PeerBusyException e) {
      bar.finish();
      s.err()
          .println(
              "error: peer '"
                  + peer
                  + "' is being synced already ("
                  + e.getMessage()
                  + "); try again later");
      return 1;
    } catch (RuntimeException e) {
      bar.finish();
      String why = Administration.syncFailure(peer, e);
      s.err().println("error: " + why);
      s.admin().recordSync(s.actor(), peer, null, why);
      return 1;
    } finally {
      writer.close(); // commits what the sync handed over
    }
    bar.finish();
    s.admin().recordSync(s.actor(), peer, report, null);
    print(s.out(), report);
    return report.pushFailures() > 0 ? 1 : 0;
  }

  static void print(PrintWriter out, SyncReport r) {
    out.printf(
        Locale.ROOT,
        "sync with %s: pulled %d new (%d already held), skipped %d, pushed %d, push failures %d,"
            + " %.1f s%n",
        r.peer(),
        r.pulled(),
        r.pulledDuplicates(),
        r.skipped(),
        r.pushed(),
        r.pushFailures(),
        r.took() == null ? 0.0 : r.took().toMillis() / 1000.0);
    for (String p : r.problems()) {
      out.println("  " + p);
    }
  }

  /**
   * The sync's progress on stderr: redrawn in place (carriage return) on a terminal, one line per
   * update otherwise (a log, a pipe).
   */
  static final class ProgressBar implements SyncProgress {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private int drawn;

    ProgressBar(PrintWriter err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
    }

    @Override
    public synchronized void pulled(long total, boolean more) {
      draw("pull: " + total + " objects" + (more ? ", more to come" : ", caught up"));
    }

    @Override
    public synchronized void pushed(long total, long remaining) {
      long all = total + Math.max(0, remaining);
      int filled = all == 0 ? WIDTH : (int) (WIDTH * total / all);
      draw(
          "push: ["
              + "#".repeat(filled)
              + ".".repeat(WIDTH - filled)
              + "] "
              + total
              + "/"
              + all
              + " objects");
    }

    private void draw(String line) {
      if (terminal) {
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        drawn = line.length();
      } else {
        err.println(line);
      }
      err.flush();
    }

    /** Ends a line drawn in place, so what follows starts on its own line. */
    synchronized void finish() {
      if (terminal && drawn > 0) {
        err.println();
        err.flush();
        drawn = 0;
      }
    }
  }
}
