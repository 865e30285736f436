package org.entente.taxii.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.StixParseException;
import org.entente.stix.marking.EffectiveTlp;
import org.entente.stix.marking.Tlp;
import org.entente.stix.validate.StixValidator;
import org.entente.stix.validate.ValidationReport;
import org.entente.store.AuditEvent;
import org.entente.store.GroupCommitWriter;
import org.entente.store.IngestBacklogException;
import org.entente.store.ObjectWrite;
import org.entente.store.StatusRecord;
import org.entente.store.StatusRecord.Detail;
import org.entente.store.Store;
import org.entente.store.StoreUnavailableException;
import org.entente.store.WriteOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The add-objects pipeline (§5.5): parse the envelope → validate each object → ask the policy →
 * hand the rest to the group-commit writer → report a status. Objects that fail a check are
 * failures of the request, not errors of it; "success" is reported only for objects whose commit is
 * durable, and the final status is saved in that same transaction.
 */
final class Ingest {
  private static final Logger log = LoggerFactory.getLogger(Ingest.class);

  static final String DUPLICATE_MESSAGE = "already present in this collection";
  static final String STORE_FAILED_MESSAGE =
      "the server could not store this object; nothing was stored, submit it again";

  /** How long a pending answer waits for its status to be saved for the other processes. */
  static final Duration PUBLISH_WAIT = Duration.ofMillis(500);

  /**
   * When the database could not be reached: a COMMIT cut off may still have been applied, so this
   * does not claim that nothing was stored. Submitting again is safe either way.
   */
  static final String STORE_UNAVAILABLE_MESSAGE =
      "the server's database was unavailable; submit this object again (if it was stored after"
          + " all, it is reported as a success)";

  private final PendingStatuses pendingStatuses;
  private final GroupCommitWriter writer;
  private final StixValidator validator;
  private final AccessPolicy policy;
  private final StatusBoard board;
  private final Duration statusWait;
  private final Duration backlogRetryAfter;

  Ingest(
      Store store,
      GroupCommitWriter writer,
      StixValidator validator,
      AccessPolicy policy,
      StatusBoard board,
      Duration statusWait,
      Duration backlogRetryAfter,
      String processName) {
    this.pendingStatuses = new PendingStatuses(store, processName);
    this.writer = writer;
    this.validator = validator;
    this.policy = policy;
    this.board = board;
    this.statusWait = statusWait;
    this.backlogRetryAfter = backlogRetryAfter;
  }

  /** One envelope item: a failure found before the commit, or a write waiting for it. */
  private record Item(Detail detail, int writeIndex) {
    boolean failed() {
      return writeIndex < 0;
    }
  }

  /** What the request knows before the commit. */
  private record Request(
      String statusId,
      String apiRoot,
      String owner,
      Instant requestTime,
      List<Item> items,
      List<ObjectWrite> writes) {

    StatusRecord pending() {
      List<Detail> failures = new ArrayList<>();
      List<Detail> pendings = new ArrayList<>();
      for (Item it : items) {
        (it.failed() ? failures : pendings).add(it.detail());
      }
      return new StatusRecord(
          statusId, apiRoot, owner, requestTime, items.size(), List.of(), failures, pendings);
    }

    /** The final status, in envelope order. Pure: the writer calls it inside its transaction. */
    StatusRecord complete(List<WriteOutcome> outcomes) {
      List<Detail> successes = new ArrayList<>();
      List<Detail> failures = new ArrayList<>();
      boolean aligned = outcomes.size() == writes.size();
      for (Item it : items) {
        if (it.failed()) {
          failures.add(it.detail());
        } else if (aligned) {
          report(outcomes.get(it.writeIndex()), successes, failures);
        }
      }
      if (!aligned) {
        outcomes.forEach(o -> report(o, successes, failures));
      }
      return new StatusRecord(
          statusId, apiRoot, owner, requestTime, items.size(), successes, failures, List.of());
    }

    StatusRecord storeFailed(String message) {
      List<Detail> failures = new ArrayList<>();
      for (Item it : items) {
        Detail d = it.detail();
        failures.add(it.failed() ? d : new Detail(d.id(), d.version(), message));
      }
      return new StatusRecord(
          statusId, apiRoot, owner, requestTime, items.size(), List.of(), failures, List.of());
    }

    private static void report(WriteOutcome o, List<Detail> successes, List<Detail> failures) {
      switch (o.kind()) {
        case ADDED -> successes.add(new Detail(o.id(), o.version(), null));
        // §5.5: an exact duplicate MUST NOT be an error. It is only called one when the store
        // says so (a message): a duplicate of an entry the poster's organisation did not add is
        // answered like a first post, as that entry may be hidden from the poster.
        case DUPLICATE ->
            successes.add(
                new Detail(o.id(), o.version(), o.message() == null ? null : DUPLICATE_MESSAGE));
        case CONFLICT ->
            failures.add(
                new Detail(
                    o.id(),
                    o.version(),
                    o.message() != null
                        ? o.message()
                        : "another object with this id and version, but different content, is"
                            + " already present"));
      }
    }
  }

  /**
   * @param address the client's address, for the audit event saved with the objects
   */
  StatusRecord add(
      Requester requester, String address, Access.Target target, byte[] body, Instant requestTime) {
    List<JsonNode> objects = envelopeObjects(body);
    String fallbackVersion = Responses.timestamp(requestTime);
    List<Item> items = new ArrayList<>(objects.size());
    List<ObjectWrite> writes = new ArrayList<>(objects.size());
    // TLP marking-definitions sent in the same envelope count like the well-known ones.
    Map<String, Tlp> envelopeMarkings = EffectiveTlp.markingsIn(objects);
    for (int i = 0; i < objects.size(); i++) {
      items.add(
          check(i, objects.get(i), requester, target, writes, fallbackVersion, envelopeMarkings));
    }
    Request req =
        new Request(
            UUID.randomUUID().toString(),
            target.root().path(),
            requester.user(),
            requestTime,
            List.copyOf(items),
            List.copyOf(writes));
    // Even with nothing valid to write, the status goes through the writer: it is saved in
    // commit order like every other, and an empty submission is cheap.
    return commit(req, status -> auditEvent(requester, address, target, status));
  }

  /** The audit record of an add-objects request, saved in the transaction of its objects. */
  private static AuditEvent auditEvent(
      Requester requester, String address, Access.Target target, StatusRecord status) {
    return AuditEvent.of(
        Instant.now(),
        requester.user(),
        requester.organisation(),
        address,
        "objects.add",
        target.collection().id(),
        "{\"status\":"
            + Responses.jsonString(status.id())
            + ",\"total\":"
            + status.totalCount()
            + ",\"success\":"
            + status.successes().size()
            + ",\"failure\":"
            + status.failures().size()
            + "}");
  }

  private StatusRecord commit(Request req, Function<StatusRecord, AuditEvent> auditOf) {
    board.pending(req.pending());
    CompletableFuture<List<WriteOutcome>> committed;
    try {
      committed = writer.submit(req.writes(), req::complete, auditOf);
    } catch (IngestBacklogException e) {
      board.abandoned(req.statusId());
      throw backlog();
    } catch (IllegalArgumentException e) {
      // Larger than the whole ingest queue: waiting would not help.
      board.abandoned(req.statusId());
      throw TaxiiError.unprocessable(
          "the envelope holds more objects ("
              + req.writes().size()
              + ") than this server accepts in one request; send them in smaller envelopes");
    } catch (IllegalStateException e) {
      board.abandoned(req.statusId());
      throw TaxiiError.unavailable("the server is shutting down; retry later", backlogRetryAfter);
    } catch (RuntimeException e) {
      board.abandoned(req.statusId());
      throw e;
    }
    // Settle the board before anyone can observe the outcome, so GET status never sees a gap.
    CompletableFuture<StatusRecord> settled =
        committed.handle(
            (outcomes, err) -> {
              if (err == null) {
                board.committed(req.statusId());
                return req.complete(outcomes);
              }
              Throwable cause =
                  err instanceof CompletionException && err.getCause() != null
                      ? err.getCause()
                      : err;
              // A pending status saved for the other processes is replaced by the failure too.
              if (cause instanceof IngestBacklogException) {
                board.abandoned(req.statusId());
                pendingStatuses.failed(req.storeFailed(STORE_FAILED_MESSAGE));
                return null;
              }
              if (cause instanceof StoreUnavailableException unavailable) {
                // A request still waiting answers 503 (retry later) instead; the board keeps the
                // failure for one that was already told "pending". The writer logged the outage.
                StatusRecord failed = req.storeFailed(STORE_UNAVAILABLE_MESSAGE);
                board.failed(failed);
                pendingStatuses.failed(failed);
                throw unavailable;
              }
              StatusRecord failed = req.storeFailed(STORE_FAILED_MESSAGE);
              board.failed(failed);
              pendingStatuses.failed(failed);
              log.error(
                  "status {}: commit of {} objects failed",
                  req.statusId(),
                  req.writes().size(),
                  cause);
              return failed;
            });
    try {
      StatusRecord done = settled.get(statusWait.toNanos(), TimeUnit.NANOSECONDS);
      if (done == null) {
        throw backlog();
      }
      return done;
    } catch (TimeoutException e) {
      return publishPending(req, settled);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return publishPending(req, settled);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreUnavailableException unavailable) {
        throw unavailable;
      }
      throw new IllegalStateException("settling a status cannot fail", e.getCause());
    }
  }

  /**
   * The pending status, saved for the other processes of the node first (a client may poll any of
   * them), unless the commit settles meanwhile: then its status is the answer. The save waits for
   * the write lock; if that takes longer than {@link #PUBLISH_WAIT} (the database is slow or
   * unavailable), the answer goes out and the save follows.
   */
  private StatusRecord publishPending(Request req, CompletableFuture<StatusRecord> settled) {
    StatusRecord pending = req.pending();
    CompletableFuture<Void> saved = pendingStatuses.publish(pending, settled);
    try {
      CompletableFuture.anyOf(saved, settled).get(PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // not saved yet, or the commit failed: either way the pending answer stands
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (settled.isDone() && !settled.isCompletedExceptionally()) {
      StatusRecord done = settled.join();
      if (done != null) {
        return done;
      }
    }
    return pending;
  }

  private TaxiiError backlog() {
    return TaxiiError.unavailable(
        "the server is busy storing earlier submissions; nothing from this request was stored,"
            + " retry later",
        backlogRetryAfter);
  }

  /** The envelope's objects; anything that is not a non-empty envelope is a 422 (§5.5). */
  static List<JsonNode> envelopeObjects(byte[] body) {
    if (body.length == 0) {
      throw TaxiiError.unprocessable(
          "the request body is empty; POST a TAXII envelope {\"objects\": [...]}");
    }
    JsonNode envelope;
    try {
      envelope = StixJson.parse(body);
    } catch (StixParseException e) {
      throw TaxiiError.unprocessable("the request body is not JSON: " + e.getMessage());
    }
    if (envelope == null || !envelope.isObject()) {
      throw TaxiiError.unprocessable(
          "the request body must be a TAXII envelope: a JSON object with an 'objects' list");
    }
    JsonNode objects = envelope.get("objects");
    if (objects == null || !objects.isArray()) {
      throw TaxiiError.unprocessable("the envelope has no 'objects' list");
    }
    if (objects.isEmpty()) {
      throw TaxiiError.unprocessable("the envelope holds no objects");
    }
    List<JsonNode> out = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      JsonNode o = objects.get(i);
      JsonNode id = o.isObject() ? o.get("id") : null;
      // A status detail names the object by id; without one it cannot be reported alone.
      if (id == null || !id.isTextual() || id.asText().isEmpty()) {
        throw TaxiiError.unprocessable(
            "objects[" + i + "] is not a STIX object: it has no string 'id'");
      }
      out.add(o);
    }
    return out;
  }

  private Item check(
      int index,
      JsonNode node,
      Requester requester,
      Access.Target target,
      List<ObjectWrite> writes,
      String fallbackVersion,
      Map<String, Tlp> envelopeMarkings) {
    String id = node.get("id").asText();
    String version = reportedVersion(node, fallbackVersion);
    StixObject object;
    try {
      object = StixObject.of(node);
    } catch (StixParseException e) {
      return failure(id, version, e.getMessage());
    }
    ValidationReport report;
    try {
      report = validator.validate(node);
    } catch (RuntimeException e) {
      log.error("validator failed on objects[{}] ({})", index, id, e);
      return failure(id, version, "the object could not be validated");
    }
    if (!report.valid()) {
      return failure(id, version, report.firstErrorMessage());
    }
    String refusal = policy.refuseWrite(requester, target.collection(), object);
    if (refusal != null) {
      return failure(id, version, refusal);
    }
    writes.add(
        policy.writeFor(
            requester,
            target.collection(),
            object,
            // null when unmarked: the store applies the collection's default level
            EffectiveTlp.of(node, envelopeMarkings, null)));
    return new Item(new Detail(id, version, null), writes.size() - 1);
  }

  private static Item failure(String id, String version, String message) {
    return new Item(new Detail(id, version, message), -1);
  }

  /**
   * The version a status detail reports before the store has assigned one: {@code modified}, else
   * {@code created}, as sent; for objects with neither (SCOs) the request timestamp. The final
   * status reports the store's version for committed objects.
   */
  private static String reportedVersion(JsonNode node, String fallback) {
    JsonNode v = node.get("modified");
    if (v == null || !v.isTextual()) {
      v = node.get("created");
    }
    return v != null && v.isTextual() ? v.asText() : fallback;
  }
}
