package org.entente.taxii.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.Store;
import org.entente.taxii.Taxii;

/** TAXII 2.1 §5.1 get collections and §5.2 get a collection. */
final class CollectionHandlers {
  private final Store store;
  private final AccessPolicy policy;
  private final Access access;

  CollectionHandlers(Store store, AccessPolicy policy, Access access) {
    this.store = store;
    this.policy = policy;
    this.access = access;
  }

  /** GET {api-root}/collections/ : only collections the requester can read or write. */
  void list(Context ctx) {
    ApiRoot root = access.apiRoot(ctx);
    Requester requester = Access.requester(ctx);
    ObjectNode body = Responses.object();
    ArrayNode list = null;
    for (Collection c : store.collections(root.path())) {
      CollectionRights rights = policy.rights(requester, c);
      if (rights == null || rights.hidden()) {
        continue;
      }
      if (list == null) {
        list = body.putArray("collections");
      }
      list.add(render(c, rights));
    }
    // No visible collection: {} (§5.1.1 omits an empty list).
    Responses.send(ctx, 200, body);
  }

  /** GET {api-root}/collections/{id-or-alias}/ */
  void get(Context ctx) {
    Access.Target t = access.collection(ctx);
    Responses.send(ctx, 200, render(t.collection(), t.rights()));
  }

  static ObjectNode render(Collection c, CollectionRights rights) {
    ObjectNode n = Responses.object();
    n.put("id", c.id());
    n.put("title", c.title() == null ? c.id() : c.title());
    if (c.description() != null) {
      n.put("description", c.description());
    }
    if (c.alias() != null) {
      n.put("alias", c.alias());
    }
    n.put("can_read", rights.canRead());
    n.put("can_write", rights.canWrite());
    n.putArray("media_types").add(Taxii.STIX_MEDIA_TYPE);
    return n;
  }
}
