package org.entente.taxii.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import java.io.IOException;
import org.entente.store.Entry;
import org.entente.taxii.Taxii;

/** TAXII 2.1 §5.3 get object manifests. */
final class ManifestHandlers {
  private final Access access;
  private final Paging paging;

  ManifestHandlers(Access access, Paging paging) {
    this.access = access;
    this.paging = paging;
  }

  /** GET {api-root}/collections/{id}/manifest/ */
  void get(Context ctx) throws IOException {
    Access.Target t = access.readable(ctx);
    Paging.Page page = paging.page(ctx, Filters.Kind.MANIFEST, t, null, false);
    ctx.status(200);
    ctx.contentType(Taxii.MEDIA_TYPE);
    Paging.dateHeaders(ctx, page);
    try (JsonGenerator g = Responses.STREAMING.createGenerator(ctx.outputStream())) {
      g.writeStartObject();
      g.writeBooleanField("more", page.entries().more());
      if (page.next() != null) {
        g.writeStringField("next", page.next());
      }
      if (!page.list().isEmpty()) {
        g.writeArrayFieldStart("objects");
        for (Entry e : page.list()) {
          g.writeStartObject();
          g.writeStringField("id", e.id());
          g.writeStringField("date_added", Responses.timestamp(e.dateAdded()));
          g.writeStringField("version", e.version());
          g.writeStringField("media_type", mediaType(e));
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
  }

  /** The STIX media type of the version this record describes. */
  private static String mediaType(Entry e) {
    String v = e.specVersion();
    return v == null || v.equals("2.1")
        ? Taxii.STIX_MEDIA_TYPE
        : "application/stix+json;version=" + v;
  }
}
