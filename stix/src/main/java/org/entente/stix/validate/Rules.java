package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Small, named rules across properties, used by the type declarations. */
final class Rules {
  private Rules() {}

  /** At least one of the properties must be present. */
  static Rule atLeastOne(String... properties) {
    String list = String.join(", ", properties);
    return (o, c) -> {
      for (String p : properties) {
        if (o.has(p)) {
          return;
        }
      }
      c.error("at-least-one", "at least one of " + list + " is required");
    };
  }

  /** Exactly one of the properties must be present. */
  static Rule exactlyOne(String... properties) {
    String list = String.join(", ", properties);
    return (o, c) -> {
      int n = 0;
      for (String p : properties) {
        if (o.has(p)) {
          n++;
        }
      }
      if (n != 1) {
        c.error("exactly-one", "exactly one of " + list + " is required, found " + n);
      }
    };
  }

  /** When {@code property} is present, {@code dependency} must be too. */
  static Rule requires(String property, String dependency) {
    return (o, c) -> {
      if (o.has(property) && !o.has(dependency)) {
        c.errorAt(
            property, "dependent-property", "'" + property + "' requires '" + dependency + "'");
      }
    };
  }

  /** At least one property other than the listed common ones (type, id, ...). */
  static Rule anyPropertyBesides(Set<String> common) {
    return (o, c) -> {
      for (var it = o.fieldNames(); it.hasNext(); ) {
        if (!common.contains(it.next())) {
          return;
        }
      }
      c.error("at-least-one", "the object needs at least one property of its own");
    };
  }

  /** When boolean {@code flag} has {@code whenValue}, {@code property} must be absent. */
  static Rule absentWhen(String flag, boolean whenValue, String property) {
    return (o, c) -> {
      JsonNode f = o.get(flag);
      boolean value = f != null && f.isBoolean() && f.booleanValue();
      if (value == whenValue && o.has(property)) {
        c.errorAt(
            property,
            "dependent-property",
            "'" + property + "' must not be present when " + flag + " is " + whenValue);
      }
    };
  }

  /** When boolean {@code flag} is true, {@code property} must be present. */
  static Rule requiredWhenTrue(String flag, String property) {
    return (o, c) -> {
      JsonNode f = o.get(flag);
      if (f != null && f.isBoolean() && f.booleanValue() && !o.has(property)) {
        c.errorAt(
            property,
            "required-property",
            "'" + property + "' is required when " + flag + " is true");
      }
    };
  }
}
