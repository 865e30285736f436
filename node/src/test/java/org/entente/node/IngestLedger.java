package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.entente.stix.StixJson;

/**
 * The books of a fault test: every object version it posted to the default collection (the exact
 * JSON text), and what the node's answers said about each.
 *
 * <p>"success" in any status (the answer to the POST, or a GET of the status later, before or after
 * a restart) promises that the version is durable: {@link #verify} checks that every such version
 * is in the collection, exactly as posted, once. An answer that says nothing was stored (a failure
 * status, a 503 for a full ingest queue, a status that a restarted node does not know) is checked
 * too: a version posted only that once must be absent. A request without an answer (the node died,
 * the connection broke) or answered "database unavailable" promises nothing either way; what it did
 * store must still be intact.
 */
final class IngestLedger {
  static final String OBJECTS = "/api/collections/default/objects/";

  /** What a status detail names: an object version. */
  record Version(String id, String version) {}

  private final Map<Version, String> sent = new ConcurrentHashMap<>();
  private final Map<Version, AtomicInteger> posts = new ConcurrentHashMap<>();
  private final Set<Version> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<String> statusIds = ConcurrentHashMap.newKeySet();
  // The same as lists, to pick from.
  private final List<String> acknowledgedIdList = new CopyOnWriteArrayList<>();
  private final List<String> statusIdList = new CopyOnWriteArrayList<>();
  private final Set<Version> notStored = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Version>> pending = new ConcurrentHashMap<>();

  /**
   * What the collection held before the test posted anything (the home organisation's identity).
   */
  private final Map<Version, JsonNode> before = new ConcurrentHashMap<>();

  /** Answers that break the contract, whenever they came; {@link #verify} fails on any. */
  private final Queue<String> surprises = new ConcurrentLinkedQueue<>();

  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger answers = new AtomicInteger();
  private final AtomicInteger unanswered = new AtomicInteger();
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger pendingAnswers = new AtomicInteger();
  private final AtomicInteger pollsSettled = new AtomicInteger();

  /** Reads what the collection holds before anything is posted: {@link #verify} expects it kept. */
  void baseline(TaxiiHttp http) throws IOException, InterruptedException {
    before.putAll(collection(http));
  }

  /** Enters an object about to be posted (again, for a repeat: the very same text); its version. */
  Version posting(String json) {
    JsonNode node = StixJson.parse(json);
    Version v = new Version(node.get("id").asText(), node.get("modified").asText());
    String earlier = sent.putIfAbsent(v, json);
    if (earlier != null && !earlier.equals(json)) {
      throw new IllegalArgumentException("a repeat of " + v + " must be the same text");
    }
    posts.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
    return v;
  }

  /** The node's answer to a POST of {@code versions}. */
  void answered(List<Version> versions, HttpResponse<String> r) {
    requests.incrementAndGet();
    answers.incrementAndGet();
    if (r.statusCode() == 202) {
      JsonNode status = StixJson.parse(r.body());
      if (!"complete".equals(status.path("status").asText())) {
        pendingAnswers.incrementAndGet();
      }
      status(status);
    } else if (r.statusCode() == 503) {
      unavailable.incrementAndGet();
      JsonNode error = taxiiError(r);
      String code = error == null ? "" : error.path("error_code").asText();
      // A full queue or a node shutting down stored nothing; an unreachable database may have
      // cut a COMMIT off, so that answer promises nothing (see StoreUnavailableException).
      if (code.equals("ingest-backlog") || code.equals("unavailable")) {
        notStored.addAll(versions);
      }
    } else {
      surprises.add("POST answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** A POST that got no answer: the node died under it, or the connection broke. */
  void noAnswer() {
    requests.incrementAndGet();
    unanswered.incrementAndGet();
  }

  /**
   * Checks an error answer: a TAXII error resource ({@code application/taxii+json} with a title)
   * and, for a 503, a Retry-After. Records a surprise and returns null if it is not.
   */
  JsonNode taxiiError(HttpResponse<String> r) {
    String type = r.headers().firstValue("Content-Type").orElse("");
    JsonNode body;
    try {
      body = StixJson.parse(r.body());
    } catch (RuntimeException e) {
      body = null;
    }
    if (!type.startsWith("application/taxii+json")
        || body == null
        || !body.path("title").isTextual()
        || (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isEmpty())) {
      surprises.add(
          r.statusCode() + " is not a TAXII error with Retry-After: " + type + " " + r.body());
      return null;
    }
    return body;
  }

  /** A status resource, as a POST answered it or a GET returned it. */
  void status(JsonNode status) {
    String id = status.path("id").asText();
    if (statusIds.add(id)) {
      statusIdList.add(id);
    }
    for (JsonNode d : status.path("successes")) {
      Version v = version(d);
      if (!sent.containsKey(v)) {
        surprises.add("status " + id + " reports success for a version never posted: " + v);
      }
      if (acknowledged.add(v)) {
        acknowledgedIdList.add(v.id());
      }
    }
    for (JsonNode d : status.path("failures")) {
      // Everything these tests post is valid and new or an exact repeat: a failure can only say
      // that the store failed (nothing was stored) or that the database was unavailable (a COMMIT
      // cut off may have been applied: no promise either way).
      String message = d.path("message").asText();
      if (message.contains("nothing was stored")) {
        notStored.add(version(d));
      } else if (!message.contains("database was unavailable")) {
        surprises.add("status " + id + " reports a failure: " + d);
      }
    }
    if ("complete".equals(status.path("status").asText())) {
      pending.remove(id);
    } else {
      List<Version> waiting = new ArrayList<>();
      status.path("pendings").forEach(d -> waiting.add(version(d)));
      pending.put(id, waiting);
    }
  }

  private static Version version(JsonNode detail) {
    return new Version(detail.path("id").asText(), detail.path("version").asText());
  }

  /** Asks a live node for one status still pending, if any; an answer other than 200 is ignored. */
  void pollOne(TaxiiHttp http, Random random) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>(pending.keySet());
    if (ids.isEmpty()) {
      return;
    }
    String id = ids.get(random.nextInt(ids.size()));
    HttpResponse<String> r = http.get("/api/status/" + id + "/");
    if (r.statusCode() == 200) {
      JsonNode status = StixJson.parse(r.body());
      status(status);
      if ("complete".equals(status.path("status").asText())) {
        pollsSettled.incrementAndGet();
      }
    }
  }

  /**
   * After the last restart, with nothing in flight: asks for every status still pending until each
   * has settled. A status is saved in the transaction of its objects, so one the store does not
   * hold never committed; one saved as pending by a process that was killed before its commit is
   * reported as failed ("nothing was stored") once that process's lease has lapsed, so this may
   * wait for about a lease term (30 s).
   */
  void settlePending(TaxiiHttp http) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
    while (!pending.isEmpty()) {
      for (String id : List.copyOf(pending.keySet())) {
        HttpResponse<String> r = http.get("/api/status/" + id + "/");
        if (r.statusCode() == 200) {
          JsonNode status = StixJson.parse(r.body());
          status(status);
          if ("complete".equals(status.path("status").asText())) {
            pollsSettled.incrementAndGet();
          }
        } else if (r.statusCode() == 404) {
          notStored.addAll(pending.remove(id));
        } else {
          surprises.add("GET status " + id + " answered " + r.statusCode() + ": " + r.body());
          pending.remove(id);
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        pending.keySet().forEach(id -> surprises.add("status " + id + " never settled"));
        break;
      }
      Thread.sleep(500);
    }
  }

  /**
   * Reads the collection (every version) and checks it against the books: no surprise answers;
   * every acknowledged version present; every version present posted by this test, intact (the same
   * JSON tree as posted) and there once; versions said not to be stored absent. Then reads a sample
   * of acknowledged versions one by one ({@code objects/{id}/?match[version]=...}).
   */
  void verify(TaxiiHttp http, Random random) throws IOException, InterruptedException {
    assertThat(surprises).as("answers that break the contract").isEmpty();
    assertThat(pending).as("statuses never settled").isEmpty();
    Map<Version, JsonNode> held = collection(http);
    List<Version> missing = new ArrayList<>();
    for (Version v : acknowledged) {
      if (!held.containsKey(v)) {
        missing.add(v);
      }
    }
    assertThat(missing).as("versions a status reported as success, missing").isEmpty();
    List<String> damaged = new ArrayList<>();
    held.forEach(
        (v, object) -> {
          String posted = sent.get(v);
          if (before.containsKey(v)) {
            if (!object.equals(before.get(v))) {
              damaged.add(v + " differs from what the collection held before: " + object);
            }
          } else if (posted == null) {
            damaged.add(v + " was never posted");
          } else if (!object.equals(StixJson.parse(posted))) {
            damaged.add(v + " differs from what was posted: " + object);
          }
        });
    assertThat(damaged).as("versions not as posted").isEmpty();
    assertThat(held.keySet()).as("the versions held before").containsAll(before.keySet());
    List<Version> lied = new ArrayList<>();
    for (Version v : notStored) {
      if (posts.get(v).get() == 1 && held.containsKey(v)) {
        lied.add(v);
      }
    }
    assertThat(lied).as("versions an answer said were not stored, present").isEmpty();

    List<Version> sample = new ArrayList<>(acknowledged);
    sample.sort(Comparator.comparing(Version::id).thenComparing(Version::version));
    Collections.shuffle(sample, random);
    for (Version v : sample.subList(0, Math.min(200, sample.size()))) {
      HttpResponse<String> r =
          http.get(
              OBJECTS
                  + v.id()
                  + "/?match%5Bversion%5D="
                  + URLEncoder.encode(v.version(), StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as("GET %s", v).isEqualTo(200);
      JsonNode objects = StixJson.parse(r.body()).path("objects");
      assertThat(objects).as("GET %s", v).hasSize(1);
      assertThat(objects.get(0)).as("GET %s", v).isEqualTo(StixJson.parse(sent.get(v)));
    }
  }

  /** Every version in the default collection, page by page; fails on a version held twice. */
  private static Map<Version, JsonNode> collection(TaxiiHttp http)
      throws IOException, InterruptedException {
    Map<Version, JsonNode> held = new HashMap<>();
    String next = null;
    do {
      String path =
          OBJECTS
              + "?match%5Bversion%5D=all&limit=5000"
              + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      HttpResponse<String> r = http.get(path);
      assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
      JsonNode page = StixJson.parse(r.body());
      for (JsonNode o : page.path("objects")) {
        Version v = new Version(o.path("id").asText(), o.path("modified").asText());
        assertThat(held.put(v, o)).as("%s is in the collection twice", v).isNull();
      }
      next = page.path("more").asBoolean() ? page.path("next").asText() : null;
    } while (next != null);
    return held;
  }

  /** The id of an object some status acknowledged, or null if none yet. */
  String anyAcknowledgedId(Random random) {
    return any(acknowledgedIdList, random);
  }

  /** The id of a status some answer named, or null if none yet. */
  String anyStatusId(Random random) {
    return any(statusIdList, random);
  }

  private static String any(List<String> list, Random random) {
    int n = list.size();
    return n == 0 ? null : list.get(random.nextInt(n));
  }

  int acknowledged() {
    return acknowledged.size();
  }

  int posted() {
    return sent.size();
  }

  /** Versions an answer said were not stored. */
  int notStored() {
    return notStored.size();
  }

  int requests() {
    return requests.get();
  }

  /** POSTs answered (with anything). */
  int answers() {
    return answers.get();
  }

  int unanswered() {
    return unanswered.get();
  }

  int unavailable() {
    return unavailable.get();
  }

  /** POSTs answered with a status still pending (the commit took longer than the status wait). */
  int pendingAnswers() {
    return pendingAnswers.get();
  }

  /** Pending statuses that a GET found complete. */
  int pollsSettled() {
    return pollsSettled.get();
  }

  /** For messages. */
  String summary() {
    return "%d requests (%d unanswered, %d answered 503, %d pending), %d versions posted, %d acknowledged, %d said not stored, %d pending statuses settled by GET"
        .formatted(
            requests(),
            unanswered(),
            unavailable(),
            pendingAnswers(),
            posted(),
            acknowledged(),
            notStored(),
            pollsSettled());
  }
}
