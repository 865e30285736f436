package org.entente.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An Entente node in a child JVM (`entente serve`), so tests can SIGKILL or SIGTERM it. */
final class ChildNode implements AutoCloseable {
  private static final Pattern BANNER = Pattern.compile("TAXII 2\\.1 at (\\S+)/taxii2/");

  /**
   * JVM options for a child that is restarted many times: C1 alone (and the serial collector)
   * brings it up in about half the time on a small machine, at some cost in throughput.
   */
  static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  final Process process;
  final String baseUrl;
  private final List<String> lines;

  private ChildNode(Process process, String baseUrl, List<String> lines) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.lines = lines;
  }

  /** What the child has printed so far (stdout and stderr), line by line. */
  List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  static ChildNode start(Path dataDir, String adminPassword, String... extraArgs)
      throws IOException, InterruptedException {
    return start(dataDir, Map.of(), adminPassword, extraArgs);
  }

  /** With these environment variables too (e.g. ENTENTE_DB). */
  static ChildNode start(
      Path dataDir, Map<String, String> env, String adminPassword, String... extraArgs)
      throws IOException, InterruptedException {
    return start(List.of(), dataDir, env, adminPassword, extraArgs);
  }

  /**
   * With these JVM options too (e.g. {@link #QUICK_START}).
   *
   * @param extraArgs more arguments of {@code serve}
   */
  static ChildNode start(
      List<String> jvmOptions,
      Path dataDir,
      Map<String, String> env,
      String adminPassword,
      String... extraArgs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(testClassPath());
    cmd.add("org.entente.node.Main");
    cmd.add("serve");
    cmd.add("--data");
    cmd.add(dataDir.toString());
    cmd.add("--port");
    cmd.add("0");
    cmd.addAll(List.of(extraArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ENTENTE_ADMIN_PASSWORD", adminPassword);
    pb.environment().putAll(env);
    Process p = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    CompletableFuture<String> url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  synchronized (seen) {
                    seen.add(line);
                  }
                  Matcher m = BANNER.matcher(line);
                  if (m.find()) {
                    drain(out, seen);
                    return m.group(1);
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    String base;
    try {
      base = url.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      base = null;
    }
    if (base == null) {
      p.destroyForcibly();
      synchronized (seen) {
        throw new IllegalStateException("child node did not start: " + String.join("\n", seen));
      }
    }
    return new ChildNode(p, base, seen);
  }

  private static void drain(BufferedReader out, List<String> seen) {
    Thread t =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  synchronized (seen) {
                    seen.add(line);
                  }
                }
              } catch (IOException ignored) {
                // the child is gone
              }
            },
            "child-node-output");
    t.setDaemon(true);
    t.start();
  }

  /** Surefire may hide the real class path behind a manifest jar; it tells us the real one. */
  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the graceful path. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
