package org.entente.store.jdbc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.entente.store.SpecVersions;
import org.entente.store.VersionSelector;
import org.entente.store.WriteOutcome;

/**
 * The TAXII version rules applied to the entries that one collection holds for one object id: the
 * maintained first/last flags, and the selection a DELETE removes. The page query expresses the
 * same rules in SQL; the two must agree. Shared by the SQL backends (with the outcome messages), so
 * that both apply exactly the same rules.
 */
public final class ObjectEntries {

  /** Spec versions compare by their numeric parts ("2.0" &lt; "2.1" &lt; "2.10"). */
  public static final Comparator<String> SPEC_VERSION_ORDER = ObjectEntries::compareSpecVersions;

  /** One entry of the object in the collection. */
  public record Row(long seq, String versionKey, String specVersion, long dateAdded, Flags flags) {}

  /** The maintained flags of one entry (see collection_entry in the schema). */
  public record Flags(boolean newestSpec, boolean firstOfNewest, boolean lastOfNewest) {}

  /** The message of a DUPLICATE outcome for the organisation that had posted the version. */
  public static final String ALREADY_PRESENT = "Object already present in this collection";

  /**
   * A version received from a peer that the node already holds, in any collection: a node takes
   * each version once, so a ring or a mesh of nodes cannot circulate it.
   */
  public static final String ALREADY_HELD = "Object version already held by this node";

  private ObjectEntries() {}

  /** The CONFLICT outcome: the same id and version is stored with another body. */
  public static WriteOutcome conflict(String id, String version) {
    return new WriteOutcome(
        id,
        version,
        WriteOutcome.Kind.CONFLICT,
        "a different object with id "
            + id
            + " and version "
            + version
            + " is already stored; a changed object needs a new modified timestamp",
        null);
  }

  /** The flags every row should carry, by seq. */
  public static Map<Long, Flags> flags(List<Row> rows) {
    Map<Long, Flags> result = new HashMap<>();
    if (rows.isEmpty()) {
      return result;
    }
    String newest = newestSpecVersion(rows);
    String first = null;
    String last = null;
    for (Row r : rows) {
      if (r.specVersion().equals(newest)) {
        if (first == null || r.versionKey().compareTo(first) < 0) {
          first = r.versionKey();
        }
        if (last == null || r.versionKey().compareTo(last) > 0) {
          last = r.versionKey();
        }
      }
    }
    for (Row r : rows) {
      boolean newestSpec = r.specVersion().equals(newest);
      result.put(
          r.seq(),
          new Flags(
              newestSpec,
              newestSpec && r.versionKey().equals(first),
              newestSpec && r.versionKey().equals(last)));
    }
    return result;
  }

  /** The rows a TAXII DELETE with these filters removes. */
  public static List<Row> select(
      List<Row> rows, VersionSelector versions, SpecVersions specVersions) {
    List<Row> candidates = new ArrayList<>();
    String newest = rows.isEmpty() ? null : newestSpecVersion(rows);
    for (Row r : rows) {
      boolean specMatches =
          specVersions.newestOnly()
              ? r.specVersion().equals(newest)
              : specVersions.listed().contains(r.specVersion());
      if (specMatches) {
        candidates.add(r);
      }
    }
    if (versions.all()) {
      return candidates;
    }
    String first = null;
    String last = null;
    for (Row r : candidates) {
      if (first == null || r.versionKey().compareTo(first) < 0) {
        first = r.versionKey();
      }
      if (last == null || r.versionKey().compareTo(last) > 0) {
        last = r.versionKey();
      }
    }
    List<Row> selected = new ArrayList<>();
    for (Row r : candidates) {
      if ((versions.first() && r.versionKey().equals(first))
          || (versions.last() && r.versionKey().equals(last))
          || versions.exact().contains(r.versionKey())) {
        selected.add(r);
      }
    }
    return selected;
  }

  public static String newestSpecVersion(List<Row> rows) {
    String newest = null;
    for (Row r : rows) {
      if (newest == null || SPEC_VERSION_ORDER.compare(r.specVersion(), newest) > 0) {
        newest = r.specVersion();
      }
    }
    return newest;
  }

  private static int compareSpecVersions(String a, String b) {
    String[] pa = a.split("\\.");
    String[] pb = b.split("\\.");
    for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
      int c = comparePart(pa[i], pb[i]);
      if (c != 0) {
        return c;
      }
    }
    int c = Integer.compare(pa.length, pb.length);
    // Equal numerically but spelled differently ("2.1" vs "2.01"): still a total order.
    return c != 0 ? c : a.compareTo(b);
  }

  private static int comparePart(String a, String b) {
    boolean numeric = !a.isEmpty() && !b.isEmpty() && isDigits(a) && isDigits(b);
    if (!numeric) {
      return a.compareTo(b);
    }
    String ta = a.replaceFirst("^0+(?=.)", "");
    String tb = b.replaceFirst("^0+(?=.)", "");
    int c = Integer.compare(ta.length(), tb.length());
    return c != 0 ? c : ta.compareTo(tb);
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
