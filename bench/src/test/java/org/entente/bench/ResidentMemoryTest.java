package org.entente.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {
  @Test
  void readsAProcessAndItsChildren() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/smaps_rollup")), "Linux /proc");
    long self = ProcessHandle.current().pid();
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      ResidentMemory me = ResidentMemory.of(self).orElseThrow();
      assertThat(me.rssKib()).isPositive();
      assertThat(me.peakKib()).isGreaterThanOrEqualTo(me.rssKib());
      ResidentMemory.Tree tree = ResidentMemory.Tree.of(self).orElseThrow();
      assertThat(tree.processes()).isGreaterThanOrEqualTo(2);
      assertThat(tree.pssKib()).isPositive().isLessThanOrEqualTo(tree.rssSumKib());
      assertThat(ResidentMemory.parentOf(child.pid())).isEqualTo(self);
    } finally {
      child.destroy();
    }
  }
}
