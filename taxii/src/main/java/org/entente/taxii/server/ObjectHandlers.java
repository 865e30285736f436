package org.entente.taxii.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.entente.stix.marking.Tlp;
import org.entente.store.Entry;
import org.entente.store.SeqRanges;
import org.entente.store.StatusRecord;
import org.entente.store.Store;
import org.entente.taxii.Taxii;

/**
 * TAXII 2.1 §5.4 get objects, §5.5 add objects, §5.6 get an object, §5.7 delete an object and §5.8
 * get object versions.
 */
final class ObjectHandlers {
  private final Store store;
  private final Access access;
  private final Paging paging;
  private final Ingest ingest;
  private final AuditTrail audit;

  ObjectHandlers(Store store, Access access, Paging paging, Ingest ingest, AuditTrail audit) {
    this.store = store;
    this.access = access;
    this.paging = paging;
    this.ingest = ingest;
    this.audit = audit;
  }

  /** GET {api-root}/collections/{id}/objects/ */
  void list(Context ctx) throws IOException {
    Access.Target t = access.readable(ctx);
    Paging.Page page = paging.page(ctx, Filters.Kind.OBJECTS, t, null, true);
    auditRead(ctx, t, page);
    envelope(ctx, page);
  }

  /**
   * Reads of objects shared under AMBER or above are audited (who read which version); CLEAR and
   * GREEN reads are not, they may go anywhere anyway.
   */
  private void auditRead(Context ctx, Access.Target t, Paging.Page page) {
    // {"entries":{"TLP:AMBER":"5-1004","TLP:RED":"1010,1012"}}: the seqs of the entries served, as
    // ranges (SeqRanges), which the audit log's readers name again (Store.entryRefs). A page is
    // audited on every read: its id@version list would be ~70 kB, and the log outgrew the objects.
    SeqRanges[] byLevel = new SeqRanges[Tlp.values().length];
    for (Entry e : page.list()) {
      Tlp tlp = e.tlp();
      if (tlp != null && tlp.compareTo(Tlp.AMBER) >= 0) {
        SeqRanges r = byLevel[tlp.ordinal()];
        if (r == null) {
          r = byLevel[tlp.ordinal()] = new SeqRanges();
        }
        r.add(e.seq());
      }
    }
    StringBuilder detail = null;
    for (Tlp level : Tlp.values()) {
      SeqRanges r = byLevel[level.ordinal()];
      if (r != null) {
        detail = detail == null ? new StringBuilder("{\"entries\":{") : detail.append(',');
        detail.append('"').append(level.label()).append("\":\"").append(r).append('"');
      }
    }
    if (detail != null) {
      audit.record(
          Access.requester(ctx),
          ctx.ip(),
          "objects.read",
          t.collection().id(),
          detail.append("}}").toString());
    }
  }

  /**
   * GET {api-root}/collections/{id}/objects/{object-id}/ : 404 when no version of the object
   * matches (also after a DELETE of it, as §5.7 requires). A page reached through {@code next} may
   * legitimately be empty, so only a first page answers 404.
   */
  void get(Context ctx) throws IOException {
    Access.Target t = access.readable(ctx);
    Paging.Page page = paging.page(ctx, Filters.Kind.OBJECT, t, ctx.pathParam("object"), true);
    if (page.list().isEmpty() && !page.resumed()) {
      throw TaxiiError.notFound("the object");
    }
    auditRead(ctx, t, page);
    envelope(ctx, page);
  }

  /** GET {api-root}/collections/{id}/objects/{object-id}/versions/ */
  void versions(Context ctx) throws IOException {
    Access.Target t = access.readable(ctx);
    Paging.Page page = paging.page(ctx, Filters.Kind.VERSIONS, t, ctx.pathParam("object"), false);
    if (page.list().isEmpty() && !page.resumed()) {
      throw TaxiiError.notFound("the object");
    }
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
        g.writeArrayFieldStart("versions");
        for (Entry e : page.list()) {
          g.writeString(e.version());
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
  }

  /** DELETE {api-root}/collections/{id}/objects/{object-id}/ : 200, no body. */
  void delete(Context ctx) {
    Access.Target t = access.deletable(ctx);
    Filters f = Filters.parse(ctx.queryParamMap(), Filters.Kind.DELETE, 1, 1);
    String objectId = ctx.pathParam("object");
    int removed =
        store.write(
            tx ->
                tx.delete(
                    t.collection().id(),
                    objectId,
                    f.versions(),
                    f.specVersions(),
                    t.rights().visibility()));
    if (removed == 0) {
      throw TaxiiError.notFound("the object");
    }
    audit.record(
        Access.requester(ctx),
        ctx.ip(),
        "objects.delete",
        t.collection().id(),
        "{\"id\":" + Responses.jsonString(objectId) + ",\"entries\":" + removed + "}");
    ctx.status(200);
    ctx.contentType(Taxii.MEDIA_TYPE);
  }

  /** POST {api-root}/collections/{id}/objects/ : 202 with a status resource. */
  void add(Context ctx) throws IOException {
    Instant requestTime = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Access.Target t = access.writable(ctx);
    if (!MediaRanges.isTaxiiContent(ctx.header("Content-Type"))) {
      throw TaxiiError.unsupportedMediaType();
    }
    byte[] body = RequestBodies.read(ctx.req(), t.root().maxContentLength());
    StatusRecord status = ingest.add(Access.requester(ctx), ctx.ip(), t, body, requestTime);
    Responses.send(ctx, 202, StatusHandlers.render(status));
  }

  /**
   * Streams the envelope: the stored JSON bytes of each object go out as they are, never decoded,
   * parsed or re-encoded (the hot path of every consumer).
   */
  private static void envelope(Context ctx, Paging.Page page) throws IOException {
    // Written by hand rather than through a JsonGenerator, which has no way to write raw bytes.
    ctx.status(200);
    ctx.contentType(Taxii.MEDIA_TYPE);
    Paging.dateHeaders(ctx, page);
    byte[] head = envelopeHead(page);
    long size = head.length + OBJECTS.length + 2L;
    for (Entry e : page.list()) {
      size += e.jsonUtf8().length + 1L;
    }
    // A buffer of the body's size, at most 32 KiB: few, large writes into the container's
    // stream. Not flushed: a body that fits Jetty's buffer then goes out with its headers in one
    // write with a Content-Length, not as chunks (a GET of one object cost two loopback writes;
    // one such write is still about a tenth of the request's CPU).
    OutputStream out = new UnflushedBuffer(ctx.outputStream(), (int) Math.min(size, 32 * 1024));
    out.write(head);
    if (!page.list().isEmpty()) {
      out.write(OBJECTS);
      boolean first = true;
      for (Entry e : page.list()) {
        if (!first) {
          out.write(',');
        }
        out.write(e.jsonUtf8());
        first = false;
      }
      out.write(']');
    }
    out.write('}');
    out.close();
  }

  /** A BufferedOutputStream whose flush and close only empty the buffer into the stream. */
  private static final class UnflushedBuffer extends BufferedOutputStream {
    UnflushedBuffer(OutputStream out, int size) {
      super(out, size);
    }

    @Override
    public void flush() throws IOException {
      if (count > 0) {
        out.write(buf, 0, count);
        count = 0;
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  private static final byte[] OBJECTS = ",\"objects\":[".getBytes(StandardCharsets.US_ASCII);

  /** {"more":...,"next":"..." (the object left open), exactly as Jackson writes it. */
  private static byte[] envelopeHead(Paging.Page page) {
    ByteArrayOutputStream head = new ByteArrayOutputStream(128);
    head.writeBytes(page.entries().more() ? MORE_TRUE : MORE_FALSE);
    if (page.next() != null) {
      head.writeBytes(NEXT);
      head.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(page.next()));
      head.write('"');
    }
    return head.toByteArray();
  }

  private static final byte[] MORE_TRUE = "{\"more\":true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MORE_FALSE = "{\"more\":false".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEXT = ",\"next\":\"".getBytes(StandardCharsets.US_ASCII);
}
