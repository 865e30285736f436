package org.entente.node.federation;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.Main;
import picocli.CommandLine;

/**
 * {@code ./entente COMMAND ... --data DIR} in this JVM, as {@code Main.run} runs it, with its
 * output captured; stdin (for secrets) is swapped in for the run, so runs that read it are
 * serialised.
 */
final class FederationCli {
  private FederationCli() {}

  record Run(List<String> args, int code, String out, String err) {
    Run check() {
      if (code != 0) {
        throw new IllegalStateException(this.toString());
      }
      return this;
    }

    @Override
    public String toString() {
      return "./entente "
          + String.join(" ", args)
          + " -> exit "
          + code
          + "\n--- stdout\n"
          + out
          + "--- stderr\n"
          + err;
    }
  }

  private static final Object STDIN = new Object();

  static Run run(Path data, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data");
    all.add(data.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code;
    if (stdin == null) {
      code = cl.execute(all.toArray(String[]::new));
    } else {
      synchronized (STDIN) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
          code = cl.execute(all.toArray(String[]::new));
        } finally {
          System.setIn(saved);
        }
      }
    }
    return new Run(all, code, out.toString(), err.toString());
  }
}
