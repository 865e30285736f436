package org.entente.node.cli;

import java.time.Instant;
import java.util.List;
import org.entente.node.admin.AdminJson;
import org.entente.stix.StixJson;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code entente audit}: reads the append-only audit log. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the audit log (who did what, when, from where) in the order it was written: a"
          + " table, or one JSON object a line with --json.",
      "Page through it with --after (the last SEQ printed)."
    })
public final class AuditCommand extends AdminCommand {
  @Option(
      names = "--after",
      paramLabel = "SEQ",
      description = "only events after this sequence number")
  long after;

  @Option(
      names = "--since",
      paramLabel = "T",
      description = "only events at or after this RFC 3339 time")
  String since;

  @Option(names = "--user", paramLabel = "U", description = "only this user's events")
  String user;

  @Option(
      names = "--action",
      paramLabel = "PREFIX",
      description = "only actions starting with this, e.g. grant. or objects.")
  String action;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "at most N events (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--json", description = "one JSON object a line")
  boolean json;

  @Override
  int run(Session s) {
    if (after < 0) {
      throw new IllegalArgumentException("--after is a sequence number >= 0");
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("--limit must be a positive number");
    }
    Instant from = since == null ? null : AdminJson.parseTime("--since", since);
    List<AuditEvent> events = s.admin().audit(new AuditQuery(after, from, user, action, limit));
    if (json) {
      for (AuditEvent e : events) {
        s.out().println(StixJson.write(AdminJson.auditEvent(e)));
      }
    } else {
      Table t = new Table("SEQ", "AT", "USER", "ORG", "ADDRESS", "ACTION", "TARGET", "DETAIL");
      for (AuditEvent e : events) {
        t.row(
            e.seq(),
            time(e.at()),
            orDash(e.actorUser()),
            orDash(e.actorOrg()),
            orDash(e.address()),
            e.action(),
            orDash(e.target()),
            orDash(e.detail()));
      }
      t.print(s.out());
    }
    if (events.size() == limit) {
      s.err().printf("(more may follow: --after %d)%n", events.get(events.size() - 1).seq());
    }
    return 0;
  }
}
