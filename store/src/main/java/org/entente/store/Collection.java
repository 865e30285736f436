package org.entente.store;

import java.time.Instant;

/**
 * A TAXII collection: a distribution channel inside an API root.
 *
 * @param id a UUIDv4
 * @param alias optional URL alias, unique within its API root
 * @param defaultTlp the TLP level assumed for unmarked objects (e.g. "amber")
 */
public record Collection(
    String id,
    String apiRoot,
    String title,
    String description,
    String alias,
    String defaultTlp,
    Instant created) {}
