package org.entente.node.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.stix.StixJson;
import org.entente.stix.StixParseException;
import org.entente.store.AuditEvent;
import org.entente.store.EntryRef;
import org.entente.store.SeqRanges;
import org.entente.store.Store;

/**
 * Names the object versions that audited reads served. A read's event records the seqs of the
 * entries it served, by TLP level ({@code {"entries":{"TLP:AMBER":"5-1004"}}}); this adds what they
 * hold, as {@code {"objects":{"TLP:AMBER":["id@version",...]}}}, including entries a DELETE has
 * removed since. Events written before seqs were recorded already name their objects and pass
 * through unchanged, as do all other events.
 */
public final class AuditedReads {
  private final Store store;

  public AuditedReads(Store store) {
    this.store = store;
  }

  /** The events, read events with their objects named; one lookup for the whole page. */
  public List<AuditEvent> named(List<AuditEvent> events) {
    Map<AuditEvent, Served> reads = new LinkedHashMap<>();
    int total = 0;
    for (AuditEvent e : events) {
      Served served = served(e);
      if (served != null) {
        reads.put(e, served);
        for (long[] seqs : served.seqs().values()) {
          total += seqs.length;
        }
      }
    }
    if (reads.isEmpty()) {
      return events;
    }
    long[] all = new long[total];
    int n = 0;
    for (Served served : reads.values()) {
      for (long[] seqs : served.seqs().values()) {
        System.arraycopy(seqs, 0, all, n, seqs.length);
        n += seqs.length;
      }
    }
    Map<Long, EntryRef> refs = new HashMap<>();
    for (EntryRef r : store.entryRefs(all)) {
      refs.put(r.seq(), r);
    }
    List<AuditEvent> out = new ArrayList<>(events.size());
    for (AuditEvent e : events) {
      Served served = reads.get(e);
      out.add(served == null ? e : withObjects(e, served, refs));
    }
    return out;
  }

  /** A read event's ranges as stored, and the seqs they hold by TLP label. */
  private record Served(JsonNode entries, Map<String, long[]> seqs) {}

  /** What a read event that records seqs served; null for any other event. */
  private static Served served(AuditEvent e) {
    if (!"objects.read".equals(e.action())
        || e.detail() == null
        || !e.detail().startsWith("{\"entries\":")) {
      return null;
    }
    try {
      JsonNode entries = StixJson.parse(e.detail()).path("entries");
      Map<String, long[]> served = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> level = it.next();
        served.put(level.getKey(), SeqRanges.parse(level.getValue().asText()));
      }
      return new Served(entries, served);
    } catch (StixParseException | IllegalArgumentException ex) {
      return null; // shown as stored
    }
  }

  private static AuditEvent withObjects(AuditEvent e, Served served, Map<Long, EntryRef> refs) {
    ObjectNode detail = StixJson.mapper().createObjectNode();
    ObjectNode objects = detail.putObject("objects");
    SeqRanges unknown = new SeqRanges();
    for (Map.Entry<String, long[]> level : served.seqs().entrySet()) {
      ArrayNode names = objects.putArray(level.getKey());
      for (long seq : level.getValue()) {
        EntryRef r = refs.get(seq);
        if (r == null) {
          unknown.add(seq);
        } else {
          names.add(r.name());
        }
      }
    }
    detail.set("entries", served.entries());
    if (!unknown.isEmpty()) {
      detail.put("unknown_entries", unknown.toString());
    }
    return e.withDetail(StixJson.write(detail));
  }
}
