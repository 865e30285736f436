package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.entente.node.detection.SightingsEngine;
import org.entente.node.detection.SimpleEvent;
import org.entente.stix.StixJson;
import org.entente.store.NotFoundException;
import org.entente.store.Organisation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code entente match [FILE|-]}: matches JSON lines of simple events against the node's indicators
 * and records the hits as aggregated sightings.
 */
@Command(
    name = "match",
    mixinStandardHelpOptions = true,
    description = {
      "Reads JSON lines of simple events ({\"timestamp\":\"RFC3339\", and any of \"ip\","
          + " \"domain\", \"url\", \"hashes\":{\"SHA-256\":\"..\"}, \"email\"}), matches each"
          + " against the stored STIX indicators, and records one sighting per (indicator,"
          + " organisation), with the observed-data it cites, in the indicator's collection.",
      "Prints one line per match and a summary; bad lines are reported on stderr and skipped.",
      "Exit code: 0 done (even with bad lines), 1 error."
    })
public final class MatchCommand extends AdminCommand {
  /** The user recorded as writer of what this command stores. */
  static final String USER = "entente-match";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      defaultValue = "-",
      description = "the events, one JSON object a line; - (default) for stdin")
  String file;

  @Option(
      names = "--org",
      paramLabel = "ORG",
      description = "the reporting organisation (default: the home organisation)")
  String org;

  @Override
  int run(Session s) throws Exception {
    Organisation reporter = reporter(s);
    SightingsEngine engine = SightingsEngine.load(s.store(), Clock.systemUTC());
    int events = 0;
    int bad = 0;
    int matches = 0;
    Set<String> sightings = new HashSet<>();
    try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        SimpleEvent event;
        try {
          JsonNode json = StixJson.parse(line);
          event = SimpleEvent.of(json, reporter.identityId(), Clock.systemUTC().instant());
        } catch (RuntimeException e) {
          s.err().println("line " + number + ": " + e.getMessage());
          bad++;
          continue;
        }
        events++;
        List<SightingsEngine.Recorded> hits =
            engine.observe(reporter.name(), USER, event.observedData(), event.scos());
        for (SightingsEngine.Recorded r : hits) {
          s.out().println(r.indicatorId() + " " + r.sightingId() + " count=" + r.count());
          sightings.add(r.sightingId());
        }
        matches += hits.size();
      }
    }
    s.out()
        .println(
            events
                + " events, "
                + matches
                + " matches, "
                + sightings.size()
                + " sightings updated, "
                + bad
                + " bad lines ("
                + engine.indicators()
                + " indicators)");
    return 0;
  }

  private Organisation reporter(Session s) {
    if (org != null) {
      return s.store()
          .organisation(org)
          .orElseThrow(() -> new NotFoundException("organisation '" + org + "' does not exist"));
    }
    return s.store().organisations().stream()
        .filter(Organisation::home)
        .findFirst()
        .orElseThrow(() -> new NotFoundException("the node has no home organisation"));
  }
}
