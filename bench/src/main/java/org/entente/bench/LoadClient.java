package org.entente.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * One simulated TAXII client: its own HTTP/1.1 keep-alive connection (one {@link HttpClient}),
 * precomputed headers, and the few requests the load phases need. Not thread-safe; one per driver
 * thread.
 */
final class LoadClient {
  static final String MEDIA = "application/taxii+json;version=2.1";
  // Plain factory: the driver only needs to count objects, not to check duplicate keys.
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
  private static final int MAX_BACKLOG_RETRIES = 100;

  private final HttpClient http;
  private final String base;
  private final String authorization;
  private final String objects;

  LoadClient(String baseUrl, String user, String password) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            // Handle responses on the client's selector thread instead of handing them to a
            // pool: fewer thread switches per request, so the driver takes less of the CPU it
            // shares with the node on a small machine.
            .executor(Runnable::run)
            .build();
    this.base = baseUrl;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.objects = baseUrl + "/api/collections/default/objects/";
  }

  /**
   * What one POSTed envelope came to once its status was complete; {@code complete} is false when
   * the deadline passed first (then nothing counts: the objects are not known to be durable).
   */
  record Ingested(
      long successes,
      long failures,
      String firstFailure,
      int polls,
      int retries,
      boolean complete) {}

  /**
   * POSTs an envelope and, if the answer is {@code pending}, polls its status until it is complete
   * or the deadline passes. Only successes of a complete status count: those objects are durably
   * committed.
   */
  Ingested post(byte[] envelope, long deadlineNanos) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(objects))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", authorization)
            .header("Accept", MEDIA)
            .header("Content-Type", MEDIA)
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
            .build();
    int retries = 0;
    HttpResponse<byte[]> response;
    while (true) {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 503 || retries >= MAX_BACKLOG_RETRIES) {
        break;
      }
      // Back-pressure: the server's queue is full; wait as told (bounded) and resend.
      retries++;
      long waitMs =
          Math.min(1_000, response.headers().firstValueAsLong("Retry-After").orElse(1) * 1_000);
      if (System.nanoTime() + waitMs * 1_000_000 > deadlineNanos) {
        break;
      }
      Thread.sleep(waitMs);
    }
    if (response.statusCode() != 202) {
      throw new IOException(
          "POST answered " + response.statusCode() + ": " + snippet(response.body()));
    }
    JsonNode status = MAPPER.readTree(response.body());
    int polls = 0;
    long sleepMs = 5;
    while (!"complete".equals(status.path("status").asText())) {
      if (System.nanoTime() > deadlineNanos) {
        return new Ingested(0, 0, null, polls, retries, false);
      }
      Thread.sleep(sleepMs);
      sleepMs = Math.min(100, sleepMs * 2);
      status = getJson(base + "/api/status/" + status.path("id").asText() + "/");
      polls++;
    }
    JsonNode failures = status.path("failures");
    String first =
        failures.isArray() && failures.size() > 0
            ? failures.get(0).path("id").asText() + ": " + failures.get(0).path("message").asText()
            : null;
    return new Ingested(
        status.path("success_count").asLong(),
        status.path("failure_count").asLong(),
        first,
        polls,
        retries,
        true);
  }

  /** One page of the collection: how many objects it held, its size, and the next cursor. */
  record Page(int objects, long bytes, boolean more, String next) {}

  /** GET objects/?limit=N[&next=...], counting the objects with a streaming parser. */
  Page page(int limit, String next) throws IOException, InterruptedException {
    String url =
        objects
            + "?limit="
            + limit
            + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    HttpResponse<byte[]> response = get(url);
    if (response.statusCode() != 200) {
      throw new IOException("GET page answered " + response.statusCode());
    }
    byte[] body = response.body();
    int count = 0;
    boolean more = false;
    String cursor = null;
    try (JsonParser p = JSON.createParser(body)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("more".equals(name)) {
          more = value == JsonToken.VALUE_TRUE;
        } else if ("next".equals(name)) {
          cursor = p.getText();
        } else if ("objects".equals(name) && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            count++;
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return new Page(count, body.length, more, cursor);
  }

  /** GET one object by id; the HTTP status code. */
  int getObject(String id) throws IOException, InterruptedException {
    return get(objects + id + "/").statusCode();
  }

  /** GET /taxii2/ (discovery); the HTTP status code, or -1 if nothing listens yet. */
  int discovery() throws InterruptedException {
    try {
      return get(base + "/taxii2/").statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  private JsonNode getJson(String url) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = get(url);
    if (r.statusCode() != 200) {
      throw new IOException("GET " + url + " answered " + r.statusCode());
    }
    return MAPPER.readTree(r.body());
  }

  private HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", authorization)
            .header("Accept", MEDIA)
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String snippet(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
