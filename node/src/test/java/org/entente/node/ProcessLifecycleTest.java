package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.entente.store.TestBackend;
import org.entente.store.postgres.PostgresUrl;
import org.entente.store.postgres.TestPostgres;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * `entente serve` as a real process: graceful SIGTERM, restart on the same data (SQLite, or
 * PostgreSQL named by ENTENTE_DB), TLS.
 */
class ProcessLifecycleTest {
  @TempDir Path dir;

  /**
   * On PostgreSQL the database comes from {@code ENTENTE_DB}, the recommended way (a URL with a
   * password on the command line is visible in ps); the banner names it without the password.
   */
  @ParameterizedTest(name = "on {0}")
  @EnumSource(TestBackend.class)
  void sigtermStopsGracefullyAndTheNodeRestartsOnItsData(TestBackend backend) throws Exception {
    Map<String, String> env = new HashMap<>();
    String password = null;
    if (backend == TestBackend.POSTGRES) {
      String libpq = TestPostgres.get().libpqUri(backend.databaseUrl(dir));
      password = PostgresUrl.parse(libpq).password();
      env.put("ENTENTE_DB", libpq);
    }
    String id = Fixtures.indicatorId();
    try (ChildNode child = ChildNode.start(dir, env, "pw-1")) {
      if (password != null) {
        // The banner's later lines are read in the background.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> child.output().stream().anyMatch(l -> l.contains("database: postgresql://")));
        assertThat(String.join("\n", child.output()))
            .contains(":***@")
            .doesNotContain(":" + password + "@")
            .doesNotContain("password=" + password);
      }
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
    try (ChildNode again = ChildNode.start(dir, env, "ignored-after-first-start")) {
      TaxiiHttp http = new TaxiiHttp(again.baseUrl, "admin", "pw-1");
      assertThat(http.get("/api/collections/default/objects/" + id + "/").statusCode())
          .isEqualTo(200);
    } finally {
      backend.discard(dir);
    }
    assertThat(dir.resolve(SqliteStore.FILE_NAME).toFile().exists())
        .isEqualTo(backend == TestBackend.SQLITE);
  }

  @Test
  void servesHttpsWithAConfiguredKeystore() throws Exception {
    Path ks = dir.resolve("node.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "node",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "ks-pass",
                "-keypass",
                "ks-pass")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();

    Path cfg = dir.resolve("tls.properties");
    java.nio.file.Files.writeString(cfg, "tls.keystore-password=ks-pass\n");
    try (ChildNode child =
        ChildNode.start(
            dir.resolve("data"),
            "pw",
            "--config",
            cfg.toString(),
            "--tls-keystore",
            ks.toString())) {
      assertThat(child.baseUrl).startsWith("https://");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
        trust.load(in, "ks-pass".toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      var r = new TaxiiHttp(child.baseUrl, "admin", "pw", ssl).get("/taxii2/");
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }
}
