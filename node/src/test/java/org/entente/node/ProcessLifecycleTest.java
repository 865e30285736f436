package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `entente serve` as a real process: graceful SIGTERM, restart on the same data, TLS. */
class ProcessLifecycleTest {
  @TempDir Path dir;

  @Test
  void sigtermStopsGracefullyAndTheNodeRestartsOnItsData() throws Exception {
    String id = Fixtures.indicatorId();
    try (ChildNode child = ChildNode.start(dir, "pw-1")) {
      TaxiiHttp http = new TaxiiHttp(child.baseUrl, "admin", "pw-1");
      assertThat(
              http.post(
                      "/api/collections/default/objects/",
                      Fixtures.envelope(List.of(Fixtures.indicator(id, "192.0.2.9"))))
                  .statusCode())
          .isEqualTo(202);
      int code = child.terminate();
      assertThat(code).isIn(0, 143); // 143 = 128 + SIGTERM, the JVM's exit after its hooks ran
    }
    try (ChildNode again = ChildNode.start(dir, "ignored-after-first-start")) {
      TaxiiHttp http = new TaxiiHttp(again.baseUrl, "admin", "pw-1");
      assertThat(http.get("/api/collections/default/objects/" + id + "/").statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void servesHttpsWithAConfiguredKeystore() throws Exception {
    Path ks = dir.resolve("node.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "ks-pass", "-keypass", "ks-pass")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();

    Path cfg = dir.resolve("tls.properties");
    java.nio.file.Files.writeString(cfg, "tls.keystore-password=ks-pass\n");
    try (ChildNode child =
        ChildNode.start(dir.resolve("data"), "pw", "--config", cfg.toString(),
            "--tls-keystore", ks.toString())) {
      assertThat(child.baseUrl).startsWith("https://");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
        trust.load(in, "ks-pass".toCharArray());
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      var r = new TaxiiHttp(child.baseUrl, "admin", "pw", ssl).get("/taxii2/");
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }
}
