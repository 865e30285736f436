package org.entente.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapAfterGcTest {
  @TempDir Path dir;

  @Test
  void floorIsTheSmallestHeapAfterACollectionSinceTheLastRead() throws Exception {
    Path log = dir.resolve("gc.log");
    HeapAfterGc heap = new HeapAfterGc(log);
    assertThat(heap.floorSinceLastMib()).isNaN();
    Files.writeString(
        log,
        "[0.010s][info][gc] Using G1\n"
            + "[1.2s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 120M->40M(256M)"
            + " 3.1ms\n"
            + "[2.5s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 130M->36M(256M)"
            + " 2.0ms\n"
            + "[3.0s][info][gc] GC(2) Concurrent Mark Cycle 12.0ms\n"
            + "[3.1s][info][gc] GC(3) Pause Full (System.gc()) 2G->1G(4G) 9.0ms\n"
            + "[3.2s][info][gc] GC(4) Pause Young (Normal) (G1 Evac");
    assertThat(heap.floorSinceLastMib()).isEqualTo(36.0);
    assertThat(heap.floorSinceLastMib()).isNaN();
    // The line that was half written counts once it is whole.
    Files.writeString(log, "uation Pause) 50M->512K(256M) 1.0ms\n", StandardOpenOption.APPEND);
    assertThat(heap.floorSinceLastMib()).isEqualTo(0.5);
  }
}
