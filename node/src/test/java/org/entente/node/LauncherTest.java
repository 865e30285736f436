package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `./entente` launcher tells a newcomer which prerequisite is missing. */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("..", "entente").toAbsolutePath().normalize();

  @TempDir Path dir;

  private record Result(int code, String stderr) {}

  private static Path which(String tool) {
    if (tool.equals("java") || tool.equals("javac")) {
      return Path.of(System.getProperty("java.home"), "bin", tool);
    }
    for (String d : new String[] {"/usr/bin", "/bin"}) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return Path.of(d, tool);
      }
    }
    throw new IllegalStateException(tool + " not found");
  }

  /** Runs a copy of the launcher in an empty project folder with only the given tools on PATH. */
  private Result runWithPath(String... tools) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : tools) {
      Files.createSymbolicLink(bin.resolve(tool), which(tool));
    }
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.copy(LAUNCHER, project.resolve("entente"));
    ProcessBuilder pb =
        new ProcessBuilder("/bin/bash", project.resolve("entente").toString(), "--version")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PATH", bin.toString());
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), err);
  }

  @Test
  void saysJavaIsMissing() throws Exception {
    Result r = runWithPath("dirname");
    assertThat(r.code()).isEqualTo(127);
    assertThat(r.stderr()).contains("java is required").contains("JDK 17");
  }

  @Test
  void saysMavenIsMissingWhenItMustBuild() throws Exception {
    Result r = runWithPath("dirname", "java", "javac", "sed", "find");
    assertThat(r.code()).isEqualTo(127);
    assertThat(r.stderr()).contains("mvn is required").contains("Maven 3.8");
  }
}
