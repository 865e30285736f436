package org.entente.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resident memory of one process as the kernel counts it ({@code /proc/PID/status}): what it holds
 * in RAM now (VmRSS), the most it ever held (VmHWM), and of VmRSS the anonymous part (RssAnon: what
 * it allocated; the rest is mapped files, e.g. the SQLite pages its readers map, which the kernel
 * may drop at any time). Linux only; elsewhere there is no figure.
 */
record ResidentMemory(long rssKib, long peakKib, long anonKib) {

  static Optional<ResidentMemory> of(long pid) {
    try {
      long rss = -1;
      long peak = -1;
      long anon = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          peak = kib(line);
        } else if (line.startsWith("RssAnon:")) {
          anon = kib(line);
        }
      }
      return rss < 0 ? Optional.empty() : Optional.of(new ResidentMemory(rss, peak, anon));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  double rssMib() {
    return rssKib / 1024.0;
  }

  double anonMib() {
    return anonKib / 1024.0;
  }

  String describe() {
    return String.format("%,.0f MiB (peak %,.0f)", rssKib / 1024.0, peakKib / 1024.0);
  }

  /**
   * The memory of a server made of processes, like PostgreSQL's postmaster and its children
   * (backends, checkpointer, WAL writer, ...). Summing their RSS would count the shared buffers
   * once per process that touched them; the sum of PSS (each shared page divided among the
   * processes that map it, from {@code /proc/PID/smaps_rollup}) counts them once.
   *
   * @param processes the root and its direct children found
   */
  record Tree(long pssKib, long rssSumKib, int processes) {

    /** The root process and its direct children; empty when the root cannot be read. */
    static Optional<Tree> of(long rootPid) {
      List<Long> pids = new ArrayList<>();
      pids.add(rootPid);
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        procs
            .map(p -> p.getFileName().toString())
            .filter(n -> n.chars().allMatch(Character::isDigit))
            .map(Long::parseLong)
            .filter(pid -> parentOf(pid) == rootPid)
            .forEach(pids::add);
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
      long pss = 0;
      long rss = 0;
      int counted = 0;
      for (long pid : pids) {
        long p = rollup(pid, "Pss:");
        long r = rollup(pid, "Rss:");
        if (p < 0 || r < 0) {
          if (pid == rootPid) {
            return Optional.empty();
          }
          continue; // a backend that exited since the listing
        }
        pss += p;
        rss += r;
        counted++;
      }
      return Optional.of(new Tree(pss, rss, counted));
    }

    double pssMib() {
      return pssKib / 1024.0;
    }

    String describe() {
      return String.format("%,.0f MiB PSS in %d processes", pssKib / 1024.0, processes);
    }
  }

  /** The parent of a live process (-1 when unknown). */
  static long parentOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // After the parenthesised command name: state, then the parent's pid.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The command name of a live process (empty when unknown). */
  static String commandOf(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static long rollup(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
        if (line.startsWith(field)) {
          return kib(line);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }
}
