package org.entente.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.entente.stix.StixJson;
import org.entente.stix.StixTimestamp;

/** The STIX identity object that stands for an organisation in {@code created_by_ref}. */
public final class OrganisationIdentity {
  private OrganisationIdentity() {}

  /** A fresh identity id. */
  public static String newId() {
    return "identity--" + UUID.randomUUID();
  }

  /**
   * An identity of class organization.
   *
   * @param country ISO 3166-1 alpha-2, or null; kept as {@code x_entente_country} (STIX 2.1 has no
   *     country property on identity; a location would need an object of its own)
   * @param sectors industry-sector-ov values; may be empty
   * @param description may be null
   */
  public static ObjectNode of(
      String id,
      String name,
      String country,
      List<String> sectors,
      String description,
      Instant created) {
    String ts = StixTimestamp.of(created, 3).text();
    ObjectNode o = StixJson.mapper().createObjectNode();
    o.put("type", "identity");
    o.put("spec_version", "2.1");
    o.put("id", id);
    o.put("created", ts);
    o.put("modified", ts);
    o.put("name", name);
    if (description != null && !description.isBlank()) {
      o.put("description", description);
    }
    o.put("identity_class", "organization");
    if (!sectors.isEmpty()) {
      ArrayNode a = o.putArray("sectors");
      sectors.forEach(a::add);
    }
    if (country != null) {
      o.put("x_entente_country", country);
    }
    return o;
  }
}
