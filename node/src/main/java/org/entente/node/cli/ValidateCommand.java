package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.entente.stix.StixJson;
import org.entente.stix.StixParseException;
import org.entente.stix.validate.Finding;
import org.entente.stix.validate.StixValidator;
import org.entente.stix.validate.ValidationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entente validate FILE...}: checks STIX 2.1 documents against the specification. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validates STIX 2.1 files (a bundle, a TAXII envelope, an array or a single object; .gz is"
          + " read compressed).",
      "Exit code: 0 all valid, 1 errors found, 2 a file could not be read or parsed."
    })
public final class ValidateCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "files to validate")
  List<Path> files;

  @Option(names = "--warnings", description = "also print SHOULD-rule warnings")
  boolean warnings;

  @Option(names = "--max-findings", defaultValue = "50", description = "findings printed per file (default ${DEFAULT-VALUE})")
  int maxFindings;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StixValidator validator = new StixValidator();
    int worst = 0;
    for (Path file : files) {
      JsonNode doc;
      try {
        doc = StixJson.parse(read(file));
      } catch (IOException e) {
        err.println(file + ": cannot read: " + e.getMessage());
        worst = 2;
        continue;
      } catch (StixParseException e) {
        out.println(file + ": INVALID: " + e.getMessage());
        worst = Math.max(worst, 2);
        continue;
      }
      ValidationReport report = validator.validateDocument(doc);
      List<Finding> shown = warnings ? report.findings() : report.errors();
      out.printf(
          "%s: %s (%d objects, %d errors, %d warnings)%n",
          file,
          report.valid() ? "VALID" : "INVALID",
          countObjects(doc),
          report.errors().size(),
          report.warnings().size());
      shown.stream().limit(maxFindings).forEach(f -> out.println("  " + f));
      if (shown.size() > maxFindings) {
        out.println("  ... " + (shown.size() - maxFindings) + " more");
      }
      if (!report.valid()) {
        worst = Math.max(worst, 1);
      }
    }
    out.flush();
    return worst;
  }

  private static int countObjects(JsonNode doc) {
    if (doc.isArray()) {
      return doc.size();
    }
    JsonNode objects = doc.get("objects");
    return objects != null && objects.isArray() ? objects.size() : 1;
  }

  private static byte[] read(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        return in.readAllBytes();
      }
    }
    return Files.readAllBytes(file);
  }
}
