package org.entente.taxii.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.entente.stix.StixJson;
import org.entente.stix.StixParseException;
import org.entente.taxii.Taxii;

/**
 * A TAXII 2.1 client over {@code java.net.http}; thread-safe (it holds no state besides its
 * configuration and the shared HTTP client).
 *
 * <p>An API root is named by its URL as discovery lists it: absolute ({@code https://host/api1/}),
 * server-relative ({@code /api1/}) or just its path ({@code api1}).
 *
 * <p>Every failure is a {@link TaxiiClientException}: an error answer carries its status, error
 * resource and {@code Retry-After} delay; a {@link TaxiiTransportException} means no answer came
 * (status 0, always {@link TaxiiClientException#retryable() retryable}); a {@link
 * TaxiiProtocolException} means the answer was not TAXII 2.1 (a successful answer read as a
 * resource must be {@code application/taxii+json;version=2.1} and a JSON object) or its body was
 * above the client's cap. Each exchange, body included, must finish within two minutes.
 */
public final class TaxiiClient {
  static final String USER_AGENT = "entente-taxii-client/0.1";
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  /** The largest response body a client accepts unless told otherwise: 256 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 256L << 20;

  /** The largest body cap there can be: a body is held in one array. */
  static final long MAX_BODY_CAP = Integer.MAX_VALUE - 8;

  private final URI base;
  private final Credentials credentials;
  private final HttpClient http;
  private final long maxBodyBytes;
  private final Duration timeout;

  /** A client of the server at {@code baseUrl} (its root, where /taxii2/ is) with default TLS. */
  public TaxiiClient(URI baseUrl, Credentials credentials) {
    this(baseUrl, credentials, null);
  }

  /**
   * @param sslContext the TLS context to trust the server with (e.g. a pinned certificate), or null
   *     for the JDK default trust
   */
  public TaxiiClient(URI baseUrl, Credentials credentials, SSLContext sslContext) {
    this(baseUrl, credentials, sslContext, DEFAULT_MAX_BODY_BYTES);
  }

  /**
   * @param sslContext the TLS context to trust the server with and, for a client certificate, to
   *     present (see {@link TlsContexts}), or null for the JDK default trust and no certificate
   * @param maxBodyBytes the largest response body to accept (at most {@code Integer.MAX_VALUE -
   *     8}): a larger resource fails with {@link TaxiiProtocolException} once the cap is crossed,
   *     without the client holding more than the cap; {@link #DEFAULT_MAX_BODY_BYTES} when in doubt
   */
  public TaxiiClient(
      URI baseUrl, Credentials credentials, SSLContext sslContext, long maxBodyBytes) {
    this(baseUrl, credentials, sslContext, maxBodyBytes, REQUEST_TIMEOUT);
  }

  /**
   * @param timeout how long one exchange (connection, answer and the whole body) may take
   */
  TaxiiClient(
      URI baseUrl,
      Credentials credentials,
      SSLContext sslContext,
      long maxBodyBytes,
      Duration timeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_CAP) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be between 1 and " + MAX_BODY_CAP + ", not " + maxBodyBytes);
    }
    this.base = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.maxBodyBytes = maxBodyBytes;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER);
    if (sslContext != null) {
      b.sslContext(sslContext);
    }
    this.http = b.build();
  }

  /** The largest response body this client accepts. */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  // ---- server information -----------------------------------------------------------------

  /** GET /taxii2/ */
  public Discovery discovery() {
    JsonNode n = get(base.resolve(Taxii.DISCOVERY_PATH.substring(1))).body();
    List<String> roots = new ArrayList<>();
    n.path("api_roots").forEach(r -> roots.add(r.asText()));
    return new Discovery(
        text(n, "title"), text(n, "description"), text(n, "contact"), text(n, "default"), roots, n);
  }

  /** GET {api-root}/ */
  public ApiRootInfo apiRoot(String root) {
    JsonNode n = get(rootUri(root)).body();
    List<String> versions = new ArrayList<>();
    n.path("versions").forEach(v -> versions.add(v.asText()));
    return new ApiRootInfo(
        text(n, "title"),
        text(n, "description"),
        versions,
        n.path("max_content_length").asLong(),
        n);
  }

  /** GET {api-root}/status/{status-id}/ */
  public Status status(String root, String statusId) {
    return status(get(rootUri(root).resolve("status/" + segment(statusId) + "/")).body());
  }

  /**
   * Polls the status until it is {@code complete} or the timeout passes, backing off between polls;
   * returns the last status seen (pending when it timed out).
   */
  public Status waitForStatus(String root, String statusId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    long pauseMs = 25;
    while (true) {
      Status s = status(root, statusId);
      if (s.complete() || !Instant.now().isBefore(deadline)) {
        return s;
      }
      long left = Duration.between(Instant.now(), deadline).toMillis();
      sleep(Math.max(1, Math.min(pauseMs, left)));
      pauseMs = Math.min(pauseMs * 2, 1000);
    }
  }

  // ---- collections ------------------------------------------------------------------------

  /** GET {api-root}/collections/ */
  public List<CollectionInfo> collections(String root) {
    List<CollectionInfo> out = new ArrayList<>();
    get(rootUri(root).resolve("collections/"))
        .body()
        .path("collections")
        .forEach(c -> out.add(collection(c)));
    return out;
  }

  /** GET {api-root}/collections/{id-or-alias}/ */
  public CollectionInfo collection(String root, String collection) {
    return collection(get(collectionUri(root, collection)).body());
  }

  // ---- objects ----------------------------------------------------------------------------

  /** GET {api-root}/collections/{id}/objects/ : one page. */
  public Envelope getObjects(String root, String collection, Query query) {
    return envelope(get(withQuery(collectionUri(root, collection).resolve("objects/"), query)));
  }

  /**
   * Every page of GET objects, in order, following {@code next} while {@code more} is true (and
   * {@code added_after=X-TAXII-Date-Added-Last} when a server gives no {@code next}, §3.5).
   */
  public void forEachPage(String root, String collection, Query query, Consumer<Envelope> page) {
    Query q = query;
    while (true) {
      Envelope e = getObjects(root, collection, q);
      page.accept(e);
      if (!e.more()) {
        return;
      }
      if (e.next() != null) {
        q = q.withNext(e.next());
      } else if (e.dateAddedLast() != null) {
        q = q.withNext(null).withAddedAfter(e.dateAddedLast());
      } else {
        // "more" with neither a cursor nor a date to resume from: nothing sound to follow.
        return;
      }
    }
  }

  /** Every object GET objects selects, across all pages. */
  public List<JsonNode> getAllObjects(String root, String collection, Query query) {
    List<JsonNode> all = new ArrayList<>();
    forEachPage(root, collection, query, e -> all.addAll(e.objects()));
    return all;
  }

  /** GET {api-root}/collections/{id}/objects/{object-id}/ */
  public Envelope getObject(String root, String collection, String objectId, Query query) {
    return envelope(get(withQuery(objectUri(root, collection, objectId), query)));
  }

  /** DELETE {api-root}/collections/{id}/objects/{object-id}/ (all versions unless filtered). */
  public void deleteObject(String root, String collection, String objectId, Query query) {
    send(request(withQuery(objectUri(root, collection, objectId), query)).DELETE().build(), false);
  }

  /** GET {api-root}/collections/{id}/manifest/ : one page. */
  public Manifest manifest(String root, String collection, Query query) {
    Reply r = get(withQuery(collectionUri(root, collection).resolve("manifest/"), query));
    List<ManifestRecord> records = new ArrayList<>();
    r.body()
        .path("objects")
        .forEach(
            m ->
                records.add(
                    new ManifestRecord(
                        text(m, "id"),
                        text(m, "date_added"),
                        text(m, "version"),
                        text(m, "media_type"))));
    return new Manifest(
        r.body().path("more").asBoolean(false),
        text(r.body(), "next"),
        records,
        r.first(),
        r.last());
  }

  /** GET {api-root}/collections/{id}/objects/{object-id}/versions/ : one page. */
  public Versions versions(String root, String collection, String objectId, Query query) {
    Reply r = get(withQuery(objectUri(root, collection, objectId).resolve("versions/"), query));
    List<String> versions = new ArrayList<>();
    r.body().path("versions").forEach(v -> versions.add(v.asText()));
    return new Versions(
        r.body().path("more").asBoolean(false),
        text(r.body(), "next"),
        versions,
        r.first(),
        r.last());
  }

  /** POST {api-root}/collections/{id}/objects/ with an envelope of these objects. */
  public Status addObjects(String root, String collection, List<? extends JsonNode> objects) {
    ObjectNode envelope = StixJson.mapper().createObjectNode();
    ArrayNode list = envelope.putArray("objects");
    objects.forEach(list::add);
    return addEnvelope(root, collection, StixJson.writeBytes(envelope));
  }

  /** POST {api-root}/collections/{id}/objects/ with an envelope given as JSON bytes. */
  public Status addEnvelope(String root, String collection, byte[] envelopeJson) {
    HttpRequest req =
        request(collectionUri(root, collection).resolve("objects/"))
            .header("Content-Type", Taxii.MEDIA_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelopeJson))
            .build();
    return status(send(req, true).body());
  }

  // ---- plumbing ---------------------------------------------------------------------------

  /** A successful response: its JSON body (null when it had none) and the date headers. */
  private record Reply(JsonNode body, String first, String last) {}

  private Reply get(URI uri) {
    return send(request(uri).GET().build(), true);
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Accept", Taxii.MEDIA_TYPE)
        .header("User-Agent", USER_AGENT)
        .header("Authorization", credentials.authorization());
  }

  /**
   * One exchange. An error status becomes a {@link TaxiiClientException} (with the error resource
   * when the body is JSON, whatever its media type, and the Retry-After delay); when {@code
   * expectBody}, a successful answer must be a TAXII 2.1 JSON object or it is a {@link
   * TaxiiProtocolException}.
   */
  private Reply send(HttpRequest req, boolean expectBody) {
    String what = req.method() + " " + req.uri();
    HttpResponse<byte[]> res = exchange(req, what, expectBody);
    int status = res.statusCode();
    if (status < 200 || status > 299) {
      JsonNode body = parse(res.body());
      String title = body == null ? null : text(body, "title");
      String description = body == null ? null : text(body, "description");
      throw new TaxiiClientException(
          status,
          body,
          what
              + " -> "
              + status
              + (title == null ? "" : " " + title)
              + (description == null ? "" : ": " + description),
          RetryAfter.parse(
              res.headers().firstValue("Retry-After").orElse(null),
              res.headers().firstValue("Date").orElse(null),
              Instant.now()));
    }
    JsonNode body = null;
    if (expectBody) {
      String type = res.headers().firstValue("Content-Type").orElse(null);
      if (!MediaTypes.isTaxii21(type)) {
        throw new TaxiiProtocolException(
            status,
            what
                + " -> "
                + status
                + " with Content-Type "
                + (type == null ? "(none)" : "'" + type + "'")
                + ", not "
                + Taxii.MEDIA_TYPE);
      }
      body = parse(res.body());
      if (body == null) {
        throw new TaxiiProtocolException(
            status, what + " -> " + status + " without a JSON object as its body");
      }
    }
    return new Reply(
        body,
        res.headers().firstValue(Taxii.DATE_ADDED_FIRST).orElse(null),
        res.headers().firstValue(Taxii.DATE_ADDED_LAST).orElse(null));
  }

  /**
   * Sends and reads the whole answer within the timeout (the HTTP client's own timeout stops at the
   * headers, so a server that stalls mid-body would otherwise hold the caller forever).
   */
  private HttpResponse<byte[]> exchange(HttpRequest req, String what, boolean expectBody) {
    CompletableFuture<HttpResponse<byte[]>> f =
        http.sendAsync(req, CappedBody.handler(maxBodyBytes, expectBody));
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw failure(what, e.getCause());
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new TaxiiTransportException(
          what + " failed: no complete answer within " + timeout,
          new HttpTimeoutException("no complete answer within " + timeout));
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    }
  }

  private static RuntimeException failure(String what, Throwable cause) {
    Throwable c = cause;
    while (c instanceof CompletionException || c instanceof ExecutionException) {
      if (c.getCause() == null) {
        break;
      }
      c = c.getCause();
    }
    for (Throwable t = c; t != null; t = t.getCause()) {
      if (t instanceof CappedBody.TooLarge big) {
        return new TaxiiProtocolException(
            big.status, what + " -> " + big.status + ": " + big.getMessage());
      }
    }
    if (c instanceof IOException io) {
      return new TaxiiTransportException(what + " failed: " + describe(io), io);
    }
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(what + " failed", c);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** The body as a JSON object, or null when there is none or it is not one. */
  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode n = StixJson.parse(body);
      return n != null && n.isObject() ? n : null;
    } catch (StixParseException e) {
      return null;
    }
  }

  private static Envelope envelope(Reply r) {
    List<JsonNode> objects = new ArrayList<>();
    r.body().path("objects").forEach(objects::add);
    return new Envelope(
        r.body().path("more").asBoolean(false),
        text(r.body(), "next"),
        objects,
        r.first(),
        r.last());
  }

  private static CollectionInfo collection(JsonNode c) {
    List<String> media = new ArrayList<>();
    c.path("media_types").forEach(m -> media.add(m.asText()));
    return new CollectionInfo(
        text(c, "id"),
        text(c, "title"),
        text(c, "description"),
        text(c, "alias"),
        c.path("can_read").asBoolean(false),
        c.path("can_write").asBoolean(false),
        media,
        c);
  }

  private static Status status(JsonNode n) {
    return new Status(
        text(n, "id"),
        text(n, "status"),
        text(n, "request_timestamp"),
        n.path("total_count").asInt(),
        n.path("success_count").asInt(),
        n.path("failure_count").asInt(),
        n.path("pending_count").asInt(),
        details(n.path("successes")),
        details(n.path("failures")),
        details(n.path("pendings")),
        n);
  }

  private static List<Status.Detail> details(JsonNode list) {
    List<Status.Detail> out = new ArrayList<>();
    list.forEach(
        d -> out.add(new Status.Detail(text(d, "id"), text(d, "version"), text(d, "message"))));
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private URI rootUri(String root) {
    Objects.requireNonNull(root, "root");
    String r = root.endsWith("/") ? root : root + "/";
    if (r.startsWith("https://") || r.startsWith("http://")) {
      return URI.create(r);
    }
    return base.resolve(r.startsWith("/") ? r.substring(1) : r);
  }

  private URI collectionUri(String root, String collection) {
    return rootUri(root).resolve("collections/" + segment(collection) + "/");
  }

  private URI objectUri(String root, String collection, String objectId) {
    return collectionUri(root, collection).resolve("objects/" + segment(objectId) + "/");
  }

  private static URI withQuery(URI uri, Query query) {
    String q = query == null ? "" : query.toQueryString();
    return q.isEmpty() ? uri : URI.create(uri + "?" + q);
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a status", e);
    }
  }
}
