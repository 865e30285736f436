package org.entente.taxii.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * TAXII 2.1 filter parameters for listing endpoints; unset parts are not sent. Immutable: each
 * {@code with...} returns a copy.
 *
 * @param addedAfter {@code added_after} timestamp, or null
 * @param limit {@code limit}, or null for the server's default
 * @param next {@code next} cursor from the previous page, or null
 */
public record Query(
    String addedAfter,
    Integer limit,
    String next,
    List<String> ids,
    List<String> types,
    List<String> versions,
    List<String> specVersions) {

  private static final Query NONE =
      new Query(null, null, null, List.of(), List.of(), List.of(), List.of());

  public Query {
    ids = List.copyOf(ids);
    types = List.copyOf(types);
    versions = List.copyOf(versions);
    specVersions = List.copyOf(specVersions);
  }

  /** No filters: the server's defaults (latest versions, newest spec version, first page). */
  public static Query none() {
    return NONE;
  }

  public Query withAddedAfter(String timestamp) {
    return new Query(timestamp, limit, next, ids, types, versions, specVersions);
  }

  public Query withLimit(int n) {
    return new Query(addedAfter, n, next, ids, types, versions, specVersions);
  }

  public Query withNext(String cursor) {
    return new Query(addedAfter, limit, cursor, ids, types, versions, specVersions);
  }

  public Query withIds(String... v) {
    return new Query(addedAfter, limit, next, List.of(v), types, versions, specVersions);
  }

  public Query withTypes(String... v) {
    return new Query(addedAfter, limit, next, ids, List.of(v), versions, specVersions);
  }

  /** {@code first}, {@code last}, {@code all} or exact timestamps. */
  public Query withVersions(String... v) {
    return new Query(addedAfter, limit, next, ids, types, List.of(v), specVersions);
  }

  public Query withSpecVersions(String... v) {
    return new Query(addedAfter, limit, next, ids, types, versions, List.of(v));
  }

  /** The query string without '?', brackets percent-encoded; empty when nothing is set. */
  String toQueryString() {
    List<String> parts = new ArrayList<>();
    add(parts, "added_after", addedAfter);
    add(parts, "limit", limit == null ? null : limit.toString());
    add(parts, "next", next);
    add(parts, "match[id]", join(ids));
    add(parts, "match[type]", join(types));
    add(parts, "match[version]", join(versions));
    add(parts, "match[spec_version]", join(specVersions));
    return String.join("&", parts);
  }

  private static String join(List<String> values) {
    return values.isEmpty() ? null : String.join(",", values);
  }

  private static void add(List<String> parts, String name, String value) {
    if (value != null) {
      parts.add(encode(name) + "=" + encode(value));
    }
  }

  private static String encode(String s) {
    // Commas separate match values and are legal in a query: keep them readable.
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2C", ",");
  }
}
