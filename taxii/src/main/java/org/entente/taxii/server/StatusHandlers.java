package org.entente.taxii.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import org.entente.store.ApiRoot;
import org.entente.store.StatusRecord;
import org.entente.store.Store;

/** TAXII 2.1 §4.3 get status. */
final class StatusHandlers {
  private final Store store;
  private final StatusBoard board;
  private final Access access;

  StatusHandlers(Store store, StatusBoard board, Access access) {
    this.store = store;
    this.board = board;
    this.access = access;
  }

  /**
   * GET {api-root}/status/{status-id}/ : the board first (requests still committing), then the
   * store, which holds every committed status. In that order, a status that commits between the two
   * look-ups is still found.
   */
  void get(Context ctx) {
    ApiRoot root = access.apiRoot(ctx);
    Requester r = Access.requester(ctx);
    String id = ctx.pathParam("status");
    StatusRecord status =
        board
            .get(id)
            .or(() -> store.status(id))
            .filter(s -> root.path().equals(s.apiRoot()))
            // Someone else's status is answered like an unknown one, even to node admins: it
            // names objects (and versions) that the reader may not be allowed to see.
            .filter(s -> r.user().equals(s.owner()))
            .orElseThrow(() -> TaxiiError.notFound("the status"));
    Responses.send(ctx, 200, render(status));
  }

  static ObjectNode render(StatusRecord s) {
    ObjectNode n = Responses.object();
    n.put("id", s.id());
    n.put("status", s.complete() ? "complete" : "pending");
    if (s.requestTimestamp() != null) {
      n.put("request_timestamp", Responses.timestamp(s.requestTimestamp()));
    }
    n.put("total_count", s.totalCount());
    n.put("success_count", s.successes().size());
    n.put("failure_count", s.failures().size());
    n.put("pending_count", s.pendings().size());
    details(n, "successes", s.successes());
    details(n, "failures", s.failures());
    details(n, "pendings", s.pendings());
    return n;
  }

  private static void details(ObjectNode n, String name, List<StatusRecord.Detail> details) {
    if (details.isEmpty()) {
      return; // lists have at least one item; an empty one is omitted
    }
    ArrayNode list = n.putArray(name);
    for (StatusRecord.Detail d : details) {
      ObjectNode item = list.addObject();
      item.put("id", d.id());
      item.put("version", d.version());
      if (d.message() != null) {
        item.put("message", d.message());
      }
    }
  }
}
