package org.entente.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * TAXII object/manifest/versions selection over one collection. Filters are ANDed and results come
 * in seq order (which is date_added order).
 *
 * <p>Spec versions and versions are decided per object over all of its entries in the collection:
 * with {@link SpecVersions#NEWEST} only the entries of the newest spec version held for that object
 * count; {@code first}/{@code last} are the smallest/largest version among the entries that pass
 * the spec-version filter. {@code addedAfter} and {@code afterSeq} then only cut the selected
 * entries: they do not change which version is first or last (so the last version added before
 * {@code addedAfter} hides the older versions added after it).
 *
 * @param ids match[id]; empty means any
 * @param types match[type]; empty means any
 * @param versions match[version]
 * @param specVersions match[spec_version]
 * @param addedAfter only entries with date_added strictly after this; null for none
 * @param afterSeq resume after this sequence number (the pagination cursor, {@link
 *     EntryPage#lastSeq()}); 0 to start. Cursors stay valid under concurrent writes: new entries
 *     always get higher numbers.
 * @param limit at most this many entries in the page (&gt; 0)
 * @param withJson whether entries carry their JSON text (objects) or not (manifest, versions)
 * @param visibility the entries the reader may see; first/last and the newest spec version are
 *     decided among those alone, so hidden versions leave no trace in any answer
 */
public record ObjectQuery(
    String collectionId,
    Set<String> ids,
    Set<String> types,
    VersionSelector versions,
    SpecVersions specVersions,
    Instant addedAfter,
    long afterSeq,
    int limit,
    boolean withJson,
    Visibility visibility) {

  public ObjectQuery {
    Objects.requireNonNull(visibility, "visibility");
    ids = Set.copyOf(ids);
    types = Set.copyOf(types);
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
  }

  /** Every last version in the collection visible to {@code visibility}, first page. */
  public static ObjectQuery all(String collectionId, int limit, Visibility visibility) {
    return new ObjectQuery(
        collectionId,
        Set.of(),
        Set.of(),
        VersionSelector.LAST,
        SpecVersions.NEWEST,
        null,
        0,
        limit,
        true,
        visibility);
  }

  public ObjectQuery afterSeq(long seq) {
    return new ObjectQuery(
        collectionId,
        ids,
        types,
        versions,
        specVersions,
        addedAfter,
        seq,
        limit,
        withJson,
        visibility);
  }
}
