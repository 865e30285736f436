package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A small TAXII 2.1 server that shares no code with Entente's, so that federation tests can check
 * that Entente's client speaks TAXII 2.1 and not "Entente". In memory, plain HTTP on 127.0.0.1, one
 * API root, HTTP Basic with one account. Tests drive it through Java methods: create collections,
 * inject objects with a chosen date_added, delay status completion, inject failures and read the
 * request log.
 *
 * <p>Where the spec allows a choice, this server deliberately differs from Entente:
 *
 * <ul>
 *   <li>the API root lives at {@code /trustgroup1/} and discovery advertises it as a relative URL
 *       (allowed by TAXII 2.1; {@link #setAbsoluteApiRootUrls} switches to absolute);
 *   <li>{@code next} is an opaque random token remembered server-side, valid only with the same
 *       filters (400 otherwise), and {@link #setNextTokens} can turn it off so that clients must
 *       fall back to {@code added_after=<X-TAXII-Date-Added-Last>};
 *   <li>date_added has millisecond granularity (written with six fraction digits) and is often
 *       shared: every object committed by one POST gets the same value;
 *   <li>{@code more} is omitted when false and {@code objects} when empty, so an empty page is
 *       {@code {}}; the X-TAXII-Date-Added headers are absent on an empty page;
 *   <li>POST is asynchronous on demand ({@link #setPendingPolls}): objects reach the collection
 *       only when their status turns complete.
 * </ul>
 *
 * <p>Not implemented: object versions (5.8), DELETE (5.7), aliases, TLS.
 */
public final class ForeignTaxiiServer implements AutoCloseable {
  /** The TAXII 2.1 media type, sent on every response and required on POST. */
  public static final String TAXII = "application/taxii+json;version=2.1";

  private static final String STIX = "application/stix+json;version=2.1";
  private static final String ROOT_PATH = "/trustgroup1/";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<Entry> DATE_ADDED_ORDER =
      Comparator.comparing(Entry::dateAdded).thenComparingLong(Entry::seq);

  /** One request as the server saw it; {@code status} is the HTTP status it answered. */
  public record Request(String method, String path, String query, Instant when, int status) {}

  private final String user;
  private final String password;
  private final long maxContentLength;
  private final int maxPageSize;
  private final HttpServer http;
  private final ExecutorService executor;

  // All mutable state below is guarded by "this".
  private final Map<String, Collection> collections = new LinkedHashMap<>();
  private final Map<String, Status> statuses = new HashMap<>();
  private final Map<String, Cursor> cursors = new HashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private long seq;
  private Instant lastDateAdded = Instant.EPOCH;
  private int pendingPolls;
  private boolean nextTokens = true;
  private boolean absoluteApiRootUrls;
  private int failuresLeft;
  private int failureStatus;
  private String failureRetryAfter;

  /** A server with a 1 MiB max_content_length and at most 100 objects per page. */
  public ForeignTaxiiServer(String user, String password) {
    this(user, password, 1024 * 1024, 100);
  }

  /** Starts listening on 127.0.0.1 at a random port. */
  public ForeignTaxiiServer(String user, String password, long maxContentLength, int maxPageSize) {
    if (maxContentLength <= 0 || maxPageSize <= 0) {
      throw new IllegalArgumentException("max_content_length and page size must be > 0");
    }
    this.user = user;
    this.password = password;
    this.maxContentLength = maxContentLength;
    this.maxPageSize = maxPageSize;
    try {
      this.http =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "foreign-taxii");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(executor);
    http.createContext("/", this::exchange);
    http.start();
  }

  // ---------------------------------------------------------------- Java API for tests

  /** {@code http://127.0.0.1:PORT/taxii2/} */
  public URI discoveryUrl() {
    return URI.create(origin() + "/taxii2/");
  }

  /** The absolute URL of the single API root, ending with "/". */
  public String apiRootUrl() {
    return origin() + ROOT_PATH;
  }

  /** Creates a collection and returns its id (a UUIDv4). */
  public synchronized String addCollection(String title, boolean canRead, boolean canWrite) {
    String id = UUID.randomUUID().toString();
    collections.put(id, new Collection(id, title, canRead, canWrite));
    return id;
  }

  /**
   * Stores objects as if POSTed and processed now; they all share one server-assigned date_added,
   * which is returned. An (id, version) already present is skipped.
   */
  public synchronized Instant add(String collectionId, ObjectNode... objects) {
    Instant dateAdded = nextDateAdded();
    add(collectionId, dateAdded, objects);
    return dateAdded;
  }

  /**
   * Stores objects with a chosen date_added (truncated to microseconds), which may repeat or lie in
   * the past. An (id, version) already present is skipped.
   */
  public synchronized void add(String collectionId, Instant dateAdded, ObjectNode... objects) {
    Collection c = collection(collectionId);
    for (ObjectNode o : objects) {
      c.store(o.deepCopy(), dateAdded.truncatedTo(ChronoUnit.MICROS), ++seq);
    }
  }

  /** Every stored object version of a collection, in date_added order (copies). */
  public synchronized List<ObjectNode> objects(String collectionId) {
    List<ObjectNode> out = new ArrayList<>();
    for (Entry e : collection(collectionId).entries) {
      out.add(e.object().deepCopy());
    }
    return out;
  }

  /** How many object versions a collection holds. */
  public synchronized int count(String collectionId) {
    return collection(collectionId).entries.size();
  }

  /** Empties a collection. */
  public synchronized void clear(String collectionId) {
    Collection c = collection(collectionId);
    c.entries.clear();
    c.keys.clear();
  }

  /**
   * Statuses created from now on answer "pending" in the 202 and in their first {@code n} GETs; the
   * next GET commits the objects and answers "complete". With 0 (the default) a POST is processed
   * at once and its 202 is already complete.
   */
  public synchronized void setPendingPolls(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n < 0");
    }
    this.pendingPolls = n;
  }

  /**
   * The next {@code n} requests, whatever they are, get {@code status} with a TAXII error body (and
   * a Retry-After header if not null) before authentication is even checked.
   */
  public synchronized void failNextRequests(int n, int status, String retryAfterOrNull) {
    this.failuresLeft = n;
    this.failureStatus = status;
    this.failureRetryAfter = retryAfterOrNull;
  }

  /**
   * With false, pages never carry {@code next} and end, where they can, on a date_added boundary so
   * that a client continuing with {@code added_after=<X-TAXII-Date-Added-Last>} loses nothing.
   * Default true.
   */
  public synchronized void setNextTokens(boolean enabled) {
    this.nextTokens = enabled;
  }

  /** With true, discovery lists the API root as an absolute URL. Default false (relative). */
  public synchronized void setAbsoluteApiRootUrls(boolean absolute) {
    this.absoluteApiRootUrls = absolute;
  }

  /** Every request answered so far, oldest first. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the request log. */
  public synchronized void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------- HTTP

  private String origin() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  private void exchange(HttpExchange ex) throws IOException {
    Instant when = Instant.now();
    Response response;
    try {
      response = route(ex);
    } catch (TaxiiError e) {
      response = e.response();
    } catch (RuntimeException e) {
      response = new TaxiiError(500, "Internal error", String.valueOf(e)).response();
    }
    try {
      try (InputStream in = ex.getRequestBody()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      ex.getResponseHeaders().set("Content-Type", TAXII);
      response.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      byte[] body = response.body() == null ? new byte[0] : JSON.writeValueAsBytes(response.body());
      ex.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        ex.getResponseBody().write(body);
      }
    } finally {
      ex.close();
      synchronized (this) {
        requests.add(
            new Request(
                ex.getRequestMethod(),
                ex.getRequestURI().getPath(),
                ex.getRequestURI().getRawQuery(),
                when,
                response.status()));
      }
    }
  }

  /** Every endpoint is listed here. */
  private Response route(HttpExchange ex) {
    injectedFailure();
    authenticate(ex.getRequestHeaders().getFirst("Authorization"));
    if (!isTaxii(ex.getRequestHeaders().get("Accept"))) {
      throw new TaxiiError(406, "Not acceptable", "Accept must include " + TAXII);
    }
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    Map<String, String> query = parameters(ex.getRequestURI().getRawQuery());
    if (path.equals("/taxii2/")) {
      requireGet(method);
      return discovery();
    }
    if (!path.startsWith(ROOT_PATH) || !path.endsWith("/")) {
      throw notFound();
    }
    String rest = path.substring(ROOT_PATH.length());
    String[] s = rest.isEmpty() ? new String[0] : rest.substring(0, rest.length() - 1).split("/");
    if (s.length == 0) {
      requireGet(method);
      return apiRoot();
    }
    if (s.length == 2 && s[0].equals("status")) {
      requireGet(method);
      return status(s[1]);
    }
    if (!s[0].equals("collections")) {
      throw notFound();
    }
    if (s.length == 1) {
      requireGet(method);
      return collections();
    }
    if (s.length == 2) {
      requireGet(method);
      return collectionResource(s[1]);
    }
    if (s.length == 3 && s[2].equals("manifest")) {
      requireGet(method);
      return manifest(s[1], query);
    }
    if (s.length == 3 && s[2].equals("objects")) {
      if (method.equals("POST")) {
        return addObjects(s[1], ex);
      }
      requireGet(method);
      return getObjects(s[1], null, query);
    }
    if (s.length == 4 && s[2].equals("objects")) {
      requireGet(method);
      return getObjects(s[1], s[3], query);
    }
    throw notFound();
  }

  private synchronized void injectedFailure() {
    if (failuresLeft > 0) {
      failuresLeft--;
      TaxiiError e = new TaxiiError(failureStatus, "Injected failure", "as the test asked");
      if (failureRetryAfter != null) {
        e.headers.put("Retry-After", failureRetryAfter);
      }
      throw e;
    }
  }

  private void authenticate(String authorization) {
    boolean ok = false;
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
        ok = pair.equals(user + ":" + password);
      } catch (IllegalArgumentException e) {
        ok = false;
      }
    }
    if (!ok) {
      TaxiiError e = new TaxiiError(401, "Unauthorized", "HTTP Basic credentials required");
      e.headers.put("WWW-Authenticate", "Basic realm=\"foreign-taxii\"");
      throw e;
    }
  }

  /** True when some media range is application/taxii+json with version 2.1 or no version. */
  private static boolean isTaxii(List<String> headerValues) {
    if (headerValues == null) {
      return false;
    }
    for (String header : headerValues) {
      for (String range : header.split(",")) {
        String[] parts = range.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/taxii+json")) {
          continue;
        }
        boolean versionOk = true;
        for (int i = 1; i < parts.length; i++) {
          String[] kv = parts[i].split("=", 2);
          if (kv[0].trim().equalsIgnoreCase("version")) {
            versionOk = kv.length == 2 && kv[1].trim().equals("2.1");
          }
        }
        if (versionOk) {
          return true;
        }
      }
    }
    return false;
  }

  private static void requireGet(String method) {
    if (!method.equals("GET")) {
      throw new TaxiiError(405, "Method not allowed", method);
    }
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (out.put(k, v) != null) {
        throw badRequest("parameter " + k + " given twice");
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- resources

  private synchronized Response discovery() {
    String url = absoluteApiRootUrls ? apiRootUrl() : ROOT_PATH;
    ObjectNode body = JSON.createObjectNode();
    body.put("title", "Foreign TAXII test server");
    body.put("description", "Not Entente: used to check federation against another TAXII 2.1");
    body.put("default", url);
    body.putArray("api_roots").add(url);
    return Response.ok(body);
  }

  private Response apiRoot() {
    ObjectNode body = JSON.createObjectNode();
    body.put("title", "Trust group 1");
    body.putArray("versions").add(TAXII);
    body.put("max_content_length", maxContentLength);
    return Response.ok(body);
  }

  private synchronized Response collections() {
    ObjectNode body = JSON.createObjectNode();
    if (!collections.isEmpty()) {
      ArrayNode list = body.putArray("collections");
      collections.values().forEach(c -> list.add(c.resource()));
    }
    return Response.ok(body);
  }

  private synchronized Response collectionResource(String id) {
    Collection c = collections.get(id);
    if (c == null) {
      throw notFound();
    }
    return Response.ok(c.resource());
  }

  private synchronized Response getObjects(
      String collectionId, String objectId, Map<String, String> query) {
    Collection c = readable(collectionId);
    Map<String, String> q = new HashMap<>(query);
    if (objectId != null) {
      if (c.entries.stream().noneMatch(e -> e.id().equals(objectId))) {
        throw notFound();
      }
      q.remove("match[id]");
      q.remove("match[type]");
      q.put("match[id]", objectId);
    }
    String scope = "objects " + collectionId + " " + objectId;
    Page page = page(c, scope, q);
    ObjectNode body = page.envelope();
    ArrayNode objects = JSON.createArrayNode();
    page.items().forEach(e -> objects.add(e.object()));
    if (!objects.isEmpty()) {
      body.set("objects", objects);
    }
    return page.response(body);
  }

  private synchronized Response manifest(String collectionId, Map<String, String> query) {
    Collection c = readable(collectionId);
    Page page = page(c, "manifest " + collectionId, query);
    ObjectNode body = page.envelope();
    if (!page.items().isEmpty()) {
      ArrayNode records = body.putArray("objects");
      for (Entry e : page.items()) {
        records
            .addObject()
            .put("id", e.id())
            .put("date_added", TIMESTAMP.format(e.dateAdded()))
            .put("version", e.version())
            .put("media_type", STIX);
      }
    }
    return page.response(body);
  }

  private Response addObjects(String collectionId, HttpExchange ex) {
    synchronized (this) {
      Collection c = collections.get(collectionId);
      if (c == null) {
        throw notFound();
      }
      if (!c.canWrite) {
        throw new TaxiiError(403, "Forbidden", "collection is not writable");
      }
    }
    if (!isTaxii(ex.getRequestHeaders().get("Content-Type"))) {
      throw new TaxiiError(415, "Unsupported media type", "Content-Type must be " + TAXII);
    }
    byte[] bytes = readBody(ex);
    JsonNode envelope;
    try {
      envelope = JSON.readTree(bytes);
    } catch (IOException e) {
      throw badRequest("body is not JSON");
    }
    if (envelope == null
        || !envelope.isObject()
        || (envelope.has("objects") && !envelope.get("objects").isArray())) {
      throw new TaxiiError(422, "Unprocessable", "body is not a TAXII envelope");
    }
    List<ObjectNode> valid = new ArrayList<>();
    List<ObjectNode> failures = new ArrayList<>();
    for (JsonNode o : envelope.path("objects")) {
      if (o.isObject()
          && o.path("type").isTextual()
          && o.path("id").isTextual()
          && o.path("spec_version").isTextual()) {
        valid.add((ObjectNode) o);
      } else {
        failures.add(
            detail(
                o.path("id").asText(""),
                o.path("modified").asText(o.path("created").asText("")),
                "type, id and spec_version are required"));
      }
    }
    synchronized (this) {
      Status status = new Status(collectionId, valid, failures, pendingPolls);
      statuses.put(status.id, status);
      if (status.pollsLeft == 0) {
        complete(status);
      }
      return new Response(202, status.resource(), Map.of());
    }
  }

  private byte[] readBody(HttpExchange ex) {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw badRequest("bad Content-Length");
      }
      if (n > maxContentLength) {
        throw tooLarge();
      }
    }
    try {
      InputStream in = ex.getRequestBody(); // left open: exchange() drains and closes it
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int r;
      while ((r = in.read(buf)) >= 0) {
        out.write(buf, 0, r);
        if (out.size() > maxContentLength) {
          throw tooLarge();
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized Response status(String id) {
    Status s = statuses.get(id);
    if (s == null) {
      throw notFound();
    }
    if (!s.complete) {
      if (s.pollsLeft > 0) {
        s.pollsLeft--;
      } else {
        complete(s);
      }
    }
    return Response.ok(s.resource());
  }

  /** Commits a status's objects with one shared date_added. */
  private void complete(Status s) {
    Collection c = collections.get(s.collectionId);
    Instant dateAdded = nextDateAdded();
    for (ObjectNode o : s.pending) {
      long n = ++seq;
      Entry e = c.store(o, dateAdded, n);
      s.successes.add(detail(e.id(), e.version(), e.seq() == n ? null : "Object already added"));
    }
    s.pending.clear();
    s.complete = true;
  }

  // ---------------------------------------------------------------- filtering and paging

  private Page page(Collection c, String scope, Map<String, String> query) {
    int limit = maxPageSize;
    if (query.containsKey("limit")) {
      try {
        limit = Integer.parseInt(query.get("limit"));
      } catch (NumberFormatException e) {
        throw badRequest("limit must be an integer");
      }
      if (limit <= 0) {
        throw badRequest("limit must be > 0");
      }
      limit = Math.min(limit, maxPageSize);
    }
    Map<String, String> filters = new HashMap<>(query);
    filters.remove("limit");
    filters.remove("next");

    List<Entry> matching = matching(c.entries, filters);
    if (filters.containsKey("added_after")) {
      Instant after = timestamp(filters.get("added_after"), "added_after");
      matching.removeIf(e -> !e.dateAdded().isAfter(after));
    }
    if (query.containsKey("next")) {
      Cursor cursor = cursors.get(query.get("next"));
      if (cursor == null || !cursor.scope().equals(scope) || !cursor.filters().equals(filters)) {
        throw badRequest("next is unknown, or the filters changed");
      }
      matching.removeIf(e -> DATE_ADDED_ORDER.compare(e, cursor.last()) <= 0);
    }

    List<Entry> items = new ArrayList<>(matching.subList(0, Math.min(limit, matching.size())));
    boolean more = items.size() < matching.size();
    String next = null;
    if (more && nextTokens) {
      next = UUID.randomUUID().toString();
      cursors.put(next, new Cursor(scope, filters, items.get(items.size() - 1)));
    } else if (more) {
      // No token: end on a date_added boundary so added_after=<last> misses nothing, unless a
      // single date_added fills the whole page (then some objects are unreachable: a server
      // without next must live with that).
      Instant following = matching.get(items.size()).dateAdded();
      List<Entry> trimmed = new ArrayList<>(items);
      trimmed.removeIf(e -> e.dateAdded().equals(following));
      if (!trimmed.isEmpty()) {
        items = trimmed;
      }
    }
    return new Page(items, more, next);
  }

  /** Applies match[id], match[type], match[spec_version] and match[version]; date_added order. */
  private static List<Entry> matching(List<Entry> entries, Map<String, String> filters) {
    Predicate<Entry> keep = e -> true;
    if (filters.containsKey("match[id]")) {
      Set<String> ids = values(filters, "match[id]");
      keep = keep.and(e -> ids.contains(e.id()));
    }
    if (filters.containsKey("match[type]")) {
      Set<String> types = values(filters, "match[type]");
      keep = keep.and(e -> types.contains(e.type()));
    }
    if (filters.containsKey("match[spec_version]")) {
      Set<String> specs = values(filters, "match[spec_version]");
      keep = keep.and(e -> specs.contains(e.object().path("spec_version").asText("2.0")));
    }
    List<Entry> candidates = new ArrayList<>(entries.stream().filter(keep).toList());

    Set<String> wanted =
        filters.containsKey("match[version]") ? values(filters, "match[version]") : Set.of("last");
    if (wanted.contains("all")) {
      if (wanted.size() > 1) {
        throw badRequest("match[version]=all must stand alone");
      }
      return candidates;
    }
    Set<Instant> exact = new HashSet<>();
    for (String w : wanted) {
      if (!w.equals("first") && !w.equals("last")) {
        exact.add(timestamp(w, "match[version]"));
      }
    }
    Map<String, List<Entry>> byId = new LinkedHashMap<>();
    candidates.forEach(e -> byId.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e));
    Set<Long> chosen = new HashSet<>();
    Comparator<Entry> versionOrder =
        Comparator.comparing(Entry::versionTime).thenComparingLong(Entry::seq);
    for (List<Entry> group : byId.values()) {
      group.sort(versionOrder);
      if (wanted.contains("first")) {
        chosen.add(group.get(0).seq());
      }
      if (wanted.contains("last")) {
        chosen.add(group.get(group.size() - 1).seq());
      }
      group.stream().filter(e -> exact.contains(e.versionTime())).forEach(e -> chosen.add(e.seq()));
    }
    candidates.removeIf(e -> !chosen.contains(e.seq()));
    return candidates;
  }

  /** Comma-separated values of one match field; a value must not repeat. */
  private static Set<String> values(Map<String, String> filters, String field) {
    Set<String> out = new HashSet<>();
    for (String v : filters.get(field).split(",")) {
      if (v.isEmpty() || !out.add(v)) {
        throw badRequest(field + " has an empty or repeated value");
      }
    }
    return out;
  }

  private static Instant timestamp(String text, String what) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw badRequest(what + " is not a timestamp: " + text);
    }
  }

  /** Millisecond granularity, never backwards, so equal values are common. */
  private Instant nextDateAdded() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    if (now.isBefore(lastDateAdded)) {
      now = lastDateAdded;
    }
    lastDateAdded = now;
    return now;
  }

  private Collection collection(String id) {
    Collection c = collections.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no collection " + id);
    }
    return c;
  }

  private Collection readable(String id) {
    Collection c = collections.get(id);
    if (c == null) {
      throw notFound();
    }
    if (!c.canRead) {
      throw new TaxiiError(403, "Forbidden", "collection is not readable");
    }
    return c;
  }

  /** A STIX version: modified, else created; for objects with neither, the date_added. */
  private static String versionOf(JsonNode o, Instant dateAdded) {
    if (o.path("modified").isTextual()) {
      return o.get("modified").asText();
    }
    if (o.path("created").isTextual()) {
      return o.get("created").asText();
    }
    return TIMESTAMP.format(dateAdded);
  }

  private static ObjectNode detail(String id, String version, String message) {
    ObjectNode d = JSON.createObjectNode().put("id", id).put("version", version);
    if (message != null) {
      d.put("message", message);
    }
    return d;
  }

  private static TaxiiError notFound() {
    return new TaxiiError(404, "Not found", "no such resource");
  }

  private static TaxiiError badRequest(String description) {
    return new TaxiiError(400, "Bad request", description);
  }

  private TaxiiError tooLarge() {
    return new TaxiiError(
        413, "Request too large", "the body exceeds max_content_length " + maxContentLength);
  }

  // ---------------------------------------------------------------- state types

  /** One stored object version; {@code versionTime} orders the versions of one id. */
  private record Entry(
      long seq, Instant dateAdded, ObjectNode object, String version, Instant versionTime) {
    String id() {
      return object.get("id").asText();
    }

    String type() {
      return object.path("type").asText();
    }
  }

  private record Cursor(String scope, Map<String, String> filters, Entry last) {}

  private record Page(List<Entry> items, boolean more, String next) {
    ObjectNode envelope() {
      ObjectNode body = JSON.createObjectNode();
      if (more) {
        body.put("more", true);
      }
      if (next != null) {
        body.put("next", next);
      }
      return body;
    }

    Response response(ObjectNode body) {
      Map<String, String> headers = new HashMap<>();
      if (!items.isEmpty()) {
        headers.put("X-TAXII-Date-Added-First", TIMESTAMP.format(items.get(0).dateAdded()));
        headers.put(
            "X-TAXII-Date-Added-Last", TIMESTAMP.format(items.get(items.size() - 1).dateAdded()));
      }
      return new Response(200, body, headers);
    }
  }

  private static final class Collection {
    final String id;
    final String title;
    final boolean canRead;
    final boolean canWrite;
    final List<Entry> entries = new ArrayList<>();
    final Map<String, Entry> keys = new HashMap<>();

    Collection(String id, String title, boolean canRead, boolean canWrite) {
      this.id = id;
      this.title = title;
      this.canRead = canRead;
      this.canWrite = canWrite;
    }

    /** Stores one version and returns it, or returns the twin already stored. */
    Entry store(ObjectNode o, Instant dateAdded, long seq) {
      String explicit =
          o.path("modified").isTextual()
              ? o.get("modified").asText()
              : o.path("created").isTextual() ? o.get("created").asText() : null;
      Instant parsed = null;
      if (explicit != null) {
        try {
          parsed = Instant.parse(explicit);
        } catch (DateTimeParseException e) {
          parsed = null;
        }
      }
      String key =
          o.path("id").asText()
              + "|"
              + (parsed != null ? parsed : explicit == null ? "" : explicit);
      Entry twin = keys.get(key);
      if (twin != null) {
        return twin;
      }
      Entry e =
          new Entry(
              seq, dateAdded, o, versionOf(o, dateAdded), parsed != null ? parsed : dateAdded);
      keys.put(key, e);
      entries.add(e);
      entries.sort(DATE_ADDED_ORDER);
      return e;
    }

    ObjectNode resource() {
      ObjectNode r = JSON.createObjectNode();
      r.put("id", id);
      r.put("title", title);
      r.put("can_read", canRead);
      r.put("can_write", canWrite);
      r.putArray("media_types").add(STIX);
      return r;
    }
  }

  private static final class Status {
    final String id = UUID.randomUUID().toString();
    final String collectionId;
    final Instant requested = Instant.now();
    final List<ObjectNode> pending;
    final List<ObjectNode> successes = new ArrayList<>();
    final List<ObjectNode> failures;
    int pollsLeft;
    boolean complete;

    Status(String collectionId, List<ObjectNode> pending, List<ObjectNode> failures, int polls) {
      this.collectionId = collectionId;
      this.pending = new ArrayList<>(pending);
      this.failures = failures;
      this.pollsLeft = polls;
    }

    ObjectNode resource() {
      ObjectNode r = JSON.createObjectNode();
      r.put("id", id);
      r.put("status", complete ? "complete" : "pending");
      r.put("request_timestamp", TIMESTAMP.format(requested));
      r.put("total_count", successes.size() + failures.size() + pending.size());
      r.put("success_count", successes.size());
      r.put("failure_count", failures.size());
      r.put("pending_count", pending.size());
      list(r, "successes", successes);
      list(r, "failures", failures);
      if (!pending.isEmpty()) {
        ArrayNode a = r.putArray("pendings");
        for (ObjectNode o : pending) {
          a.add(detail(o.get("id").asText(), versionOf(o, requested), null));
        }
      }
      return r;
    }

    private static void list(ObjectNode r, String name, List<ObjectNode> items) {
      if (!items.isEmpty()) {
        r.putArray(name).addAll(items);
      }
    }
  }

  private record Response(int status, JsonNode body, Map<String, String> headers) {
    static Response ok(JsonNode body) {
      return new Response(200, body, Map.of());
    }
  }

  /** Any failure; turned into a TAXII error object in one place ({@link #exchange}). */
  private static final class TaxiiError extends RuntimeException {
    final int status;
    final String title;
    final Map<String, String> headers = new HashMap<>();

    TaxiiError(int status, String title, String description) {
      super(description, null, false, false);
      this.status = status;
      this.title = title;
    }

    Response response() {
      ObjectNode body = JSON.createObjectNode();
      body.put("title", title);
      body.put("http_status", String.valueOf(status));
      body.put("description", getMessage());
      return new Response(status, body, headers);
    }
  }
}
