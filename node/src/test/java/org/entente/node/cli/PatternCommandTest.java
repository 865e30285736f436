package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.entente.node.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code entente pattern check}: output and exit codes as an analyst sees them. */
class PatternCommandTest {

  private record Run(int code, String out) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    int code = cl.execute(args);
    return new Run(code, out.toString());
  }

  @Test
  void validPatternPrintsValid() {
    Run r =
        run(
            "pattern",
            "check",
            "[file:hashes.'SHA-256' ="
                + " 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']");
    assertThat(r.code()).isZero();
    assertThat(r.out().strip()).isEqualTo("valid");
  }

  @Test
  void invalidPatternPrintsPositionAndCaret() {
    Run r = run("pattern", "check", "[file:name = 'a' FOLLOWEDBY file:name = 'b']");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out().lines().toList())
        .containsExactly(
            "invalid: line 1, column 18: expected ']' or AND/OR but found 'FOLLOWEDBY'",
            "[file:name = 'a' FOLLOWEDBY file:name = 'b']",
            " ".repeat(17) + "^");
  }

  @Test
  void caretPointsIntoTheRightLineOfAMultiLinePattern() {
    Run r = run("pattern", "check", "[file:name = 'a']\nAND [file:size = x]");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out().lines().toList())
        .containsExactly(
            "invalid: line 2, column 18: expected a constant but found 'x'",
            "AND [file:size = x]",
            " ".repeat(17) + "^");
  }

  @Test
  void unterminatedStringPointsAtTheQuote() {
    Run r = run("pattern", "check", "[file:name = 'a]");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("line 1, column 14: unterminated string");
  }

  @TempDir Path dir;

  private static final String OBSERVATIONS =
      "{\"type\":\"bundle\",\"id\":\"bundle--6f5c3c0e-4d9c-4c1b-9a57-1f6f1c7d2b11\","
          + "\"objects\":["
          + observed("observed-data--1b8f8d2e-6c2f-4a57-8f3c-0d7a3f3b5c01", "ipv4-addr--1")
          + ","
          + observed("observed-data--2b8f8d2e-6c2f-4a57-8f3c-0d7a3f3b5c02", "ipv4-addr--2")
          + ",{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"ipv4-addr--1\","
          + "\"value\":\"198.51.100.7\"},"
          + "{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"ipv4-addr--2\","
          + "\"value\":\"203.0.113.9\"}]}";

  private static String observed(String id, String ref) {
    return "{\"type\":\"observed-data\",\"spec_version\":\"2.1\",\"id\":\""
        + id
        + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\","
        + "\"first_observed\":\"2026-01-01T00:00:00Z\",\"last_observed\":\"2026-01-01T00:00:00Z\","
        + "\"number_observed\":1,\"object_refs\":[\""
        + ref
        + "\"]}";
  }

  @Test
  void evalPrintsMatchAndTheObservedDataThatSatisfiedIt() throws Exception {
    Path f = dir.resolve("obs.json");
    Files.writeString(f, OBSERVATIONS);
    Run hit = run("pattern", "eval", "[ipv4-addr:value ISSUBSET '198.51.100.0/24']", f.toString());
    assertThat(hit.code()).isZero();
    assertThat(hit.out().lines().toList())
        .containsExactly("match", "observed-data--1b8f8d2e-6c2f-4a57-8f3c-0d7a3f3b5c01");
    Run miss = run("pattern", "eval", "[ipv4-addr:value = '192.0.2.1']", f.toString());
    assertThat(miss.code()).isEqualTo(1);
    assertThat(miss.out().strip()).isEqualTo("no match");
    assertThat(run("pattern", "eval", "[ipv4-addr:value = ]", f.toString()).code()).isEqualTo(2);
    assertThat(
            run("pattern", "eval", "[ipv4-addr:value = 'x']", dir.resolve("no").toString()).code())
        .isEqualTo(2);
  }
}
