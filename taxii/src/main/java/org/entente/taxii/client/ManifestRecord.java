package org.entente.taxii.client;

/** One manifest-record (§5.3.1): one version of one object in a collection. */
public record ManifestRecord(String id, String dateAdded, String version, String mediaType) {}
