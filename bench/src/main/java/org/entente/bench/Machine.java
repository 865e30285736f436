package org.entente.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a figure was measured on: cores, memory, CPU model, JVM, and how busy the box was. */
record Machine(int cpus, long memTotalKib, String cpuModel, String java, String vm) {

  static Machine here() {
    long mem = -1;
    String model = "unknown";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          mem = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      List<String> cpu = Files.readAllLines(Path.of("/proc/cpuinfo"));
      model =
          cpu.stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse(model);
    } catch (IOException | RuntimeException e) {
      // Not Linux: the figures still stand, only the description is poorer.
    }
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        mem,
        model,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
  }

  /** The 1/5/15-minute load averages: other work on the box skews every figure. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  String describe() {
    return String.format(
        "nproc %d, RAM %.1f GiB, CPU %s, Java %s (%s)",
        cpus, memTotalKib / (1024.0 * 1024.0), cpuModel, java, vm);
  }
}
