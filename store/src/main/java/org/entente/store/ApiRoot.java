package org.entente.store;

/**
 * A TAXII API root.
 *
 * @param path the URL path segment under the server root (e.g. {@code api1})
 * @param maxContentLength largest POST body accepted, in bytes
 */
public record ApiRoot(String path, String title, String description, long maxContentLength) {}
