package org.entente.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.entente.stix.marking.Tlp;

/**
 * One object version as it stands in a collection.
 *
 * @param seq the store-wide monotonic sequence number (pagination cursor)
 * @param version the TAXII version string (modified, created, or server-assigned)
 * @param producerOrg the organisation on whose behalf this entry was added to the collection
 * @param tlp the level the entry is shared under (its markings, else the collection default)
 * @param jsonUtf8 the stored JSON text as UTF-8 bytes, or null when the query did not ask for
 *     bodies: what a server writes out as it is (do not modify the array)
 */
public record Entry(
    long seq,
    String id,
    String type,
    String version,
    String specVersion,
    Instant dateAdded,
    String producerOrg,
    Tlp tlp,
    byte[] jsonUtf8) {

  /** The stored JSON text, or null when the query did not ask for bodies. */
  public String json() {
    return jsonUtf8 == null ? null : new String(jsonUtf8, StandardCharsets.UTF_8);
  }

  /** Equal fields and equal JSON bytes (a record alone would compare the arrays by identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && seq == e.seq
        && Objects.equals(id, e.id)
        && Objects.equals(type, e.type)
        && Objects.equals(version, e.version)
        && Objects.equals(specVersion, e.specVersion)
        && Objects.equals(dateAdded, e.dateAdded)
        && Objects.equals(producerOrg, e.producerOrg)
        && tlp == e.tlp
        && Arrays.equals(jsonUtf8, e.jsonUtf8);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seq, id, type, version, specVersion, dateAdded, producerOrg, tlp)
        + 31 * Arrays.hashCode(jsonUtf8);
  }

  @Override
  public String toString() {
    return "Entry[seq="
        + seq
        + ", id="
        + id
        + ", type="
        + type
        + ", version="
        + version
        + ", specVersion="
        + specVersion
        + ", dateAdded="
        + dateAdded
        + ", producerOrg="
        + producerOrg
        + ", tlp="
        + tlp
        + ", json="
        + json()
        + "]";
  }
}
