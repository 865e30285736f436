package org.entente.store;

import java.util.List;

/**
 * An organisation the node knows: its own (the home organisation) or a partner's. Each is
 * represented in STIX by an identity object.
 *
 * @param identityId the id of its STIX identity
 * @param country ISO 3166-1 alpha-2 code, or null
 * @param sectors STIX industry-sector-ov values
 * @param identityJson its STIX identity object, or null when only the id is known
 */
public record Organisation(
    String name,
    String identityId,
    String country,
    boolean home,
    List<String> sectors,
    String identityJson) {
  public Organisation {
    sectors = sectors == null ? List.of() : List.copyOf(sectors);
  }

  public Organisation(String name, String identityId, String country, boolean home) {
    this(name, identityId, country, home, List.of(), null);
  }
}
