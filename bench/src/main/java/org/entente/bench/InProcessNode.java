package org.entente.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import org.entente.node.Node;
import org.entente.node.NodeConfig;

/** A node started with {@link Node#start} inside the driver's JVM (no separate CPU figures). */
final class InProcessNode implements NodeUnderTest {
  private final Node node;

  /**
   * @param database the PostgreSQL database URL, or null for SQLite in the data directory
   */
  InProcessNode(Path dataDir, String adminPassword, String database) {
    // slf4j-simple reads its level once, when the first logger is made: quiet it before that.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    this.node =
        Node.start(
            NodeConfig.defaults()
                .withDataDir(dataDir)
                .withDatabase(database)
                .withListen("127.0.0.1", 0),
            Map.of("ENTENTE_ADMIN_PASSWORD", adminPassword));
  }

  @Override
  public String baseUrl() {
    return node.baseUrl();
  }

  @Override
  public long serverCpuNanos() {
    return processCpuNanos();
  }

  @Override
  public boolean separateCpu() {
    return false;
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public String describe() {
    return "in-process (Node.start in the driver's JVM)";
  }

  @Override
  public void close() {
    node.close();
  }

  /** CPU time of this JVM so far (-1 when the platform does not say). */
  static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }
}
