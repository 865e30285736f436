package org.entente.taxii;

/** Protocol constants of TAXII 2.1 shared by the server and the client. */
public final class Taxii {
  /** The one TAXII media type this node speaks; every response carries it. */
  public static final String MEDIA_TYPE = "application/taxii+json;version=2.1";

  /** How collections advertise their STIX content. */
  public static final String STIX_MEDIA_TYPE = "application/stix+json;version=2.1";

  public static final String DATE_ADDED_FIRST = "X-TAXII-Date-Added-First";
  public static final String DATE_ADDED_LAST = "X-TAXII-Date-Added-Last";

  /** Discovery lives at this path at the server root (TAXII 2.1 §4.1). */
  public static final String DISCOVERY_PATH = "/taxii2/";

  private Taxii() {}
}
