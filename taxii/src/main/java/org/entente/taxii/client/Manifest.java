package org.entente.taxii.client;

import java.util.List;

/** One page of a collection manifest, with the page's X-TAXII-Date-Added headers. */
public record Manifest(
    boolean more,
    String next,
    List<ManifestRecord> records,
    String dateAddedFirst,
    String dateAddedLast) {}
