package org.entente.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/** Raw TAXII requests over real HTTP, for tests that check the wire (status codes, headers). */
final class TaxiiHttp {
  static final String TAXII = "application/taxii+json;version=2.1";

  private final HttpClient http;
  private final String base;
  private final String authorization;

  TaxiiHttp(String base, String user, String password) {
    this(base, user, password, null);
  }

  TaxiiHttp(String base, String user, String password, SSLContext ssl) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.http = b.build();
    this.base = base;
    this.authorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private TaxiiHttp(String base, String authorization, boolean unused) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.base = base;
    this.authorization = authorization;
  }

  /** A client that authenticates with an API token. */
  static TaxiiHttp bearer(String base, String token) {
    return new TaxiiHttp(base, "Bearer " + token, true);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return post(path, TAXII, body);
  }

  /** A POST of another media type (e.g. application/json to the admin API). */
  HttpResponse<String> post(String path, String contentType, String body)
      throws IOException, InterruptedException {
    return http.send(
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", TAXII);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }
}
