package org.entente.taxii.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.UUID;
import org.entente.store.IngestBacklogException;
import org.entente.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become TAXII error resources. */
final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  /** Both schemes the node's authenticator understands (RFC 7235 lists challenges by comma). */
  static final String CHALLENGE = "Basic realm=\"entente\", Bearer";

  private ErrorResponses() {}

  /**
   * @param retryAfter the Retry-After of a 503 (the ingest queue is full, the database unavailable)
   */
  static void register(RoutesConfig routes, java.time.Duration retryAfter) {
    routes.exception(
        TaxiiError.class,
        (e, ctx) -> send(ctx, e.status(), e.title(), e.errorCode(), e.description(), e.headers()));
    routes.exception(
        AuthenticationFailedException.class,
        (e, ctx) -> {
          log.debug("authentication failed from {}: {}", ctx.ip(), e.getMessage());
          send(
              ctx,
              401,
              "Unauthorized",
              "unauthenticated",
              "this server needs HTTP Basic or Bearer credentials it accepts",
              Map.of("WWW-Authenticate", CHALLENGE));
        });
    routes.exception(
        TooManyAttemptsException.class,
        (e, ctx) ->
            send(
                ctx,
                429,
                "Too Many Requests",
                "too-many-attempts",
                "too many failed authentication attempts; wait before trying again",
                Map.of("Retry-After", TaxiiError.retryAfterSeconds(e.retryAfter()))));
    routes.exception(
        IngestBacklogException.class,
        (e, ctx) ->
            send(
                ctx,
                503,
                "Service Unavailable",
                "ingest-backlog",
                "the server is busy storing earlier submissions; retry later",
                Map.of("Retry-After", TaxiiError.retryAfterSeconds(retryAfter))));
    routes.exception(
        StoreUnavailableException.class,
        (e, ctx) -> {
          // The pools and the directory listener log the outage; not every request again.
          log.debug("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
          send(
              ctx,
              503,
              "Service Unavailable",
              "store-unavailable",
              "the server cannot reach its database at the moment; retry later",
              Map.of("Retry-After", TaxiiError.retryAfterSeconds(retryAfter)));
        });
    // Javalin's own answers: no route for the path (404) or not for this method (405).
    routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          int status = e.getStatus();
          if (status == 404) {
            send(ctx, 404, "Not Found", "not-found", noEndpoint(ctx.path()), Map.of());
          } else if (status == 405) {
            // RFC 9110 §15.5.6: a 405 lists the methods the resource supports.
            String allow = e.getDetails().get("availableMethods");
            send(
                ctx,
                405,
                "Method Not Allowed",
                "method-not-allowed",
                "this TAXII endpoint does not support " + ctx.method().name(),
                allow == null ? Map.of() : Map.of("Allow", allow.replace(" ", "")));
          } else {
            send(ctx, status, "Error", "error", "the request could not be processed", Map.of());
          }
        });
    routes.exception(Exception.class, ErrorResponses::unexpected);
  }

  static String noEndpoint(String path) {
    if (path == null || !path.endsWith("/")) {
      return "no TAXII endpoint at this path; TAXII 2.1 endpoint paths end with '/'";
    }
    return "no TAXII endpoint at this path";
  }

  private static void unexpected(Exception e, Context ctx) {
    // The client learns only an id to quote; the operator finds the stack trace under it.
    String errorId = UUID.randomUUID().toString();
    log.error("error_id={} {} {} failed", errorId, ctx.method(), ctx.path(), e);
    ObjectNode body =
        errorBody(
            500, "Internal Server Error", "internal", "the server could not process this request");
    body.put("error_id", errorId);
    if (!ctx.res().isCommitted()) {
      Responses.send(ctx, 500, body);
    }
  }

  static void send(
      Context ctx,
      int status,
      String title,
      String errorCode,
      String description,
      Map<String, String> headers) {
    if (ctx.res().isCommitted()) {
      // A streamed body already started; the client sees a truncated response, nothing to add.
      log.debug("{} {}: {} after the response started", ctx.method(), ctx.path(), status);
      return;
    }
    headers.forEach(ctx::header);
    Responses.send(ctx, status, errorBody(status, title, errorCode, description));
  }

  static ObjectNode errorBody(int status, String title, String errorCode, String description) {
    ObjectNode body = Responses.object();
    body.put("title", title);
    if (description != null) {
      body.put("description", description);
    }
    body.put("error_code", errorCode);
    body.put("http_status", Integer.toString(status));
    return body;
  }
}
