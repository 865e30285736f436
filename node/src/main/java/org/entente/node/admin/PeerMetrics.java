package org.entente.node.admin;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import org.entente.node.federation.PeerStatus;

/**
 * The peers' sync figures in the Prometheus text exposition format (version 0.0.4): one {@code #
 * HELP} and one {@code # TYPE} line per metric, then one sample per peer labelled {@code
 * peer="NAME"}. A figure that does not exist yet (never succeeded, never caught up) has no sample.
 */
final class PeerMetrics {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private record Metric(
      String name, String type, String help, Function<PeerStatus, Number> value) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric(
              "entente_peer_last_success_timestamp_seconds",
              "gauge",
              "When the last sync with the peer succeeded (Unix time).",
              s ->
                  s.state().lastSuccess() == null
                      ? null
                      : BigDecimal.valueOf(s.state().lastSuccess().toEpochMilli(), 3)),
          new Metric(
              "entente_peer_consecutive_failures",
              "gauge",
              "Syncs with the peer that failed since the last success.",
              s -> s.state().consecutiveFailures()),
          new Metric(
              "entente_peer_pulled_total",
              "counter",
              "Object versions pulled from the peer and stored.",
              s -> s.state().pulled()),
          new Metric(
              "entente_peer_pushed_total",
              "counter",
              "Object versions pushed to the peer and acknowledged.",
              s -> s.state().pushed()),
          new Metric(
              "entente_peer_skipped_total",
              "counter",
              "Objects pulled from the peer and refused (invalid, RED, above the ceiling).",
              s -> s.state().skipped()),
          new Metric(
              "entente_peer_push_backlog_objects",
              "gauge",
              "Local versions in the published collections not yet handed to the peer.",
              PeerStatus::pushBacklog),
          new Metric(
              "entente_peer_push_lag_seconds",
              "gauge",
              "Age of the oldest version waiting to be pushed to the peer (0 when none waits).",
              s -> s.pushLagSeconds() == null ? 0L : s.pushLagSeconds()),
          new Metric(
              "entente_peer_pull_lag_seconds",
              "gauge",
              "Seconds since a pull from the peer last found nothing more to fetch.",
              PeerStatus::pullLagSeconds),
          new Metric(
              "entente_peer_pending_pushes",
              "gauge",
              "Versions sent to the peer and not acknowledged (to be sent again).",
              PeerStatus::pendingPushes));

  private PeerMetrics() {}

  static String render(List<PeerStatus> statuses) {
    StringBuilder out = new StringBuilder();
    for (Metric m : METRICS) {
      out.append("# HELP ").append(m.name()).append(' ').append(m.help()).append('\n');
      out.append("# TYPE ").append(m.name()).append(' ').append(m.type()).append('\n');
      for (PeerStatus s : statuses) {
        Number v = m.value().apply(s);
        if (v == null) {
          continue;
        }
        out.append(m.name())
            .append("{peer=\"")
            .append(escapeLabel(s.peer().name()))
            .append("\"} ")
            .append(number(v))
            .append('\n');
      }
    }
    return out.toString();
  }

  /** A label value as the format writes it: backslash, double quote and line feed escaped. */
  static String escapeLabel(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String number(Number v) {
    return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
  }
}
