package org.entente.stix.pattern;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** An object path: an SCO type, then property, dictionary key and list-index steps. */
public record ObjectPath(String objectType, List<Step> steps) {
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public ObjectPath {
    Objects.requireNonNull(objectType);
    steps = List.copyOf(steps);
    if (steps.isEmpty() || !(steps.get(0) instanceof Key)) {
      throw new IllegalArgumentException("an object path starts with a property name");
    }
  }

  /** One step of a path. */
  public sealed interface Step permits Key, Index, AnyIndex {}

  /** A property or dictionary key ({@code .name} or {@code .'SHA-256'}). */
  public record Key(String name) implements Step {
    public Key {
      Objects.requireNonNull(name);
    }
  }

  /** A list index {@code [n]}; negative indexes are grammatical and never match. */
  public record Index(long index) implements Step {}

  /** {@code [*]}: any element of the list. */
  public record AnyIndex() implements Step {}

  /** The first property after the type, e.g. {@code hashes} in {@code file:hashes.MD5}. */
  public String property() {
    return ((Key) steps.get(0)).name();
  }

  /** Canonical text: keys are quoted only when they are not plain identifiers or keywords. */
  public String render() {
    StringBuilder sb = new StringBuilder(objectType).append(':');
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step instanceof Key k) {
        if (i > 0) {
          sb.append('.');
        }
        sb.append(
            IDENT.matcher(k.name()).matches() && !Lexer.isKeyword(k.name())
                ? k.name()
                : Constant.quote(k.name()));
      } else if (step instanceof Index ix) {
        sb.append('[').append(ix.index()).append(']');
      } else {
        sb.append("[*]");
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
