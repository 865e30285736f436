package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.entente.node.Main;
import org.junit.jupiter.api.Test;
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
}
