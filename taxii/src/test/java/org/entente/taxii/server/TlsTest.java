package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.entente.taxii.client.TaxiiClient;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** §1 / §8.2.2: HTTPS with TLS 1.2 and 1.3 only, and no RFC 7540-blacklisted TLS 1.2 suites. */
class TlsTest {
  @TempDir Path dir;
  TestNode node;
  SSLContext trusting;

  @BeforeEach
  void start() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    try (InputStream in = TlsTest.class.getResourceAsStream("/tls/server.p12")) {
      Files.copy(in, keyStore);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      ks.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);
    node =
        TestNode.start(
            dir.resolve("data"),
            TestNode.Options.defaults()
                .tls(new TaxiiServerConfig.Tls(keyStore, "changeit", "PKCS12")),
            trusting);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void servesTaxiiOverHttps() {
    assertThat(node.baseUrl()).startsWith("https://127.0.0.1:");
    assertThat(node.client("alice").discovery().title()).isEqualTo("Entente test node");
    assertThat(node.http().get("/taxii2/").send().statusCode()).isEqualTo(200);
  }

  @Test
  void acceptsTls12AndTls13() throws Exception {
    assertThat(handshake("TLSv1.2", null)).isEqualTo("TLSv1.2");
    assertThat(handshake("TLSv1.3", null)).isEqualTo("TLSv1.3");
  }

  @Test
  void refusesBlacklistedTls12CipherSuites() {
    assertThatThrownBy(() -> handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"))
        .isInstanceOf(SSLException.class);
    assertThatThrownBy(() -> handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateCannotConnect() {
    TaxiiClient untrusting =
        new TaxiiClient(
            URI.create(node.baseUrl()),
            org.entente.taxii.client.Credentials.basic("alice", "alice-pw"));
    assertThatThrownBy(untrusting::discovery).isInstanceOf(RuntimeException.class);
  }

  private String handshake(String protocol, String suite) throws Exception {
    try (SSLSocket s =
        (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", node.server.port())) {
      s.setEnabledProtocols(new String[] {protocol});
      if (suite != null) {
        s.setEnabledCipherSuites(new String[] {suite});
      }
      s.startHandshake();
      return s.getSession().getProtocol();
    }
  }
}
