package org.entente.taxii.client;

import java.util.List;

/** One page of an object's versions (§5.8.1), with the page's X-TAXII-Date-Added headers. */
public record Versions(
    boolean more,
    String next,
    List<String> versions,
    String dateAddedFirst,
    String dateAddedLast) {}
