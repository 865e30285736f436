package org.entente.taxii.server;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.entente.store.Entry;
import org.entente.store.EntryPage;
import org.entente.store.ObjectQuery;
import org.entente.store.Store;
import org.entente.taxii.Taxii;

/**
 * Runs one page of a TAXII listing (objects, manifest, object, versions): reads the filters,
 * resumes a {@code next} cursor, queries the store and issues the cursor for the following page.
 * Pages follow the store's sequence number, so concurrent writes neither shift nor repeat them.
 */
final class Paging {
  private final Store store;
  private final PageCursors cursors;
  private final int defaultLimit;
  private final int maxLimit;

  Paging(Store store, PageCursors cursors, int defaultLimit, int maxLimit) {
    this.store = store;
    this.cursors = cursors;
    this.defaultLimit = defaultLimit;
    this.maxLimit = maxLimit;
  }

  /** One page, and the cursor to the next one (null when {@code more} is false). */
  record Page(EntryPage entries, String next, boolean resumed) {
    List<Entry> list() {
      return entries.entries();
    }
  }

  Page page(Context ctx, Filters.Kind kind, Access.Target target, String objectId, boolean json) {
    Filters f = Filters.parse(ctx.queryParamMap(), kind, defaultLimit, maxLimit);
    // Built only when a cursor is read or issued: most single-object GETs need neither.
    Supplier<String> scope =
        () ->
            String.join(
                "\n",
                kind.name(),
                target.root().path(),
                target.collection().id(),
                objectId == null ? "" : objectId,
                Access.requester(ctx).user(),
                f.canonical());
    long afterSeq = f.next() == null ? 0 : cursors.resume(scope.get(), f.next());
    Set<String> ids = objectId == null ? f.ids() : Set.of(objectId);
    ObjectQuery q =
        new ObjectQuery(
            target.collection().id(),
            ids,
            f.types(),
            f.versions(),
            f.specVersions(),
            f.addedAfter(),
            afterSeq,
            f.limit(),
            json,
            target.rights().visibility());
    EntryPage page = store.entries(q);
    String next =
        page.more() ? cursors.issue(scope.get(), Math.max(afterSeq, page.lastSeq())) : null;
    return new Page(page, next, f.next() != null);
  }

  /**
   * X-TAXII-Date-Added-First/-Last: the date_added of the first and last item of this page. An
   * empty page has no such items, so the headers are left out rather than invented.
   */
  static void dateHeaders(Context ctx, Page page) {
    List<Entry> list = page.list();
    if (!list.isEmpty()) {
      ctx.header(Taxii.DATE_ADDED_FIRST, Responses.timestamp(list.get(0).dateAdded()));
      ctx.header(Taxii.DATE_ADDED_LAST, Responses.timestamp(list.get(list.size() - 1).dateAdded()));
    }
  }
}
