package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as an operator scripts it: output and exit codes. */
class CliTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void validateAcceptsAValidBundleAndExitsZero() throws Exception {
    Path f = dir.resolve("ok.json");
    Files.writeString(
        f,
        "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["
            + Fixtures.indicator(Fixtures.indicatorId(), "198.51.100.1") + "]}");
    Run r = run("validate", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("ok.json: VALID (1 objects, 0 errors");
  }

  @Test
  void validateNamesObjectPathAndRuleOfEachErrorAndExitsOne() throws Exception {
    String id = Fixtures.indicatorId();
    String broken =
        Fixtures.indicator(id, "198.51.100.1").replace("\"modified\":\"2026-11-27T10:00:00.000Z\"",
            "\"modified\":\"2020-01-01T00:00:00.000Z\"");
    Path f = dir.resolve("bad.json");
    Files.writeString(f, Fixtures.envelope(List.of(broken)));
    Run r = run("validate", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("bad.json: INVALID").contains(id).contains(".modified").contains("[modified-before-created]");
  }

  @Test
  void validateReportsNonJsonWithExitTwo() throws Exception {
    Path f = dir.resolve("garbage.json");
    Files.writeString(f, "{\"type\": \"identity\",}");
    Run r = run("validate", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("garbage.json: INVALID").contains("malformed JSON");
  }

  @Test
  void serveRejectsUnknownConfigKeys() throws Exception {
    Path cfg = dir.resolve("entente.properties");
    Files.writeString(cfg, "prot=1234\n");
    Run r = run("serve", "--config", cfg.toString(), "--data", dir.resolve("d").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown key 'prot'");
  }

  @Test
  void scoIdsAssignsDeterministicIdsAndReportsWrongOnes() throws Exception {
    Path f = dir.resolve("scos.json");
    Files.writeString(
        f,
        "{\"objects\":[{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"},"
            + "{\"type\":\"domain-name\",\"id\":\"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7\","
            + "\"value\":\"example.com\"}]}");
    Run ok = run("sco-ids", f.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");

    Files.writeString(
        f,
        "[{\"type\":\"domain-name\",\"id\":\"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7\","
            + "\"value\":\"example.org\"}]");
    Run wrong = run("sco-ids", f.toString());
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("should be domain-name--");
  }

  @Test
  void selfTestStartsAThrowAwayNodeAndAnswersOneRequest() {
    Run r = run("serve", "--self-test");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("self-test: discovery answered 200");
  }
}
