package org.entente.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.entente.stix.marking.Tlp;
import org.entente.store.Entry;
import org.entente.store.ObjectQuery;
import org.entente.store.SpecVersions;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;

/**
 * The SELECT for one page of collection entries. Filters are ANDed; the version and spec-version
 * rules use the maintained flags when the spec version is the default (newest), so that the default
 * query is a range scan of a partial index, and correlated MIN/MAX subqueries when spec versions
 * are listed.
 *
 * @param sql the statement text (stable for equal filter shapes, so the driver can cache it)
 * @param params its parameters in order
 */
public record EntryPageSql(String sql, List<Object> params) {

  public static final String COLUMNS =
      "e.seq, e.id, e.type, v.version, e.spec_version, e.date_added, e.producer_org, e.tlp_rank";

  /** What the PostgreSQL form selects from collection_entry before joining the bodies. */
  private static final String ENTRY_COLUMNS =
      "e.seq, e.id, e.type, e.version_key, e.spec_version, e.date_added, e.producer_org,"
          + " e.tlp_rank";

  private static final String JOIN_VERSION =
      " JOIN object_version v ON v.id = e.id AND v.version_key = e.version_key";

  /**
   * The page query: entries of the collection with seq &gt; afterSeq matching the filters, in seq
   * order, at most limit + 1 rows (the extra row tells whether there is more).
   *
   * @param allVisible whether the reader's visibility hides no entry of the collection (its ceiling
   *     is at or above the collection's TLP high-water mark): the maintained first/last flags then
   *     describe what it sees, and the visibility predicate only guards
   */
  public static EntryPageSql of(
      Dialect dialect, ObjectQuery query, long collectionPk, long afterSeq, boolean allVisible) {
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS);
    if (query.withJson()) {
      sql.append(", v.json");
    }
    if (!query.visibility().seesEverything()) {
      // The collection's TLP high-water mark, read in the same statement (the same snapshot) as
      // the rows: it tells whether a page planned as "hides nothing" was planned rightly.
      sql.append(", (SELECT c.max_tlp_rank FROM collection c WHERE c.pk = ?)");
      params.add(collectionPk);
    }
    boolean postgres = dialect == Dialect.POSTGRESQL;
    if (postgres) {
      // The entries of the page first, the bodies joined to those rows alone. Given the join
      // whole, PostgreSQL's planner, once its statistics say the collection is large, would hash
      // join it with a sequential scan of object_version: every page, the first one above all,
      // then read the whole object table (a soak's paging fell from 70,000 to 20,000 objects/s
      // at its first ANALYZE; PERFORMANCE.md).
      sql.append(" FROM (SELECT ").append(ENTRY_COLUMNS);
    }
    sql.append(" FROM collection_entry e");
    if (dialect == Dialect.SQLITE && !query.ids().isEmpty()) {
      // Without statistics SQLite prefers walking the seq index (no sort) and filtering by id,
      // which reads the whole collection for an object lookup. A few ids are always the more
      // selective choice: seek them, then sort their few versions.
      sql.append(" INDEXED BY entry_collection_object");
    }
    if (!postgres) {
      sql.append(JOIN_VERSION);
    }
    sql.append(" WHERE e.collection_pk = ? AND e.seq > ?");
    params.add(collectionPk);
    params.add(afterSeq);
    if (!query.ids().isEmpty()) {
      sql.append(" AND ").append(in("e.id", query.ids(), params));
    }
    if (!query.types().isEmpty()) {
      sql.append(" AND ").append(in("e.type", query.types(), params));
    }
    Visibility visibility = query.visibility();
    if (visibility.seesEverything()) {
      sql.append(" AND ")
          .append(versionPredicate(dialect, query.versions(), query.specVersions(), params));
    } else if (allVisible) {
      sql.append(" AND ").append(visible("e", visibility, params));
      sql.append(" AND ")
          .append(versionPredicate(dialect, query.versions(), query.specVersions(), params));
    } else {
      sql.append(" AND ").append(visible("e", visibility, params));
      sql.append(" AND ")
          .append(
              restrictedVersionPredicate(
                  query.versions(), query.specVersions(), visibility, params));
    }
    boolean ordered = !atMostOneRow(query);
    if (ordered) {
      sql.append(" ORDER BY e.seq");
    }
    sql.append(" LIMIT ?");
    params.add(query.limit() + 1);
    if (postgres) {
      sql.append(") e").append(JOIN_VERSION);
      if (ordered) {
        sql.append(" ORDER BY e.seq");
      }
    }
    return new EntryPageSql(sql.toString(), List.copyOf(params));
  }

  /**
   * One id, newest spec version, and only its first or only its last version: the maintained flag
   * marks exactly one entry, so the sort (a temporary B-tree for the rows of an id) is not needed.
   * This is GET objects/{id}/, the most frequent single-object request.
   */
  private static boolean atMostOneRow(ObjectQuery query) {
    VersionSelector v = query.versions();
    return query.ids().size() == 1
        && query.specVersions().newestOnly()
        && !v.all()
        && v.exact().isEmpty()
        && v.first() != v.last();
  }

  private static String versionPredicate(
      Dialect dialect, VersionSelector versions, SpecVersions specVersions, List<Object> params) {
    List<String> terms = new ArrayList<>();
    if (specVersions.newestOnly()) {
      if (versions.all()) {
        return dialect.isSet("e.newest_spec");
      }
      if (versions.first()) {
        terms.add(dialect.isSet("e.first_of_newest"));
      }
      if (versions.last()) {
        terms.add(dialect.isSet("e.last_of_newest"));
      }
      if (!versions.exact().isEmpty()) {
        terms.add(
            "("
                + dialect.isSet("e.newest_spec")
                + " AND "
                + in("e.version_key", versions.exact(), params)
                + ")");
      }
      return or(terms);
    }
    String specFilter = in("e.spec_version", specVersions.listed(), params);
    if (versions.all()) {
      return specFilter;
    }
    // first/last among this object's entries in the collection that pass the spec filter,
    // whatever added_after or the cursor say.
    if (versions.first()) {
      terms.add("e.version_key = " + extreme("MIN", specVersions, params));
    }
    if (versions.last()) {
      terms.add("e.version_key = " + extreme("MAX", specVersions, params));
    }
    if (!versions.exact().isEmpty()) {
      terms.add(in("e.version_key", versions.exact(), params));
    }
    return specFilter + " AND " + or(terms);
  }

  /**
   * The sharing policy's predicate for one entry alias: the reader's organisation put it there (or
   * posted the same version too), or its TLP is within the reader's ceiling (-1 when the reader has
   * none).
   */
  public static String visible(String alias, Visibility visibility, List<Object> params) {
    params.add(visibility.organisation());
    params.add(visibility.ceilingRank());
    params.add(visibility.organisation());
    return predicate(alias);
  }

  /** {@link #visible} for alias {@code e}; parameters: organisation, ceiling rank, organisation. */
  public static final String VISIBLE_E = predicate("e");

  private static String predicate(String a) {
    // The co-producer probe runs only for entries neither test already admits.
    return "("
        + a
        + ".producer_org = ? OR "
        + a
        + ".tlp_rank <= ? OR EXISTS (SELECT 1 FROM entry_producer p WHERE p.seq = "
        + a
        + ".seq AND p.organisation = ?))";
  }

  /**
   * The version rules when some entries are hidden: the maintained flags describe all entries, so
   * the newest spec version and first/last are decided here among the visible entries alone, with
   * NOT EXISTS probes of the (collection, id, version) index. A hidden newer version must not make
   * the older visible one stop being "last", nor reveal itself by its absence.
   */
  private static String restrictedVersionPredicate(
      VersionSelector versions,
      SpecVersions specVersions,
      Visibility visibility,
      List<Object> params) {
    List<String> terms = new ArrayList<>();
    String spec;
    String sameSpec;
    if (specVersions.newestOnly()) {
      spec = "NOT EXISTS (" + sibling(visibility, params) + " AND x.spec_version > e.spec_version)";
      sameSpec = "x.spec_version = e.spec_version";
    } else {
      spec = in("e.spec_version", specVersions.listed(), params);
      sameSpec = null;
    }
    if (versions.all()) {
      return spec;
    }
    if (versions.first()) {
      terms.add(noSiblingBeyond("<", sameSpec, specVersions, visibility, params));
    }
    if (versions.last()) {
      terms.add(noSiblingBeyond(">", sameSpec, specVersions, visibility, params));
    }
    if (!versions.exact().isEmpty()) {
      terms.add(in("e.version_key", versions.exact(), params));
    }
    return spec + " AND " + or(terms);
  }

  /** The start of a subquery over the visible entries of the same object in the collection. */
  private static String sibling(Visibility visibility, List<Object> params) {
    return "SELECT 1 FROM collection_entry x WHERE x.collection_pk = e.collection_pk"
        + " AND x.id = e.id AND "
        + visible("x", visibility, params);
  }

  private static String noSiblingBeyond(
      String direction,
      String sameSpec,
      SpecVersions specVersions,
      Visibility visibility,
      List<Object> params) {
    StringBuilder sub = new StringBuilder("NOT EXISTS (").append(sibling(visibility, params));
    sub.append(" AND ")
        .append(sameSpec != null ? sameSpec : in("x.spec_version", specVersions.listed(), params));
    sub.append(" AND x.version_key ").append(direction).append(" e.version_key)");
    return sub.toString();
  }

  private static String extreme(String function, SpecVersions specVersions, List<Object> params) {
    return "(SELECT "
        + function
        + "(x.version_key) FROM collection_entry x"
        + " WHERE x.collection_pk = e.collection_pk AND x.id = e.id AND "
        + in("x.spec_version", specVersions.listed(), params)
        + ")";
  }

  private static String or(List<String> terms) {
    return terms.size() == 1 ? terms.get(0) : "(" + String.join(" OR ", terms) + ")";
  }

  /** "column = ?" or "column IN (?, ...)", binding the values in a stable (sorted) order. */
  private static String in(String column, Set<String> values, List<Object> params) {
    Set<String> sorted = new TreeSet<>(values);
    params.addAll(sorted);
    if (sorted.size() == 1) {
      return column + " = ?";
    }
    return column + " IN (" + String.join(", ", Collections.nCopies(sorted.size(), "?")) + ")";
  }

  private static final Tlp[] TLP_BY_RANK = Tlp.values();

  /** Producers-only entries (federated AMBER and AMBER+STRICT) report the stricter level. */
  public static Tlp tlpOfRank(int rank) {
    return rank < TLP_BY_RANK.length ? TLP_BY_RANK[rank] : Tlp.AMBER_STRICT;
  }

  /** The entry of a row whose first columns are {@link #COLUMNS}, then the JSON if asked. */
  public static Entry entry(ResultSet rs, boolean withJson) throws SQLException {
    return new Entry(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        Sql.fromMicros(rs.getLong(6)),
        rs.getString(7),
        tlpOfRank(rs.getInt(8)),
        // The stored text's UTF-8 bytes, served as they are: no String in between.
        withJson ? rs.getBytes(9) : null);
  }
}
