package org.entente.taxii.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.entente.taxii.Taxii;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a federation engine relies on when a peer misbehaves: rate limits and outages come back as
 * retryable exceptions with the server's Retry-After, answers that are not TAXII 2.1 are refused,
 * bodies are capped, and a dead peer is a retryable transport failure. Every answer is scripted by
 * a real HTTP server on 127.0.0.1.
 */
class TaxiiClientHardeningTest {
  private static final String DISCOVERY = "{\"title\":\"scripted\",\"api_roots\":[\"/api1/\"]}";
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** What the scripted server does with the next request. */
  interface Script {
    void answer(HttpExchange exchange) throws IOException;
  }

  HttpServer server;
  ExecutorService executor;
  volatile Script script;
  final CountDownLatch testOver = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try {
            script.answer(exchange);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    testOver.countDown();
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  // ---- rate limits and outages --------------------------------------------------------------

  @Test
  void tooManyRequestsCarriesADeltaSecondsRetryAfter() {
    script =
        answer(
            429,
            Taxii.MEDIA_TYPE,
            "{\"title\":\"slow down\",\"http_status\":\"429\"}",
            "Retry-After",
            "3");
    assertThatThrownBy(client()::discovery)
        .isExactlyInstanceOf(TaxiiClientException.class)
        .isInstanceOfSatisfying(
            TaxiiClientException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(429);
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
              assertThat(e.error().path("title").asText()).isEqualTo("slow down");
              assertThat(e).hasMessageContaining("429 slow down");
            });
  }

  @Test
  void tooManyRequestsCarriesAnHttpDateRetryAfter() {
    script =
        exchange -> {
          String inTwoMinutes = IMF_FIXDATE.format(Instant.now().plusSeconds(120));
          exchange.getResponseHeaders().add("Retry-After", inTwoMinutes);
          send(exchange, 429, Taxii.MEDIA_TYPE, "{\"title\":\"slow down\"}");
        };
    assertThatThrownBy(client()::discovery)
        .isInstanceOfSatisfying(
            TaxiiClientException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(429);
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter())
                  .hasValueSatisfying(
                      d ->
                          assertThat(d)
                              .isBetween(Duration.ofSeconds(115), Duration.ofSeconds(121)));
            });
  }

  @Test
  void serviceUnavailableWithoutRetryAfterIsRetryableWithoutADelay() {
    script = answer(503, "text/html", "<html>down for maintenance</html>");
    assertThatThrownBy(client()::discovery)
        .isExactlyInstanceOf(TaxiiClientException.class)
        .isInstanceOfSatisfying(
            TaxiiClientException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(503);
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).isEmpty();
              assertThat(e.error()).isNull();
            });
  }

  @Test
  void gatewayFailuresAreRetryableButOtherErrorsAreNot() {
    for (int status : List.of(502, 504, 400, 401, 403, 404, 500)) {
      script = answer(status, Taxii.MEDIA_TYPE, "{\"title\":\"no\"}");
      assertThatThrownBy(client()::discovery)
          .isInstanceOfSatisfying(
              TaxiiClientException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(status);
                assertThat(e.retryable()).as("retryable(%d)", status).isEqualTo(status >= 502);
              });
    }
  }

  @Test
  void errorAnswersAreNotJudgedByTheirMediaType() {
    script =
        answer(404, "application/json", "{\"title\":\"no such thing\",\"http_status\":\"404\"}");
    assertThatThrownBy(client()::discovery)
        .isExactlyInstanceOf(TaxiiClientException.class)
        .isInstanceOfSatisfying(
            TaxiiClientException.class,
            e -> assertThat(e.error().path("title").asText()).isEqualTo("no such thing"));
    script = answer(404, null, "");
    assertThatThrownBy(client()::discovery)
        .isExactlyInstanceOf(TaxiiClientException.class)
        .isInstanceOfSatisfying(TaxiiClientException.class, e -> assertThat(e.error()).isNull());
  }

  // ---- media types --------------------------------------------------------------------------

  @Test
  void refusesPlainJson() {
    script = answer(200, "application/json", DISCOVERY);
    assertThatThrownBy(client()::discovery)
        .isInstanceOfSatisfying(
            TaxiiProtocolException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(200);
              assertThat(e.retryable()).isFalse();
              assertThat(e).hasMessageContaining("'application/json'");
            });
  }

  @Test
  void refusesTaxii20() {
    script = answer(200, "application/taxii+json; version=2.0", DISCOVERY);
    assertThatThrownBy(client()::discovery)
        .isInstanceOf(TaxiiProtocolException.class)
        .hasMessageContaining("'application/taxii+json; version=2.0'");
  }

  @Test
  void refusesAnAnswerWithoutTheTaxii21MediaType() {
    for (String type :
        new String[] {
          null,
          "application/taxii+json",
          "application/taxii+json;version=2.1.1",
          "application/stix+json;version=2.1",
          "application/taxii+json;version=2.1;version=2.0",
          "text/plain; version=2.1"
        }) {
      script = answer(200, type, DISCOVERY);
      assertThatThrownBy(client()::discovery)
          .as("Content-Type %s", type)
          .isInstanceOf(TaxiiProtocolException.class)
          .hasMessageContaining(type == null ? "(none)" : type);
    }
  }

  @Test
  void acceptsTaxii21HoweverItsParametersAreWritten() {
    for (String type :
        List.of(
            Taxii.MEDIA_TYPE,
            "Application/TAXII+JSON;Version=2.1",
            "application/taxii+json ; version=2.1",
            "application/taxii+json;  version = 2.1  ",
            "application/taxii+json; charset=utf-8; version=2.1",
            "application/taxii+json;version=\"2.1\" ;charset=UTF-8")) {
      script = answer(200, type, DISCOVERY);
      assertThat(client().discovery().title()).as("Content-Type %s", type).isEqualTo("scripted");
    }
  }

  @Test
  void refusesASuccessfulAnswerThatIsNotAJsonObject() {
    for (String body : List.of("", "not json", "[1,2]", "\"text\"", "{\"title\":")) {
      script = answer(200, Taxii.MEDIA_TYPE, body);
      assertThatThrownBy(client()::discovery)
          .as("body %s", body)
          .isInstanceOfSatisfying(
              TaxiiProtocolException.class, e -> assertThat(e.httpStatus()).isEqualTo(200));
    }
  }

  @Test
  void deletingNeedsNoBodyNorMediaType() {
    script = answer(200, null, "");
    client().deleteObject("api1", "c", "indicator--" + java.util.UUID.randomUUID(), Query.none());
  }

  // ---- body size cap ------------------------------------------------------------------------

  @Test
  void refusesABodyAboveTheCapWhetherDeclaredOrNot() {
    TaxiiClient capped = client(1024);
    String big = discoveryOfSize(1025);
    script = answer(200, Taxii.MEDIA_TYPE, big);
    assertThatThrownBy(capped::discovery)
        .isInstanceOfSatisfying(
            TaxiiProtocolException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(200);
              assertThat(e).hasMessageContaining("1024 bytes");
            });
    script = chunked(200, big.getBytes(StandardCharsets.UTF_8)); // no Content-Length
    assertThatThrownBy(capped::discovery)
        .isInstanceOf(TaxiiProtocolException.class)
        .hasMessageContaining("1024 bytes");

    script = answer(200, Taxii.MEDIA_TYPE, discoveryOfSize(1024));
    assertThat(capped.discovery().title()).startsWith("x");
    script = chunked(200, discoveryOfSize(1024).getBytes(StandardCharsets.UTF_8));
    assertThat(capped.discovery().title()).startsWith("x");
  }

  @Test
  void stopsReadingAnEndlessBodyAtTheCap() throws InterruptedException {
    CountDownLatch serverGaveUp = new CountDownLatch(1);
    AtomicLong written = new AtomicLong();
    script =
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", Taxii.MEDIA_TYPE);
          exchange.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[64 * 1024];
          java.util.Arrays.fill(chunk, (byte) ' ');
          try (OutputStream out = exchange.getResponseBody()) {
            out.write('{');
            while (testOver.getCount() > 0) {
              out.write(chunk);
              written.addAndGet(chunk.length);
            }
          } catch (IOException e) {
            serverGaveUp.countDown(); // the client hung up
          }
        };
    TaxiiClient capped = client(1 << 20);
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () ->
            assertThatThrownBy(capped::discovery)
                .isInstanceOf(TaxiiProtocolException.class)
                .hasMessageContaining(String.valueOf(1 << 20)));
    assertThat(serverGaveUp.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(written.get()).isLessThan(64L << 20);
  }

  @Test
  void anOversizedErrorBodyStillReportsItsStatus() {
    script = answer(503, "text/html", "<p>" + "busy ".repeat(1000) + "</p>", "Retry-After", "10");
    assertThatThrownBy(client(1024)::discovery)
        .isExactlyInstanceOf(TaxiiClientException.class)
        .isInstanceOfSatisfying(
            TaxiiClientException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(503);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(10));
              assertThat(e.error()).isNull();
            });
  }

  @Test
  void acceptsOnlyAUsableBodyCap() {
    URI uri = URI.create("http://127.0.0.1:1");
    Credentials c = Credentials.basic("a", "b");
    assertThat(new TaxiiClient(uri, c).maxBodyBytes())
        .isEqualTo(TaxiiClient.DEFAULT_MAX_BODY_BYTES)
        .isEqualTo(256L * 1024 * 1024);
    assertThatThrownBy(() -> new TaxiiClient(uri, c, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaxiiClient(uri, c, null, Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- transport ----------------------------------------------------------------------------

  @Test
  void aRefusedConnectionIsARetryableTransportFailure() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TaxiiClient nobody =
        new TaxiiClient(URI.create("http://127.0.0.1:" + port), Credentials.basic("a", "b"));
    assertThatThrownBy(nobody::discovery)
        .isInstanceOfSatisfying(
            TaxiiTransportException.class,
            e -> {
              assertThat(e.httpStatus()).isZero();
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).isEmpty();
              assertThat(e.getCause()).isInstanceOf(ConnectException.class);
              assertThat(e).hasMessageContaining("GET http://127.0.0.1:" + port + "/taxii2/");
            });
  }

  @Test
  void aBodyThatStallsTimesOut() {
    script =
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", Taxii.MEDIA_TYPE);
          exchange.sendResponseHeaders(200, 1000);
          exchange.getResponseBody().write("{\"title\":".getBytes(StandardCharsets.UTF_8));
          exchange.getResponseBody().flush();
          try {
            testOver.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    TaxiiClient impatient =
        new TaxiiClient(
            baseUrl(),
            Credentials.basic("a", "b"),
            null,
            TaxiiClient.DEFAULT_MAX_BODY_BYTES,
            Duration.ofMillis(500));
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(impatient::discovery)
                .isInstanceOfSatisfying(
                    TaxiiTransportException.class, e -> assertThat(e.retryable()).isTrue()));
  }

  // ---- Retry-After forms --------------------------------------------------------------------

  @Test
  void readsRetryAfterInEveryHttpDateForm() {
    String date = "Sun, 06 Nov 1994 08:49:37 GMT";
    Instant now = Instant.parse("2030-01-01T00:00:00Z"); // a skewed local clock: not used
    assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", date, now))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:51:37 GMT", date, now))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(RetryAfter.parse("Sun Nov  6 09:49:37 1994", date, now))
        .isEqualTo(Duration.ofHours(1));
    // without a Date header, measured from this machine's clock
    assertThat(
            RetryAfter.parse(
                "Sun, 06 Nov 1994 08:50:07 GMT", null, Instant.parse("1994-11-06T08:49:57Z")))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", date, now))
        .isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse(" 120 ", null, now)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("0", null, now)).isEqualTo(Duration.ZERO);
    for (String unreadable :
        new String[] {null, "", "-5", "1.5", "soon", "99999999999999999999", "06 Nov 1994"}) {
      assertThat(RetryAfter.parse(unreadable, date, now)).as("%s", unreadable).isNull();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private TaxiiClient client() {
    return new TaxiiClient(baseUrl(), Credentials.basic("a", "b"));
  }

  private TaxiiClient client(long maxBodyBytes) {
    return new TaxiiClient(baseUrl(), Credentials.basic("a", "b"), null, maxBodyBytes);
  }

  /** A discovery resource of exactly {@code size} bytes. */
  private static String discoveryOfSize(int size) {
    String shell = "{\"title\":\"\"}";
    String json = "{\"title\":\"" + "x".repeat(size - shell.length()) + "\"}";
    assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(size);
    return json;
  }

  private static Script answer(int status, String contentType, String body, String... headers) {
    return exchange -> {
      for (int i = 0; i < headers.length; i += 2) {
        exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      send(exchange, status, contentType, body);
    };
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().add("Content-Type", contentType);
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  /** An answer sent in chunks, without Content-Length. */
  private static Script chunked(int status, byte[] body) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", Taxii.MEDIA_TYPE);
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int at = 0; at < body.length; at += 100) {
          out.write(body, at, Math.min(100, body.length - at));
          out.flush();
        }
      }
    };
  }
}
