package org.entente.store;

import java.time.Instant;

/**
 * One object version as it stands in a collection.
 *
 * @param seq the store-wide monotonic sequence number (pagination cursor)
 * @param version the TAXII version string (modified, created, or server-assigned)
 * @param producerOrg the organisation on whose behalf this entry was added to the collection
 * @param json the stored JSON text, or null when the query did not ask for bodies
 */
public record Entry(
    long seq,
    String id,
    String type,
    String version,
    String specVersion,
    Instant dateAdded,
    String producerOrg,
    String json) {}
