package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared properties of one object type, predefined extension or embedded structure: property
 * name to {@link Kind}, which ones are required, and rules across properties.
 */
final class Shape implements Kind {
  /** One declared property. */
  record Prop(String name, Kind kind, boolean required) {}

  final String name;
  final Map<String, Prop> props;
  final String[] required;
  final Rule[] rules;

  /**
   * Unknown properties in an embedded structure are custom content: warn unless {@code x_}
   * prefixed. Top-level objects handle custom properties in the generic layer instead.
   */
  private Shape(String name, Map<String, Prop> props, Rule[] rules) {
    this.name = name;
    this.props = Map.copyOf(props);
    this.required =
        props.values().stream().filter(Prop::required).map(Prop::name).toArray(String[]::new);
    this.rules = rules;
  }

  static Builder shape(String name) {
    return new Builder(name);
  }

  Prop prop(String property) {
    return props.get(property);
  }

  /** Checks a value declared to be this embedded structure. */
  @Override
  public void check(JsonNode v, Ctx c) {
    if (!v.isObject()) {
      Kinds.wrongType(v, c, "an object (" + name + ")");
      return;
    }
    if (v.isEmpty()) {
      c.error("empty-dict", name + " must have at least one property");
      return;
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String key = e.getKey();
      Prop p = props.get(key);
      c.push(key);
      if (p != null) {
        p.kind.check(e.getValue(), c);
      } else {
        Kinds.customProperty(key, e.getValue(), c, true);
      }
      c.pop();
    }
    checkRequiredAndRules(v, c);
  }

  void checkRequiredAndRules(JsonNode v, Ctx c) {
    for (String r : required) {
      if (!v.has(r)) {
        c.errorAt(r, "required-property", name + " requires '" + r + "'");
      }
    }
    for (Rule r : rules) {
      r.check(v, c);
    }
  }

  /** Collects declarations in source order; see the registry for usage. */
  static final class Builder {
    private final String name;
    private final Map<String, Prop> props = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    Builder req(String property, Kind kind) {
      props.put(property, new Prop(property, kind, true));
      return this;
    }

    Builder opt(String property, Kind kind) {
      props.put(property, new Prop(property, kind, false));
      return this;
    }

    Builder rule(Rule rule) {
      rules.add(rule);
      return this;
    }

    Shape build() {
      return new Shape(name, props, rules.toArray(new Rule[0]));
    }
  }
}
