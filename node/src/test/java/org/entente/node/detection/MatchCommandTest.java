package org.entente.node.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.node.Main;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import org.entente.node.NodeSetup;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.marking.Tlp;
import org.entente.store.Entry;
import org.entente.store.ObjectQuery;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.SpecVersions;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code entente match} on a data directory set up by a first start, as an operator runs it. */
class MatchCommandTest {
  private static final String IND = "indicator--5d0f4e2c-6a41-4c8e-9b1a-2f3e4d5c6b7a";
  private static final String PARTNER_ID = "identity--0b0b0b0b-0000-4000-8000-00000000000b";

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run match(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 3];
    all[0] = "match";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--data";
    all[args.length + 2] = data().toString();
    int code = cl.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  private Path data() {
    return dir.resolve("data");
  }

  /** A first start, a partner organisation, and one indicator from the partner. */
  private String setUp() {
    NodeConfig config = NodeConfig.defaults().withDataDir(data()).withListen("127.0.0.1", 0);
    Node.start(config, Map.of("ENTENTE_ADMIN_PASSWORD", "admin-password-for-tests")).close();
    try (SqliteStore store = SqliteStore.open(data())) {
      String coll = store.collections(NodeSetup.API_ROOT).get(0).id();
      StixObject ind =
          StixObject.of(
              StixJson.parse(
                  "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\""
                      + IND
                      + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                      + "\"modified\":\"2026-01-01T00:00:00.000Z\","
                      + "\"pattern\":\"[ipv4-addr:value = '198.51.100.7']\","
                      + "\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}"));
      store.write(
          tx -> {
            tx.createOrganisation(new Organisation("partner", PARTNER_ID, "DE", false));
            tx.put(ObjectWrite.of(coll, ind, "partner", "pat", Tlp.RED));
            return null;
          });
      return coll;
    }
  }

  @Test
  void matchesEventLinesIntoOneSightingAndReportsBadLines() throws Exception {
    String coll = setUp();
    Path events = dir.resolve("events.jsonl");
    Files.writeString(
        events,
        String.join(
            "\n",
            "{\"timestamp\":\"2026-02-10T08:00:00Z\",\"ip\":\"198.51.100.7\"}",
            "not json",
            "{\"timestamp\":\"2026-02-10T09:00:00Z\",\"domain\":\"benign.example\"}",
            "",
            "{\"ip\":\"198.51.100.7\"}",
            "{\"timestamp\":\"2026-02-11T10:00:00Z\",\"ip\":\"198.51.100.7\"}",
            "{\"timestamp\":\"2026-02-12T11:00:00Z\",\"ip\":\"198.51.100.7\"}"),
        StandardCharsets.UTF_8);

    Run r = match(events.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith(IND + " sighting--").endsWith(" count=1");
    assertThat(lines.get(2)).endsWith(" count=3");
    String sightingId = lines.get(0).split(" ")[1];
    assertThat(lines.get(2).split(" ")[1]).isEqualTo(sightingId);
    assertThat(lines.get(3))
        .isEqualTo("4 events, 3 matches, 1 sightings updated, 2 bad lines (1 indicators)");
    assertThat(r.err().lines().toList())
        .hasSize(2)
        .satisfies(e -> assertThat(e.get(0)).startsWith("line 2: "))
        .satisfies(e -> assertThat(e.get(1)).startsWith("line 5: ").contains("timestamp"));

    try (SqliteStore store = SqliteStore.open(data())) {
      Organisation home =
          store.organisations().stream().filter(Organisation::home).findFirst().orElseThrow();
      List<Entry> seen =
          store
              .entries(
                  new ObjectQuery(
                      coll,
                      Set.of(sightingId),
                      Set.of(),
                      VersionSelector.LAST,
                      SpecVersions.NEWEST,
                      null,
                      0,
                      10,
                      true,
                      Visibility.of("partner", null)))
              .entries();
      assertThat(seen).hasSize(1);
      JsonNode s = StixJson.parse(seen.get(0).json());
      assertThat(s.get("count").asLong()).isEqualTo(3);
      assertThat(s.get("first_seen").asText()).isEqualTo("2026-02-10T08:00:00.000Z");
      assertThat(s.get("last_seen").asText()).isEqualTo("2026-02-12T11:00:00.000Z");
      assertThat(s.get("where_sighted_refs").get(0).asText()).isEqualTo(home.identityId());
      assertThat(seen.get(0).producerOrg()).isEqualTo(home.name());
    }

    // A second run keeps aggregating into the same sighting.
    Path more = dir.resolve("more.jsonl");
    Files.writeString(more, "{\"timestamp\":\"2026-02-13T00:00:00Z\",\"ip\":\"198.51.100.7\"}\n");
    Run again = match(more.toString(), "--org", "partner");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains(" count=1").doesNotContain(sightingId);
    Run home = match(more.toString());
    assertThat(home.out()).contains(sightingId + " count=4");
  }

  @Test
  void anUnknownOrganisationIsAnError() {
    setUp();
    Run r = match("-", "--org", "nobody");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: ").contains("nobody");
  }
}
