package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.entente.stix.StixJson;
import org.entente.stix.pattern.PatternMatcher;
import org.entente.stix.pattern.PatternSyntaxException;
import org.entente.stix.pattern.StixPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code entente pattern check 'PATTERN'} tells whether a STIX 2.1 pattern is valid; {@code entente
 * pattern eval 'PATTERN' FILE} whether it matches the observed-data in a file.
 */
@Command(
    name = "pattern",
    mixinStandardHelpOptions = true,
    description = "STIX 2.1 patterning tools.",
    subcommands = {PatternCommand.Check.class, PatternCommand.Eval.class})
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

  /** Matches one pattern against the observed-data (and their SCOs) of a file. */
  @Command(
      name = "eval",
      mixinStandardHelpOptions = true,
      description = {
        "Evaluates a STIX 2.1 pattern against observed-data: FILE is a STIX bundle, a TAXII"
            + " envelope or a JSON array holding observed-data objects and the SCOs they"
            + " reference (object_refs), or observed-data with the deprecated 'objects' form."
            + " Prints 'match' and the ids of the observed-data that satisfied it, or 'no match'.",
        "Exit code: 0 match, 1 no match, 2 invalid pattern or unreadable file."
      })
  public static final class Eval implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATTERN", description = "the pattern text")
    String pattern;

    @Parameters(index = "1", paramLabel = "FILE", description = "the observations; - for stdin")
    String file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      StixPattern parsed;
      try {
        parsed = StixPattern.parse(pattern);
      } catch (PatternSyntaxException e) {
        err.println("invalid pattern: " + e.getMessage());
        err.flush();
        return 2;
      }
      List<JsonNode> objects;
      try {
        byte[] bytes =
            file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        objects = objectsOf(StixJson.parse(bytes));
      } catch (IOException | RuntimeException e) {
        err.println("cannot read " + file + ": " + e.getMessage());
        err.flush();
        return 2;
      }
      PatternMatcher.Result result = PatternMatcher.match(parsed, objects);
      if (result.matched()) {
        out.println("match");
        result.observedDataIds().forEach(out::println);
      } else {
        out.println("no match");
      }
      out.flush();
      return result.matched() ? 0 : 1;
    }

    /** The objects of a bundle or envelope, an array, or one object. */
    private static List<JsonNode> objectsOf(JsonNode doc) {
      JsonNode list = doc.isArray() ? doc : doc.path("objects");
      List<JsonNode> out = new ArrayList<>();
      if (list.isArray()) {
        list.forEach(out::add);
      } else if (doc.isObject()) {
        out.add(doc);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no STIX objects in it");
      }
      return out;
    }
  }
}
