package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.entente.stix.StixJson;
import org.entente.stix.StixParseException;
import org.entente.stix.id.DeterministicId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code entente sco-ids FILE}: gives SCOs without an id their deterministic STIX 2.1 id
 * (UUIDv5 over the canonical JSON of their ID-contributing properties) and checks given ones.
 */
@Command(
    name = "sco-ids",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a STIX document (bundle, envelope, array or object), assigns the deterministic id"
          + " to every SCO that has none, and prints the document. SCOs whose given UUIDv5 id"
          + " differs from the deterministic one are reported on stderr.",
      "Exit code: 0 done, 1 mismatching ids reported, 2 unreadable input."
    })
public final class ScoIdsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "input file, or - for standard input")
  String file;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode doc;
    try {
      byte[] bytes =
          file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
      doc = StixJson.parse(bytes);
    } catch (IOException | StixParseException e) {
      err.println("sco-ids: " + file + ": " + e.getMessage());
      return 2;
    }
    int mismatches = 0;
    for (JsonNode o : objectsOf(doc)) {
      if (!o.isObject() || !isSco(o)) {
        continue;
      }
      JsonNode given = o.get("id");
      if (given == null) {
        DeterministicId.assignIfMissing((ObjectNode) o);
        continue;
      }
      var expected = DeterministicId.compute(o);
      boolean v5 = given.asText().matches(".*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-5.*");
      if (v5 && expected.isPresent() && !expected.get().equals(given.asText())) {
        err.println("sco-ids: " + given.asText() + " should be " + expected.get());
        mismatches++;
      }
    }
    try {
      out.println(StixJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
    err.flush();
    return mismatches == 0 ? 0 : 1;
  }

  private static boolean isSco(JsonNode o) {
    String type = o.path("type").asText();
    return type.equals("process") || !DeterministicId.contributingProperties(type).isEmpty();
  }

  private static List<JsonNode> objectsOf(JsonNode doc) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode list = doc.isArray() ? doc : doc.get("objects");
    if (list != null && list.isArray()) {
      list.forEach(out::add);
    } else {
      out.add(doc);
    }
    return out;
  }
}
