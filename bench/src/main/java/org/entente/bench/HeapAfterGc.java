package org.entente.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's heap after each collection, read from the GC log its JVM writes ({@code
 * -Xlog:gc:file=...}). The smallest after-GC heap in an interval is the floor the live objects set:
 * if a node leaks, that floor climbs even while RSS stays put (the JVM keeps what it reserved).
 * Reading a log the JVM writes anyway costs the node nothing, unlike asking it over JMX.
 */
final class HeapAfterGc {
  // "[12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->40M(256M) 3.1ms"
  private static final Pattern PAUSE =
      Pattern.compile("\\d+([KMG])->(\\d+)([KMG])\\((\\d+)[KMG]\\)");

  private final Path log;
  private long offset;
  private String partial = "";

  HeapAfterGc(Path log) {
    this.log = log;
  }

  /** The JVM option that makes the node write the log this reads. */
  String jvmOption() {
    return "-Xlog:gc:file=" + log;
  }

  /**
   * The smallest heap after a collection logged since the last call, in MiB; NaN when no collection
   * happened (or the log cannot be read).
   */
  double floorSinceLastMib() {
    if (!Files.isRegularFile(log)) {
      return Double.NaN;
    }
    String text;
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      if (length <= offset) {
        return Double.NaN;
      }
      byte[] bytes = new byte[(int) Math.min(length - offset, 64L << 20)];
      f.seek(offset);
      f.readFully(bytes);
      offset += bytes.length;
      text = partial + new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Double.NaN;
    }
    // A line still being written is kept for the next call.
    int lastNewline = text.lastIndexOf('\n');
    partial = text.substring(lastNewline + 1);
    double floor = Double.NaN;
    for (String line : text.substring(0, lastNewline + 1).split("\n")) {
      if (!line.contains("Pause")) {
        continue;
      }
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        double after = Long.parseLong(m.group(2)) * unitMib(m.group(3));
        floor = Double.isNaN(floor) ? after : Math.min(floor, after);
      }
    }
    return floor;
  }

  private static double unitMib(String unit) {
    return switch (unit) {
      case "K" -> 1 / 1024.0;
      case "G" -> 1024.0;
      default -> 1.0;
    };
  }
}
