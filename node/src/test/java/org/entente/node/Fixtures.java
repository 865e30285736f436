package org.entente.node;

import java.util.UUID;

/** Self-made STIX objects for node tests (no shared data needed). */
final class Fixtures {
  private Fixtures() {}

  static String indicatorId() {
    return "indicator--" + UUID.randomUUID();
  }

  static String indicator(String id, String ip) {
    return """
        {"type":"indicator","spec_version":"2.1","id":"%s",\
        "created":"2026-11-27T10:00:00.000Z","modified":"2026-11-27T10:00:00.000Z",\
        "name":"C2 %s","pattern":"[ipv4-addr:value = '%s']","pattern_type":"stix",\
        "valid_from":"2026-11-27T10:00:00Z","x_entente_test":{"n":1.50}}"""
        .formatted(id, ip, ip);
  }

  static String envelope(Iterable<String> objects) {
    return "{\"objects\":[" + String.join(",", objects) + "]}";
  }
}
