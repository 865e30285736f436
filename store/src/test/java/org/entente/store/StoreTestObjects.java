package org.entente.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.StixTimestamp;

/** STIX objects and queries for store tests. */
public final class StoreTestObjects {
  private StoreTestObjects() {}

  public static String id(String type, int n) {
    return String.format("%s--00000000-0000-4000-8000-%012d", type, n);
  }

  public static StixObject parse(String json) {
    return StixObject.of(StixJson.parse(json));
  }

  /** An indicator version; modified also names the version. */
  public static StixObject indicator(String id, String modified) {
    return sdo("indicator", id, modified, "2.1", "x");
  }

  /** An SDO of any type with a given modified, spec version and a distinguishing name. */
  public static StixObject sdo(
      String type, String id, String modified, String specVersion, String name) {
    return parse(
        "{\"type\":\""
            + type
            + "\",\"spec_version\":\""
            + specVersion
            + "\",\"id\":\""
            + id
            + "\",\"created\":\"2020-01-01T00:00:00.000Z\",\"modified\":\""
            + modified
            + "\",\"name\":\""
            + name
            + "\"}");
  }

  /** An SCO: no created or modified, so the server assigns its version. */
  public static StixObject ipv4(String id, String value) {
    return parse(
        "{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\""
            + id
            + "\",\"value\":\""
            + value
            + "\"}");
  }

  /**
   * Object {@code i} at {@code version}, for the scale tests. Realistic shapes: indicators (most),
   * malware, and SCOs (server-versioned).
   */
  public static StixObject scaleObject(int i, int version) {
    if (i % 5 == 4) {
      return parse(
          "{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\""
              + id("ipv4-addr", i)
              + "\",\"value\":\"10."
              + (i >> 16 & 255)
              + "."
              + (i >> 8 & 255)
              + "."
              + (i & 255)
              + (version > 1 ? "\",\"x_seen\":" + version : "\"")
              + "}");
    }
    String type = i % 5 == 3 ? "malware" : "indicator";
    return parse(
        "{\"type\":\""
            + type
            + "\",\"spec_version\":\"2.1\",\"id\":\""
            + id(type, i)
            + "\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-0"
            + version
            + "-01T00:00:00.000Z\",\"name\":\"object "
            + i
            + "\",\"description\":\"A test object with a body of realistic size so that pages"
            + " carry some bytes, as real indicators with descriptions and references do.\","
            + "\"pattern\":\"[ipv4-addr:value = '10.0.0."
            + (i & 255)
            + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-01-01T00:00:00Z\","
            + "\"labels\":[\"malicious-activity\"],\"object_marking_refs\":"
            + "[\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\"]}");
  }

  public static ObjectWrite write(String collectionId, StixObject object) {
    return ObjectWrite.of(collectionId, object, "org-a", "alice");
  }

  /** A timestamp's version key. */
  public static String key(String timestamp) {
    return StixTimestamp.parse(timestamp).sortKey();
  }

  /** "id@version" of each entry, in page order. */
  public static List<String> versions(EntryPage page) {
    List<String> result = new ArrayList<>();
    for (Entry e : page.entries()) {
      result.add(e.id() + "@" + e.version());
    }
    return result;
  }

  public static Query query(String collectionId) {
    return new Query(collectionId);
  }

  /** Builds an {@link ObjectQuery}; defaults are the TAXII defaults. */
  public static final class Query {
    private final String collectionId;
    private Set<String> ids = Set.of();
    private Set<String> types = Set.of();
    private VersionSelector versions = VersionSelector.LAST;
    private SpecVersions specVersions = SpecVersions.NEWEST;
    private Instant addedAfter;
    private long afterSeq;
    private int limit = 10_000;
    private boolean withJson = true;
    private Visibility visibility = Visibility.EVERYTHING;

    Query(String collectionId) {
      this.collectionId = collectionId;
    }

    public Query ids(String... ids) {
      this.ids = Set.of(ids);
      return this;
    }

    public Query types(String... types) {
      this.types = Set.of(types);
      return this;
    }

    public Query versions(VersionSelector versions) {
      this.versions = versions;
      return this;
    }

    public Query exact(boolean first, boolean last, String... timestamps) {
      Set<String> keys = new java.util.HashSet<>();
      for (String t : timestamps) {
        keys.add(key(t));
      }
      this.versions = new VersionSelector(false, first, last, keys);
      return this;
    }

    public Query specVersions(String... listed) {
      this.specVersions = new SpecVersions(Set.of(listed));
      return this;
    }

    public Query addedAfter(Instant addedAfter) {
      this.addedAfter = addedAfter;
      return this;
    }

    public Query afterSeq(long afterSeq) {
      this.afterSeq = afterSeq;
      return this;
    }

    public Query limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Query visibility(Visibility visibility) {
      this.visibility = visibility;
      return this;
    }

    public Query withoutJson() {
      this.withJson = false;
      return this;
    }

    public ObjectQuery get() {
      return new ObjectQuery(
          collectionId,
          ids,
          types,
          versions,
          specVersions,
          addedAfter,
          afterSeq,
          limit,
          withJson,
          visibility);
    }
  }
}
