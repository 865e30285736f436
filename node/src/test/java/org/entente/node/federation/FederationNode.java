package org.entente.node.federation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node of a federation test: {@code entente serve} in a child JVM on 127.0.0.1 with its own
 * data directory and home organisation, on a port fixed before it first starts (its peers' URLs
 * name it, so a restart after SIGKILL must come back on the same one). Like {@code
 * org.entente.node.ChildNode}, which starts on port 0 and is package-private to its package.
 */
final class FederationNode implements AutoCloseable {
  private static final Pattern BANNER = Pattern.compile("TAXII 2\\.1 at (\\S+)/taxii2/");
  private static final int KEPT_LINES = 400;

  final String key;
  final String org;
  final Path data;
  final int port;
  final String adminPassword;

  private Process process;
  private final Deque<String> output = new ArrayDeque<>();

  FederationNode(String key, Path data) throws IOException {
    this.key = key;
    this.org = FederationWorld.org(key);
    this.data = data;
    this.port = freePort();
    this.adminPassword = "admin-" + key + "-federation-pw";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String discoveryUrl() {
    return baseUrl() + "/taxii2/";
  }

  /** The java command that runs {@code org.entente.node.Main} with the test class path. */
  static List<String> javaCommand(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(testClassPath());
    cmd.add("org.entente.node.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Surefire may hide the real class path behind a manifest jar; it tells us the real one. */
  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** Starts {@code serve} (again) on the data directory and port; returns once it serves. */
  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("node " + key + " is running");
    }
    // Pages of at most 1,000 objects, as many servers cap them: a pull of a few thousand objects
    // then takes several pages, which the kill test needs to land a SIGKILL between two of them.
    java.nio.file.Path config = data.resolveSibling(key + "-node.properties");
    java.nio.file.Files.writeString(config, "page.default=1000\npage.max=1000\n");
    ProcessBuilder pb =
        new ProcessBuilder(
                javaCommand(
                    "serve",
                    "--config",
                    config.toString(),
                    "--data",
                    data.toString(),
                    "--port",
                    Integer.toString(port),
                    "--org",
                    org))
            .redirectErrorStream(true);
    pb.environment().put("ENTENTE_ADMIN_PASSWORD", adminPassword);
    Process p = pb.start();
    process = p;
    CompletableFuture<String> banner = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  remember(line);
                  Matcher m = BANNER.matcher(line);
                  if (m.find()) {
                    banner.complete(m.group(1));
                  }
                }
              } catch (IOException ignored) {
                // the child is gone
              }
              banner.complete(null);
            },
            "federation-node-" + key);
    reader.setDaemon(true);
    reader.start();
    String url;
    try {
      url = banner.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      url = null;
    }
    if (url == null) {
      p.destroyForcibly();
      throw new IllegalStateException("node " + key + " did not start:\n" + recentOutput());
    }
    if (!url.equals(baseUrl())) {
      throw new IllegalStateException("node " + key + " serves at " + url + ", not " + baseUrl());
    }
  }

  private void remember(String line) {
    synchronized (output) {
      output.addLast(line);
      while (output.size() > KEPT_LINES) {
        output.removeFirst();
      }
    }
  }

  /** The child's last lines of output (its log), for failure messages. */
  String recentOutput() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook runs, nothing is flushed. */
  synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node " + key + " survived SIGKILL");
      }
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
