package org.entente.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of a node under load: where CPU samples land (top frames, and
 * inclusive per Entente method), where request threads block, GC and machine CPU load. Plain main:
 * {@code java -cp bench/target/benchmarks.jar org.entente.bench.JfrHotSpots node.jfr [--from
 * ISO-INSTANT] [--to ISO-INSTANT] [--top N]}.
 */
public final class JfrHotSpots {
  /** Native frames where a thread waits for work rather than burning CPU. */
  private static final Set<String> IDLE_NATIVE =
      Set.of(
          "sun.nio.ch.EPoll.wait",
          "sun.nio.ch.Net.accept",
          "sun.nio.ch.Net.poll",
          "sun.nio.ch.SocketDispatcher.read0",
          "java.lang.Thread.sleep",
          "jdk.internal.misc.Unsafe.park");

  private final Instant from;
  private final Instant to;
  private final int top;
  private final Map<String, Integer> topFrames = new HashMap<>();
  private final Map<String, Integer> inclusive = new HashMap<>();
  private final Map<String, Integer> threads = new HashMap<>();
  private final Map<String, Duration> blocked = new HashMap<>();
  private int samples;
  private Duration gcPauses = Duration.ZERO;
  private int gcCount;
  private double jvmCpuSum;
  private double machineCpuSum;
  private int cpuLoadEvents;

  private JfrHotSpots(Instant from, Instant to, int top) {
    this.from = from;
    this.to = to;
    this.top = top;
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println(
          "usage: JfrHotSpots FILE.jfr [--from ISO-INSTANT] [--to ISO-INSTANT] [--top N]");
      System.exit(2);
    }
    Instant from = Instant.MIN;
    Instant to = Instant.MAX;
    int top = 25;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--from" -> from = Instant.parse(args[i + 1]);
        case "--to" -> to = Instant.parse(args[i + 1]);
        case "--top" -> top = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    JfrHotSpots s = new JfrHotSpots(from, to, top);
    try (RecordingFile f = new RecordingFile(Path.of(args[0]))) {
      while (f.hasMoreEvents()) {
        s.accept(f.readEvent());
      }
    }
    s.print();
  }

  private void accept(RecordedEvent e) {
    if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
      return;
    }
    String type = e.getEventType().getName();
    switch (type) {
      case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> sample(e);
      case "jdk.ThreadPark",
              "jdk.JavaMonitorEnter",
              "jdk.JavaMonitorWait",
              "jdk.SocketRead",
              "jdk.SocketWrite",
              "jdk.FileWrite",
              "jdk.FileRead",
              "jdk.FileForce" ->
          block(e, type);
      case "jdk.GarbageCollection" -> {
        gcPauses = gcPauses.plus(e.getDuration("sumOfPauses"));
        gcCount++;
      }
      case "jdk.CPULoad" -> {
        jvmCpuSum += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
        machineCpuSum += e.getFloat("machineTotal");
        cpuLoadEvents++;
      }
      default -> {
        // Other events do not feed this summary.
      }
    }
  }

  private void sample(RecordedEvent e) {
    RecordedStackTrace st = e.getStackTrace();
    if (st == null || st.getFrames().isEmpty()) {
      return;
    }
    List<RecordedFrame> frames = st.getFrames();
    String first = name(frames.get(0));
    if (IDLE_NATIVE.contains(first)) {
      return;
    }
    samples++;
    topFrames.merge(first, 1, Integer::sum);
    RecordedThread t = e.getThread("sampledThread");
    threads.merge(threadGroup(t == null ? "?" : t.getJavaName()), 1, Integer::sum);
    Set<String> seen = new HashSet<>();
    for (RecordedFrame fr : frames) {
      String n = name(fr);
      if (n.startsWith("org.entente.") && seen.add(n)) {
        inclusive.merge(n, 1, Integer::sum);
      }
    }
  }

  private void block(RecordedEvent e, String type) {
    RecordedStackTrace st = e.getStackTrace();
    String where = "(no Entente frame)";
    if (st != null) {
      for (RecordedFrame fr : st.getFrames()) {
        String n = name(fr);
        if (n.startsWith("org.entente.")) {
          where = n;
          break;
        }
      }
    }
    RecordedThread t = e.getThread();
    String key =
        type.substring(4) + " | " + threadGroup(t == null ? "?" : t.getJavaName()) + " | " + where;
    blocked.merge(key, e.getDuration(), Duration::plus);
  }

  /** Pool threads differ only by a number; count them together. */
  private static String threadGroup(String name) {
    return name == null ? "?" : name.replaceAll("-?\\d+$", "-N");
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private void print() {
    System.out.printf("CPU samples (Java and native, idle waits excluded): %,d%n", samples);
    if (cpuLoadEvents > 0) {
      System.out.printf(
          "mean CPU load: this JVM %.0f%%, whole machine %.0f%% (of all cores)%n",
          100 * jvmCpuSum / cpuLoadEvents, 100 * machineCpuSum / cpuLoadEvents);
    }
    System.out.printf("GC: %d collections, %d ms of pauses%n", gcCount, gcPauses.toMillis());
    section("samples by thread", threads, samples);
    section("top frames (self)", topFrames, samples);
    section("Entente methods (inclusive: on the stack)", inclusive, samples);
    System.out.println();
    System.out.println("blocked time by event | thread | innermost Entente frame:");
    blocked.entrySet().stream()
        .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
        .limit(top)
        .forEach(
            en -> System.out.printf("%10.1f s  %s%n", en.getValue().toMillis() / 1e3, en.getKey()));
  }

  private void section(String title, Map<String, Integer> counts, int total) {
    System.out.println();
    System.out.println(title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            en ->
                System.out.printf(
                    "%6d %5.1f%%  %s%n",
                    en.getValue(), 100.0 * en.getValue() / total, en.getKey()));
  }
}
