package org.entente.stix.validate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Declaration of one STIX object type: its class (which decides the common properties), its own
 * properties and rules, and the predefined extensions it may carry.
 */
record TypeSpec(String type, ObjectClass objectClass, Shape shape, Map<String, Shape> extensions) {

  static Builder sdo(String type) {
    return new Builder(type, ObjectClass.SDO);
  }

  static Builder sro(String type) {
    return new Builder(type, ObjectClass.SRO);
  }

  static Builder sco(String type) {
    return new Builder(type, ObjectClass.SCO);
  }

  static Builder of(String type, ObjectClass objectClass) {
    return new Builder(type, objectClass);
  }

  /** Fluent declaration: {@code sdo("campaign").req("name", STRING).opt(...).build()}. */
  static final class Builder {
    private final String type;
    private final ObjectClass objectClass;
    private final Shape.Builder shape;
    private final Map<String, Shape> extensions = new LinkedHashMap<>();

    private Builder(String type, ObjectClass objectClass) {
      this.type = type;
      this.objectClass = objectClass;
      this.shape = Shape.shape(type);
    }

    Builder req(String property, Kind kind) {
      shape.req(property, kind);
      return this;
    }

    Builder opt(String property, Kind kind) {
      shape.opt(property, kind);
      return this;
    }

    Builder rule(Rule rule) {
      shape.rule(rule);
      return this;
    }

    Builder ext(Shape extension) {
      extensions.put(extension.name, extension);
      return this;
    }

    TypeSpec build() {
      return new TypeSpec(type, objectClass, shape.build(), Map.copyOf(extensions));
    }
  }
}
