package org.entente.taxii.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.entente.stix.StixTimestamp;
import org.entente.store.SpecVersions;
import org.entente.store.VersionSelector;

/**
 * The TAXII 2.1 query parameters of one request (§3.4), checked: anything malformed is a 400.
 *
 * @param limit the page size after capping at the server maximum
 * @param next the raw {@code next} cursor, or null
 */
record Filters(
    Instant addedAfter,
    int limit,
    String next,
    Set<String> ids,
    Set<String> types,
    VersionSelector versions,
    SpecVersions specVersions) {

  /** Which endpoint the parameters are for: each defines its own match fields. */
  enum Kind {
    OBJECTS(Set.of("id", "type", "version", "spec_version"), true, VersionSelector.LAST),
    MANIFEST(Set.of("id", "type", "version", "spec_version"), true, VersionSelector.LAST),
    OBJECT(Set.of("version", "spec_version"), true, VersionSelector.LAST),
    VERSIONS(Set.of("spec_version"), true, VersionSelector.ALL),
    // Deleting "an object" without match[version] removes every version of it: after a 200
    // DELETE, getting the object MUST give 404 (§5.7), which "last only" would not.
    DELETE(Set.of("version", "spec_version"), false, VersionSelector.ALL);

    final Set<String> matchFields;
    final boolean paged;
    final VersionSelector defaultVersions;

    Kind(Set<String> matchFields, boolean paged, VersionSelector defaultVersions) {
      this.matchFields = matchFields;
      this.paged = paged;
      this.defaultVersions = defaultVersions;
    }
  }

  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern SPEC_VERSION = Pattern.compile("[0-9]+\\.[0-9]+");
  private static final Pattern NO_SPACE = Pattern.compile("\\S+");

  Filters {
    ids = Set.copyOf(ids);
    types = Set.copyOf(types);
  }

  /**
   * Reads the parameters for an endpoint. Parameters the endpoint does not define, and unknown
   * {@code match[...]} fields, are ignored (§3.4 lets servers ignore them); a parameter given twice
   * is a 400, because the spec allows each at most once.
   */
  static Filters parse(
      Map<String, List<String>> params, Kind kind, int defaultLimit, int maxLimit) {
    for (var e : params.entrySet()) {
      if (e.getValue().size() > 1 && (isPaging(e.getKey()) || e.getKey().startsWith("match["))) {
        throw TaxiiError.badFilter(e.getKey(), "given more than once");
      }
    }
    Instant addedAfter = null;
    int limit = defaultLimit;
    String next = null;
    if (kind.paged) {
      String v = single(params, "added_after");
      if (v != null) {
        addedAfter = timestamp("added_after", v).instant();
      }
      v = single(params, "limit");
      if (v != null) {
        limit = limit(v, maxLimit);
      }
      next = single(params, "next");
    }
    Set<String> ids = Set.of();
    Set<String> types = Set.of();
    VersionSelector versions = kind.defaultVersions;
    SpecVersions specVersions = SpecVersions.NEWEST;
    if (kind.matchFields.contains("id")) {
      ids = list(params, "match[id]");
    }
    if (kind.matchFields.contains("type")) {
      types = list(params, "match[type]");
    }
    if (kind.matchFields.contains("version")) {
      String v = single(params, "match[version]");
      if (v != null) {
        versions = versions(v);
      }
    }
    if (kind.matchFields.contains("spec_version")) {
      Set<String> listed = list(params, "match[spec_version]");
      for (String s : listed) {
        if (!SPEC_VERSION.matcher(s).matches()) {
          throw TaxiiError.badFilter(
              "match[spec_version]", "'" + s + "' is not a version like 2.1");
        }
      }
      specVersions = new SpecVersions(listed);
    }
    return new Filters(addedAfter, limit, next, ids, types, versions, specVersions);
  }

  /**
   * The filters in a fixed textual form: a {@code next} cursor is bound to it, so that a cursor
   * sent with other filters is refused. {@code limit} is left out on purpose: a client may change
   * its page size while paging.
   */
  String canonical() {
    StringBuilder b = new StringBuilder();
    b.append("added_after=").append(addedAfter == null ? "" : StixTimestamp.sortKey(addedAfter));
    b.append("|id=").append(String.join(",", new TreeSet<>(ids)));
    b.append("|type=").append(String.join(",", new TreeSet<>(types)));
    b.append("|version=");
    if (versions.all()) {
      b.append("all");
    } else {
      List<String> parts = new ArrayList<>();
      if (versions.first()) {
        parts.add("first");
      }
      if (versions.last()) {
        parts.add("last");
      }
      parts.addAll(new TreeSet<>(versions.exact()));
      b.append(String.join(",", parts));
    }
    b.append("|spec_version=").append(String.join(",", new TreeSet<>(specVersions.listed())));
    return b.toString();
  }

  private static boolean isPaging(String name) {
    return name.equals("added_after") || name.equals("limit") || name.equals("next");
  }

  private static String single(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    String v = values.get(0);
    if (v.isEmpty()) {
      throw TaxiiError.badFilter(name, "has no value");
    }
    return v;
  }

  private static Set<String> list(Map<String, List<String>> params, String name) {
    String v = single(params, name);
    if (v == null) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String item : v.split(",", -1)) {
      if (item.isEmpty()) {
        throw TaxiiError.badFilter(name, "has an empty item in its comma-separated list");
      }
      if (!NO_SPACE.matcher(item).matches()) {
        throw TaxiiError.badFilter(name, "items are separated by commas without spaces");
      }
      out.add(item);
    }
    return out;
  }

  private static StixTimestamp timestamp(String name, String v) {
    try {
      return StixTimestamp.parse(v);
    } catch (IllegalArgumentException e) {
      throw TaxiiError.badFilter(
          name, "'" + v + "' is not a timestamp like 2016-01-01T01:01:01.000000Z");
    }
  }

  private static int limit(String v, int max) {
    if (!DIGITS.matcher(v).matches()) {
      throw TaxiiError.badFilter("limit", "must be a positive integer");
    }
    String digits = v.replaceFirst("^0+", "");
    if (digits.isEmpty()) {
      throw TaxiiError.badFilter("limit", "must be greater than 0");
    }
    // Anything longer than 9 digits is above every page size we would serve: cap it.
    if (digits.length() > 9) {
      return max;
    }
    return Math.min(Integer.parseInt(digits), max);
  }

  private static VersionSelector versions(String v) {
    boolean all = false;
    boolean first = false;
    boolean last = false;
    Set<String> exact = new LinkedHashSet<>();
    String[] items = v.split(",", -1);
    for (String item : items) {
      if (item.isEmpty()) {
        throw TaxiiError.badFilter("match[version]", "has an empty item");
      }
      boolean fresh;
      switch (item) {
        case "all" -> {
          fresh = !all;
          all = true;
        }
        case "first" -> {
          fresh = !first;
          first = true;
        }
        case "last" -> {
          fresh = !last;
          last = true;
        }
        default -> {
          String key = timestamp("match[version]", item).sortKey();
          fresh = exact.add(key);
        }
      }
      if (!fresh) {
        throw TaxiiError.badFilter("match[version]", "'" + item + "' is given more than once");
      }
    }
    if (all && items.length > 1) {
      throw TaxiiError.badFilter("match[version]", "'all' cannot be combined with other values");
    }
    return new VersionSelector(all, first, last, exact);
  }
}
