package org.entente.stix.validate;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The relationship types the spec defines per source type ("Relationships" of each SDO). Others are
 * allowed; {@link #isSuggested} drives a SHOULD warning only.
 */
final class Relationships {
  private Relationships() {}

  private static final String ANY_SCO = "<any-sco>";
  private static final Map<String, Map<String, Set<String>>> TABLE = new HashMap<>();

  private static void def(String source, String type, String... targets) {
    TABLE.computeIfAbsent(source, k -> new HashMap<>()).put(type, Set.of(targets));
  }

  static {
    def("attack-pattern", "delivers", "malware");
    def("attack-pattern", "targets", "identity", "location", "vulnerability");
    def("attack-pattern", "uses", "malware", "tool");

    def("campaign", "attributed-to", "intrusion-set", "threat-actor");
    def("campaign", "compromises", "infrastructure");
    def("campaign", "originates-from", "location");
    def("campaign", "targets", "identity", "location", "vulnerability");
    def("campaign", "uses", "attack-pattern", "infrastructure", "malware", "tool");

    def("course-of-action", "investigates", "indicator");
    def(
        "course-of-action",
        "mitigates",
        "attack-pattern",
        "indicator",
        "malware",
        "tool",
        "vulnerability");
    def("course-of-action", "remediates", "malware", "vulnerability");

    def("identity", "located-at", "location");

    def(
        "indicator",
        "indicates",
        "attack-pattern",
        "campaign",
        "infrastructure",
        "intrusion-set",
        "malware",
        "threat-actor",
        "tool");
    def("indicator", "based-on", "observed-data");

    def(
        "infrastructure",
        "communicates-with",
        "infrastructure",
        "ipv4-addr",
        "ipv6-addr",
        "domain-name",
        "url");
    def("infrastructure", "consists-of", "infrastructure", "observed-data", ANY_SCO);
    def("infrastructure", "controls", "infrastructure", "malware");
    def("infrastructure", "delivers", "malware");
    def("infrastructure", "has", "vulnerability");
    def("infrastructure", "hosts", "tool", "malware");
    def("infrastructure", "located-at", "location");
    def("infrastructure", "uses", "infrastructure");

    def("intrusion-set", "attributed-to", "threat-actor");
    def("intrusion-set", "compromises", "infrastructure");
    def("intrusion-set", "hosts", "infrastructure");
    def("intrusion-set", "owns", "infrastructure");
    def("intrusion-set", "originates-from", "location");
    def("intrusion-set", "targets", "identity", "location", "vulnerability");
    def("intrusion-set", "uses", "attack-pattern", "infrastructure", "malware", "tool");

    def("malware", "authored-by", "threat-actor", "intrusion-set");
    def("malware", "beacons-to", "infrastructure");
    def("malware", "exfiltrates-to", "infrastructure");
    def("malware", "communicates-with", "ipv4-addr", "ipv6-addr", "domain-name", "url");
    def("malware", "controls", "malware");
    def("malware", "downloads", "malware", "tool", "file");
    def("malware", "drops", "malware", "tool", "file");
    def("malware", "exploits", "vulnerability");
    def("malware", "originates-from", "location");
    def("malware", "targets", "identity", "infrastructure", "location", "vulnerability");
    def("malware", "uses", "attack-pattern", "infrastructure", "malware", "tool");
    def("malware", "variant-of", "malware");

    // The errata renamed analysis-of; the validator still knows the old name, so accept both.
    def("malware-analysis", "characterizes", "malware");
    def("malware-analysis", "analysis-of", "malware");
    def("malware-analysis", "av-analysis-of", "malware");
    def("malware-analysis", "static-analysis-of", "malware");
    def("malware-analysis", "dynamic-analysis-of", "malware");

    def("threat-actor", "attributed-to", "identity");
    def("threat-actor", "compromises", "infrastructure");
    def("threat-actor", "hosts", "infrastructure");
    def("threat-actor", "owns", "infrastructure");
    def("threat-actor", "impersonates", "identity");
    def("threat-actor", "located-at", "location");
    def("threat-actor", "targets", "identity", "location", "vulnerability");
    def("threat-actor", "uses", "attack-pattern", "infrastructure", "malware", "tool");

    def("tool", "delivers", "malware");
    def("tool", "drops", "malware");
    def("tool", "has", "vulnerability");
    def("tool", "targets", "identity", "infrastructure", "location", "vulnerability");
    def("tool", "uses", "infrastructure");

    def("domain-name", "resolves-to", "domain-name", "ipv4-addr", "ipv6-addr");
    def("ipv4-addr", "resolves-to", "mac-addr");
    def("ipv4-addr", "belongs-to", "autonomous-system");
    def("ipv6-addr", "resolves-to", "mac-addr");
    def("ipv6-addr", "belongs-to", "autonomous-system");
  }

  /**
   * Whether the spec defines {@code type} between these standard types. Pairs involving a custom
   * type are never questioned.
   */
  static boolean isSuggested(String sourceType, String type, String targetType) {
    if (!Targets.isStandard(sourceType) || !Targets.isStandard(targetType)) {
      return true;
    }
    switch (type) {
      case "related-to":
        return true;
      case "derived-from":
      case "duplicate-of":
        return sourceType.equals(targetType);
      default:
        break;
    }
    Map<String, Set<String>> bySource = TABLE.get(sourceType);
    Set<String> targets = bySource == null ? null : bySource.get(type);
    if (targets == null) {
      return false;
    }
    return targets.contains(targetType)
        || (targets.contains(ANY_SCO) && Targets.SCOS.contains(targetType));
  }
}
