package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.entente.taxii.Taxii;
import org.entente.taxii.testing.RawHttp;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** §5.5 413: refused from Content-Length before any body is read, and while reading otherwise. */
class BodyLimitTest {
  static final String SMALL_OBJECTS = "/small/collections/" + TestNode.SMALL_COLL + "/objects/";

  @TempDir Path dir;
  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start(dir);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void refusesADeclaredLengthAboveTheLimitWithoutWaitingForTheBody() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + SMALL_OBJECTS
                  + " HTTP/1.1\r\n"
                  + "Host: 127.0.0.1\r\n"
                  + "Authorization: "
                  + RawHttp.basic("alice", "alice-pw")
                  + "\r\n"
                  + "Accept: "
                  + Taxii.MEDIA_TYPE
                  + "\r\n"
                  + "Content-Type: "
                  + Taxii.MEDIA_TYPE
                  + "\r\n"
                  + "Content-Length: 1000000000\r\n"
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Not one byte of the gigabyte was sent: the answer must come from the header alone.
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void refusesAChunkedBodyOnceItPassesTheLimit() {
    byte[] big = bigEnvelope(50_000);
    HttpResponse<String> r =
        node.http()
            .post(SMALL_OBJECTS, "")
            .body(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .send();
    ConformanceTest.assertTaxiiError(r, 413);
  }

  @Test
  void acceptsAChunkedBodyWithinTheLimit() {
    byte[] ok = ("{\"objects\":[" + Samples.indicator(1) + "]}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        node.http()
            .post(SMALL_OBJECTS, "")
            .body(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(ok)))
            .send();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  @Test
  void aDeclaredLengthAboveTheLimitIs413EvenWhenTheBodyIsSent() {
    HttpResponse<String> r =
        node.http()
            .post(SMALL_OBJECTS, new String(bigEnvelope(20_000), StandardCharsets.UTF_8))
            .send();
    ConformanceTest.assertTaxiiError(r, 413);
  }

  static byte[] bigEnvelope(int size) {
    StringBuilder b = new StringBuilder("{\"objects\":[");
    for (int i = 0; b.length() < size; i++) {
      b.append(i == 0 ? "" : ",").append(Samples.indicator(i));
    }
    return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
