package org.entente.stix.pattern;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A constant on the right of a comparison. Binary and hex constants keep their text (records over
 * byte arrays would compare by identity) and decode on demand.
 */
public sealed interface Constant {

  /** Canonical pattern text of the constant. */
  String render();

  /** A string constant; the value is unescaped. */
  record Str(String value) implements Constant {
    public Str {
      Objects.requireNonNull(value);
    }

    @Override
    public String render() {
      return quote(value);
    }
  }

  /** An integer constant. */
  record Int(long value) implements Constant {
    @Override
    public String render() {
      return Long.toString(value);
    }
  }

  /** A float constant, kept exact so that rendering gives back the same number. */
  record Float(BigDecimal value) implements Constant {
    public Float {
      Objects.requireNonNull(value);
    }

    @Override
    public String render() {
      String s = value.toPlainString();
      return s.contains(".") ? s : s + ".0";
    }
  }

  /** {@code true} or {@code false}. */
  record Bool(boolean value) implements Constant {
    @Override
    public String render() {
      return Boolean.toString(value);
    }
  }

  /** {@code t'…'}: the text as written and the instant it denotes. */
  record Timestamp(String text, Instant instant) implements Constant {
    public Timestamp {
      Objects.requireNonNull(text);
      Objects.requireNonNull(instant);
    }

    @Override
    public String render() {
      return "t'" + text + "'";
    }
  }

  /** {@code b'…'}: base64 text with padding. */
  record Binary(String base64) implements Constant {
    public Binary {
      Objects.requireNonNull(base64);
    }

    public byte[] bytes() {
      return Base64.getDecoder().decode(base64);
    }

    @Override
    public String render() {
      return "b'" + base64 + "'";
    }
  }

  /** {@code h'…'}: an even number of hex digits, case kept as written. */
  record Hex(String hex) implements Constant {
    public Hex {
      Objects.requireNonNull(hex);
    }

    public byte[] bytes() {
      return HexFormat.of().parseHex(hex);
    }

    @Override
    public String render() {
      return "h'" + hex + "'";
    }
  }

  /** {@code ('a', 'b')}: the right side of IN. */
  record Set(List<Constant> members) implements Constant {
    public Set {
      members = List.copyOf(members);
    }

    @Override
    public String render() {
      StringBuilder sb = new StringBuilder("(");
      for (int i = 0; i < members.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(members.get(i).render());
      }
      return sb.append(')').toString();
    }
  }

  /** Quotes a string as a pattern string literal: only {@code \'} and {@code \\} are escapes. */
  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
