package org.entente.taxii.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.entente.taxii.Taxii;

/** Plain java.net.http requests, for protocol details the client would hide. */
public final class RawHttp {
  private final String baseUrl;
  private final HttpClient http;

  public RawHttp(String baseUrl, HttpClient http) {
    this.baseUrl = baseUrl;
    this.http = http;
  }

  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public Req get(String path) {
    return new Req("GET", path);
  }

  public Req post(String path, String body) {
    return new Req("POST", path).body(body);
  }

  public Req delete(String path) {
    return new Req("DELETE", path);
  }

  public Req method(String method, String path) {
    return new Req(method, path);
  }

  /** One request: alice's credentials and the TAXII Accept unless changed. */
  public final class Req {
    private final String method;
    private final String path;
    private String authorization = basic("alice", "alice-pw");
    private String accept = Taxii.MEDIA_TYPE;
    private String contentType = Taxii.MEDIA_TYPE;
    private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    private final List<String> headers = new ArrayList<>();

    private Req(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Req as(String user) {
      authorization = basic(user, user + "-pw");
      return this;
    }

    public Req authorization(String value) {
      authorization = value;
      return this;
    }

    public Req accept(String value) {
      accept = value;
      return this;
    }

    public Req contentType(String value) {
      contentType = value;
      return this;
    }

    public Req header(String name, String value) {
      headers.add(name);
      headers.add(value);
      return this;
    }

    public Req body(String json) {
      body = HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8);
      return this;
    }

    public Req body(HttpRequest.BodyPublisher publisher) {
      body = publisher;
      return this;
    }

    public HttpResponse<String> send() {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(30))
              .method(method, body);
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      if (accept != null) {
        b.header("Accept", accept);
      }
      if (method.equals("POST") && contentType != null) {
        b.header("Content-Type", contentType);
      }
      for (int i = 0; i < headers.size(); i += 2) {
        b.header(headers.get(i), headers.get(i + 1));
      }
      try {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
