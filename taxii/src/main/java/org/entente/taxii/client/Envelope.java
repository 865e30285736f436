package org.entente.taxii.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of objects (a TAXII envelope) with the page's X-TAXII-Date-Added headers.
 *
 * @param next the cursor for the following page, or null
 * @param dateAddedFirst {@code X-TAXII-Date-Added-First}, or null when absent
 * @param dateAddedLast {@code X-TAXII-Date-Added-Last}, or null when absent
 */
public record Envelope(
    boolean more,
    String next,
    List<JsonNode> objects,
    String dateAddedFirst,
    String dateAddedLast) {}
