package org.entente.taxii.server;

import io.javalin.http.Context;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.Store;

/**
 * Resolves the API root and collection a request names, and the requester's rights on it. A
 * collection the requester can neither read nor write is reported exactly like a missing one.
 */
final class Access {
  private static final String REQUESTER = "entente.requester";

  private final Store store;
  private final AccessPolicy policy;

  Access(Store store, AccessPolicy policy) {
    this.store = store;
    this.policy = policy;
  }

  /** A collection as one requester sees it. */
  record Target(ApiRoot root, Collection collection, CollectionRights rights) {}

  static void authenticated(Context ctx, Requester requester) {
    ctx.attribute(REQUESTER, requester);
  }

  /** The requester the before-handler authenticated; every route runs after it. */
  static Requester requester(Context ctx) {
    Requester r = ctx.attribute(REQUESTER);
    if (r == null) {
      throw new IllegalStateException("route ran without authentication");
    }
    return r;
  }

  /** Null before authentication succeeded (for the request log). */
  static Requester requesterOrNull(Context ctx) {
    return ctx.attribute(REQUESTER);
  }

  ApiRoot apiRoot(Context ctx) {
    return store
        .apiRoot(ctx.pathParam("root"))
        .orElseThrow(() -> TaxiiError.notFound("the API root"));
  }

  /** The collection in the path, if visible to the requester at all. */
  Target collection(Context ctx) {
    ApiRoot root = apiRoot(ctx);
    Collection c =
        store
            .collection(root.path(), ctx.pathParam("collection"))
            .orElseThrow(Access::noCollection);
    CollectionRights rights = policy.rights(requester(ctx), c);
    if (rights == null || rights.hidden()) {
      throw noCollection();
    }
    return new Target(root, c, rights);
  }

  Target readable(Context ctx) {
    Target t = collection(ctx);
    if (!t.rights().canRead()) {
      throw TaxiiError.forbidden("you may not read this collection");
    }
    return t;
  }

  Target writable(Context ctx) {
    Target t = collection(ctx);
    if (!t.rights().canWrite()) {
      throw TaxiiError.forbidden("you may not add objects to this collection");
    }
    return t;
  }

  /** DELETE needs both rights (§5.7): none is 404, exactly one is 403. */
  Target deletable(Context ctx) {
    Target t = collection(ctx);
    if (!t.rights().canRead() || !t.rights().canWrite()) {
      throw TaxiiError.forbidden("deleting needs both read and write access to this collection");
    }
    return t;
  }

  private static TaxiiError noCollection() {
    return TaxiiError.notFound("the collection");
  }
}
