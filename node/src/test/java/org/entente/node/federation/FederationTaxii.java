package org.entente.node.federation;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** What a federation test says to a node over TAXII 2.1: big envelope POSTs and full reads. */
final class FederationTaxii {
  static final String TAXII = "application/taxii+json;version=2.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String authorization;

  FederationTaxii(String base, String user, String password) {
    this.base = base;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(120))
        .header("Accept", TAXII)
        .header("Authorization", authorization);
  }

  private JsonNode send(HttpRequest request, int... expected)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    for (int e : expected) {
      if (r.statusCode() == e) {
        return JSON.readTree(r.body());
      }
    }
    throw new IllegalStateException(
        request.method()
            + " "
            + request.uri()
            + " answered "
            + r.statusCode()
            + ": "
            + r.body().substring(0, Math.min(500, r.body().length())));
  }

  /**
   * POSTs the objects in one envelope and follows its status to the end.
   *
   * @return the final status resource
   */
  JsonNode post(String collection, List<String> objects, Duration timeout)
      throws IOException, InterruptedException {
    String body = "{\"objects\":[" + String.join(",", objects) + "]}";
    JsonNode status =
        send(
            request("/api/collections/" + collection + "/objects/")
                .header("Content-Type", TAXII)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            202);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!"complete".equals(status.path("status").asText())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("status still pending after " + timeout + ": " + status);
      }
      Thread.sleep(50);
      status = send(request("/api/status/" + status.path("id").asText() + "/").GET().build(), 200);
    }
    return status;
  }

  /** One object version as a collection answered it. */
  record Item(String id, String modified, JsonNode json) {
    String key() {
      return id + " " + modified;
    }
  }

  /** Every version in a collection (match[version]=all), all pages. */
  List<Item> all(String collection) throws IOException, InterruptedException {
    List<Item> out = new ArrayList<>();
    String next = null;
    while (true) {
      String path =
          "/api/collections/"
              + collection
              + "/objects/?limit=10000&"
              + URLEncoder.encode("match[version]", StandardCharsets.UTF_8)
              + "=all"
              + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      JsonNode page = send(request(path).GET().build(), 200);
      for (JsonNode o : page.path("objects")) {
        out.add(new Item(o.path("id").asText(), o.path("modified").asText(), o));
      }
      if (!page.path("more").asBoolean(false)) {
        return out;
      }
      next = page.path("next").asText(null);
      if (next == null) {
        throw new IllegalStateException("more without next in " + collection);
      }
    }
  }
}
