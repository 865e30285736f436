package org.entente.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node run the way operators run it, {@code java -jar entente.jar serve}, in its own JVM, so
 * start-up is measured cold and the server's CPU time can be told apart from the load driver's.
 */
final class ChildNode implements NodeUnderTest {
  private static final Pattern BANNER = Pattern.compile("TAXII 2\\.1 at (https?://\\S+)/taxii2/");
  private static final long CLOCK_TICKS = clockTicks();

  private final Process process;
  private final String baseUrl;
  private final Path log;

  private ChildNode(Process process, String baseUrl, Path log) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.log = log;
  }

  /**
   * Spawns {@code serve} on 127.0.0.1 and waits for its banner.
   *
   * @param port the port to listen on; 0 lets the node pick one (read from its banner)
   * @param jvmOptions extra options for the node's JVM (e.g. a JFR recording)
   * @param database the PostgreSQL database URL, or null for SQLite in the data directory; given in
   *     the environment ({@code ENTENTE_DB}), where {@code ps} does not show its password
   */
  static ChildNode start(
      Path jar,
      Path dataDir,
      int port,
      List<String> jvmOptions,
      String adminPassword,
      String database,
      Duration timeout)
      throws IOException, InterruptedException {
    Path log = logOf(dataDir);
    ProcessBuilder pb =
        builder(jar, dataDir, port, jvmOptions, adminPassword).redirectError(log.toFile());
    if (database != null) {
      pb.environment().put("ENTENTE_DB", database);
    }
    CompletableFuture<String> banner = new CompletableFuture<>();
    Process p = pb.start();
    Thread reader =
        new Thread(
            () -> {
              // Keeps draining stdout after the banner so the child never blocks on a full pipe.
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  Matcher m = BANNER.matcher(line);
                  if (m.find()) {
                    banner.complete(m.group(1));
                  }
                }
              } catch (IOException e) {
                banner.completeExceptionally(e);
              }
              banner.completeExceptionally(new IOException("the node exited before its banner"));
            },
            "node-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ChildNode(p, banner.get(timeout.toMillis(), TimeUnit.MILLISECONDS), log);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IOException(
          "the node did not print its banner within "
              + timeout
              + "; its log "
              + log
              + ":\n"
              + tail(log),
          e);
    }
  }

  /**
   * Spawns {@code serve} and returns at once, stdout discarded: the cold-start measurement polls
   * the port itself, so it does not depend on when the banner is flushed.
   */
  static Process spawn(
      Path jar, Path dataDir, int port, List<String> jvmOptions, String adminPassword)
      throws IOException {
    return builder(jar, dataDir, port, jvmOptions, adminPassword)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        // Appended: a restart on the same directory keeps the first start's log before it.
        .redirectError(ProcessBuilder.Redirect.appendTo(logOf(dataDir).toFile()))
        .start();
  }

  private static ProcessBuilder builder(
      Path jar, Path dataDir, int port, List<String> jvmOptions, String adminPassword) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "serve",
            "--data",
            dataDir.toString(),
            "--bind",
            "127.0.0.1",
            "--port",
            Integer.toString(port)));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("ENTENTE_ADMIN_PASSWORD", adminPassword);
    return pb;
  }

  /** The node's stderr (its log) goes next to its data directory, kept for inspection. */
  static Path logOf(Path dataDir) {
    return dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  /** SIGTERM, as an operator would stop it (lets a JFR recording be written), then waits. */
  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public String baseUrl() {
    return baseUrl;
  }

  /** User + system CPU time of the node's JVM so far. */
  @Override
  public long serverCpuNanos() {
    return cpuNanos(process.pid());
  }

  /** User + system CPU time of a live process, from /proc (-1 when unavailable). */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * (1_000_000_000L / CLOCK_TICKS);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public boolean separateCpu() {
    return true;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public String describe() {
    return "child process `java -jar entente.jar serve`, pid " + process.pid() + ", log " + log;
  }

  @Override
  public void close() throws InterruptedException {
    stop(process);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100; // the Linux default
    }
  }
}
