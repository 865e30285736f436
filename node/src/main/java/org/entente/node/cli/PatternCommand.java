package org.entente.node.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.entente.stix.pattern.PatternSyntaxException;
import org.entente.stix.pattern.StixPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entente pattern check 'PATTERN'}: tells whether a STIX 2.1 pattern is valid. */
@Command(
    name = "pattern",
    mixinStandardHelpOptions = true,
    description = "STIX 2.1 patterning tools.",
    subcommands = {PatternCommand.Check.class})
public final class PatternCommand {

  /** Parses one pattern and prints {@code valid}, or the error under a caret. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Checks a STIX 2.1 pattern against the patterning grammar and its MUST rules.",
        "Exit code: 0 valid, 1 invalid."
      })
  public static final class Check implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATTERN", description = "the pattern text")
    String pattern;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        StixPattern.parse(pattern);
        out.println("valid");
        out.flush();
        return 0;
      } catch (PatternSyntaxException e) {
        out.println("invalid: " + e.getMessage());
        String[] lines = pattern.split("\r\n|\r|\n", -1);
        if (e.line() <= lines.length) {
          String line = lines[e.line() - 1];
          out.println(line);
          out.println(caretPad(line, e.column()) + "^");
        }
        out.flush();
        return 1;
      }
    }

    /** Spaces up to the column (code points), keeping tabs so the caret lines up. */
    private static String caretPad(String line, int column) {
      StringBuilder sb = new StringBuilder();
      int[] cps = line.codePoints().toArray();
      for (int i = 0; i < column - 1 && i < cps.length; i++) {
        sb.append(cps[i] == '\t' ? '\t' : ' ');
      }
      for (int i = cps.length; i < column - 1; i++) {
        sb.append(' ');
      }
      return sb.toString();
    }
  }
}
