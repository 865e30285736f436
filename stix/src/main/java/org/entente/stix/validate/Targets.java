package org.entente.stix.validate;

import java.util.Set;

/** Which object types a {@code _ref}/{@code _refs} property may point at. */
final class Targets {
  static final Set<String> SDOS =
      Set.of(
          "attack-pattern",
          "campaign",
          "course-of-action",
          "grouping",
          "identity",
          "incident",
          "indicator",
          "infrastructure",
          "intrusion-set",
          "location",
          "malware",
          "malware-analysis",
          "note",
          "observed-data",
          "opinion",
          "report",
          "threat-actor",
          "tool",
          "vulnerability");
  static final Set<String> SROS = Set.of("relationship", "sighting");
  static final Set<String> SCOS =
      Set.of(
          "artifact",
          "autonomous-system",
          "directory",
          "domain-name",
          "email-addr",
          "email-message",
          "file",
          "ipv4-addr",
          "ipv6-addr",
          "mac-addr",
          "mutex",
          "network-traffic",
          "process",
          "software",
          "url",
          "user-account",
          "windows-registry-key",
          "x509-certificate");
  static final Set<String> META =
      Set.of("marking-definition", "language-content", "extension-definition");

  static final Targets ANY = new Targets(Set.of("bundle"), true, false, "any STIX object");
  static final Targets ANY_SDO = new Targets(SDOS, false, true, "an SDO");
  static final Targets ANY_SCO = new Targets(SCOS, false, true, "an SCO");
  static final Targets SCO_OR_SRO = new Targets(union(SCOS, SROS), false, true, "an SCO or SRO");
  static final Targets OBJECT_REFS =
      new Targets(union(SDOS, SROS, SCOS), false, true, "an SDO, SRO or SCO");

  private final Set<String> types;
  private final boolean excluded;
  private final boolean customAllowed;
  private final String description;

  private Targets(Set<String> types, boolean excluded, boolean customAllowed, String description) {
    this.types = types;
    this.excluded = excluded;
    this.customAllowed = customAllowed;
    this.description = description;
  }

  /** Exactly these standard types. */
  static Targets of(String... types) {
    return new Targets(Set.of(types), false, false, String.join(" or ", types));
  }

  /** Any type but these. */
  static Targets anyExcept(String... types) {
    return new Targets(
        Set.of(types), true, true, "an object that is not " + String.join(", ", types));
  }

  static boolean isStandard(String type) {
    return SDOS.contains(type)
        || SCOS.contains(type)
        || SROS.contains(type)
        || META.contains(type)
        || type.equals("bundle");
  }

  boolean allows(String type) {
    if (excluded) {
      return !types.contains(type);
    }
    return types.contains(type) || (customAllowed && !isStandard(type));
  }

  String description() {
    return description;
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    var all = new java.util.HashSet<String>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }
}
