package org.entente.taxii.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.entente.taxii.Taxii;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates from PKCS#12 ({@link TlsContexts}) against a real HTTPS server on 127.0.0.1
 * that requires one. The client's key pairs are made by the JDK's keytool during the test; the
 * server's is the test-only {@code /tls/server.p12}.
 */
class TaxiiClientTlsTest {
  private static final char[] CLIENT_PW = "client-pw".toCharArray();
  private static final char[] TRUST_PW = "trust-pw".toCharArray();

  @TempDir Path dir;
  Path clientStore;
  Path strangerStore;
  Path trustStore;
  HttpsServer server;
  final List<String> peers = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    clientStore = keyPair("client.p12", "CN=entente-client, O=Entente tests");
    strangerStore = keyPair("stranger.p12", "CN=stranger, O=Elsewhere");

    KeyStore serverKeys = KeyStore.getInstance("PKCS12");
    try (InputStream in = TaxiiClientTlsTest.class.getResourceAsStream("/tls/server.p12")) {
      serverKeys.load(in, "changeit".toCharArray());
    }
    // The client trusts the server's certificate, from a trust store holding only that.
    KeyStore clientTrust = KeyStore.getInstance("PKCS12");
    clientTrust.load(null, null);
    clientTrust.setCertificateEntry("server", serverKeys.getCertificate("taxii"));
    trustStore = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      clientTrust.store(out, TRUST_PW);
    }
    // The server trusts the client's certificate and no other.
    KeyStore serverTrust = KeyStore.getInstance("PKCS12");
    serverTrust.load(null, null);
    serverTrust.setCertificateEntry("client", certificate(clientStore));

    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverKeys, "changeit".toCharArray());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(serverTrust);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(serverTls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = getSSLContext().getDefaultSSLParameters();
            p.setNeedClientAuth(true);
            params.setSSLParameters(p);
          }
        });
    server.createContext(
        "/taxii2/",
        exchange -> {
          try {
            peers.add(((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName());
            byte[] body = "{\"title\":\"mutual\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", Taxii.MEDIA_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void presentsTheClientCertificateFromPkcs12() {
    SSLContext tls = TlsContexts.clientCertificate(clientStore, CLIENT_PW, trustStore, TRUST_PW);
    assertThat(client(tls).discovery().title()).isEqualTo("mutual");
    assertThat(peers).singleElement().asString().contains("CN=entente-client");
  }

  @Test
  void withoutTheCertificateTheServerRefusesTheConnection() throws Exception {
    assertThatThrownBy(client(trustOnly())::discovery)
        .isInstanceOfSatisfying(
            TaxiiTransportException.class, e -> assertThat(e.httpStatus()).isZero());
    assertThat(peers).isEmpty();
  }

  @Test
  void aCertificateTheServerDoesNotTrustIsRefused() {
    SSLContext tls = TlsContexts.clientCertificate(strangerStore, CLIENT_PW, trustStore, TRUST_PW);
    assertThatThrownBy(client(tls)::discovery).isInstanceOf(TaxiiTransportException.class);
    assertThat(peers).isEmpty();
  }

  @Test
  void withoutATrustStoreTheJdkDefaultTrustRejectsATestServer() {
    SSLContext tls = TlsContexts.clientCertificate(clientStore, CLIENT_PW, null, null);
    assertThatThrownBy(client(tls)::discovery).isInstanceOf(TaxiiTransportException.class);
  }

  @Test
  void refusesAStoreItCannotUse() throws IOException {
    assertThatThrownBy(
            () ->
                TlsContexts.clientCertificate(
                    clientStore, "wrong".toCharArray(), trustStore, TRUST_PW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client.p12");
    assertThatThrownBy(
            () ->
                TlsContexts.clientCertificate(
                    dir.resolve("missing.p12"), CLIENT_PW, trustStore, TRUST_PW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.p12");
    // a store of certificates only cannot authenticate a client
    assertThatThrownBy(() -> TlsContexts.clientCertificate(trustStore, TRUST_PW, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no private key");
    Path notAStore = Files.writeString(dir.resolve("text.p12"), "not a key store");
    assertThatThrownBy(
            () -> TlsContexts.clientCertificate(clientStore, CLIENT_PW, notAStore, TRUST_PW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trust store");
  }

  private TaxiiClient client(SSLContext tls) {
    return new TaxiiClient(
        URI.create("https://127.0.0.1:" + server.getAddress().getPort()),
        Credentials.basic("a", "b"),
        tls);
  }

  /** Trusts the server but has no certificate to present. */
  private SSLContext trustOnly() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trustStore)) {
      trust.load(in, TRUST_PW);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }

  /** A fresh EC key pair and self-signed certificate in a PKCS#12 store, made by keytool. */
  private Path keyPair(String file, String dname) throws Exception {
    Path store = dir.resolve(file);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "me",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                dname,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(CLIENT_PW),
                "-keypass",
                new String(CLIENT_PW))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return store;
  }

  private static Certificate certificate(Path store) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, CLIENT_PW);
    }
    return ks.getCertificate("me");
  }
}
