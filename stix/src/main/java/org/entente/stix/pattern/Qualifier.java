package org.entente.stix.pattern;

import java.math.BigDecimal;
import java.util.Objects;

/** A qualifier after an observation expression: WITHIN, START/STOP or REPEATS. */
public sealed interface Qualifier {

  /** Canonical text. */
  String render();

  /** {@code WITHIN x SECONDS}, x positive (integer or decimal). */
  record Within(BigDecimal seconds) implements Qualifier {
    public Within {
      Objects.requireNonNull(seconds);
    }

    @Override
    public String render() {
      return "WITHIN " + seconds.toPlainString() + " SECONDS";
    }
  }

  /** {@code START t1 STOP t2}, t1 before t2. */
  record StartStop(Constant.Timestamp start, Constant.Timestamp stop) implements Qualifier {
    public StartStop {
      Objects.requireNonNull(start);
      Objects.requireNonNull(stop);
    }

    @Override
    public String render() {
      return "START " + start.render() + " STOP " + stop.render();
    }
  }

  /** {@code REPEATS n TIMES}, n positive. */
  record Repeats(long times) implements Qualifier {
    @Override
    public String render() {
      return "REPEATS " + times + " TIMES";
    }
  }
}
