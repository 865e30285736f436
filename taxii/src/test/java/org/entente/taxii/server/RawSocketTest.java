package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.entente.stix.StixJson;
import org.entente.taxii.Taxii;
import org.entente.taxii.testing.RawHttp;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What other clients send: unencoded brackets in the query (curl -g, several TAXII clients), no
 * User-Agent at all, HTTP/1.0, Accept-Encoding gzip (Python requests, hence taxii2-client).
 */
class RawSocketTest {
  @TempDir Path dir;
  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start(dir);
    node.client("alice")
        .addObjects(
            TestNode.ROOT, TestNode.OPEN, List.of(Samples.indicator(1), Samples.malware(2)));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void acceptsUnencodedBracketsInMatchParameters() throws IOException {
    String r =
        exchange(
            "GET "
                + TestNode.objectsPath(TestNode.OPEN)
                + "?match[type]=malware&match[version]=last HTTP/1.1",
            true);
    assertThat(r).startsWith("HTTP/1.1 200");
    assertThat(r).contains("malware--").doesNotContain("indicator--");
  }

  @Test
  void compressesForClientsThatAskAndTheBodyIsStillTheEnvelope() throws Exception {
    List<JsonNode> objects = new ArrayList<>();
    for (int i = 10; i < 200; i++) {
      objects.add(Samples.indicator(i));
    }
    node.client("alice").addObjects(TestNode.ROOT, TestNode.OPEN, objects);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + TestNode.objectsPath(TestNode.OPEN)))
            .header("Accept", Taxii.MEDIA_TYPE)
            .header("Authorization", RawHttp.basic("alice", "alice-pw"));
    HttpResponse<byte[]> plain = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> gzip =
        http.send(
            req.header("Accept-Encoding", "gzip, deflate").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gzip.headers().firstValue("Content-Type")).hasValue(Taxii.MEDIA_TYPE);
    assertThat(gzip.headers().firstValue(Taxii.DATE_ADDED_LAST))
        .isEqualTo(plain.headers().firstValue(Taxii.DATE_ADDED_LAST));
    byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes();
    assertThat(inflated.length).isGreaterThan(gzip.body().length);
    assertThat(StixJson.parse(inflated)).isEqualTo(StixJson.parse(plain.body()));
    assertThat(StixJson.parse(inflated).path("objects")).hasSize(192);
  }

  @Test
  void servesARequestWithoutUserAgent() throws IOException {
    assertThat(exchange("GET /taxii2/ HTTP/1.1", true)).startsWith("HTTP/1.1 200");
  }

  @Test
  void servesHttp10() throws IOException {
    assertThat(exchange("GET /taxii2/ HTTP/1.0", false)).startsWith("HTTP/1.1 200");
  }

  private String exchange(String requestLine, boolean host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine
                  + "\r\n"
                  + (host ? "Host: 127.0.0.1\r\n" : "")
                  + "Authorization: "
                  + RawHttp.basic("alice", "alice-pw")
                  + "\r\n"
                  + "Accept: "
                  + Taxii.MEDIA_TYPE
                  + "\r\n"
                  + "Connection: close\r\n"
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
