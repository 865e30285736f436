package org.entente.taxii.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.stix.StixJson;

/** Valid STIX 2.1 objects for tests. */
public final class Samples {
  private Samples() {}

  /** A deterministic UUIDv4-shaped suffix. */
  public static String uuid(long n) {
    return String.format("%08x-0000-4000-8000-%012x", n & 0xffffffffL, n);
  }

  public static String indicatorId(long n) {
    return "indicator--" + uuid(n);
  }

  public static ObjectNode indicator(long n) {
    return indicator(indicatorId(n), "2024-01-01T00:00:00.000Z", "indicator " + n);
  }

  public static ObjectNode indicator(String id, String modified, String name) {
    return (ObjectNode)
        StixJson.parse(
            "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\""
                + id
                + "\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\""
                + modified
                + "\",\"name\":\""
                + name
                + "\",\"indicator_types\":[\"malicious-activity\"]"
                + ",\"pattern\":\"[ipv4-addr:value = '198.51.100.7']\",\"pattern_type\":\"stix\""
                + ",\"valid_from\":\"2024-01-01T00:00:00Z\"}");
  }

  public static ObjectNode malware(long n) {
    return (ObjectNode)
        StixJson.parse(
            "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"malware--"
                + uuid(n)
                + "\",\"created\":\"2024-01-01T00:00:00.000Z\""
                + ",\"modified\":\"2024-01-01T00:00:00.000Z\""
                + ",\"name\":\"malware "
                + n
                + "\",\"is_family\":true,\"malware_types\":[\"trojan\"]}");
  }

  /** An SCO: it has neither created nor modified. */
  public static ObjectNode ipv4(long n, String value) {
    return (ObjectNode)
        StixJson.parse(
            "{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"ipv4-addr--"
                + uuid(n)
                + "\",\"value\":\""
                + value
                + "\"}");
  }
}
