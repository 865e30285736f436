package org.entente.node.federation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context a peer is reached with: its client certificate (PKCS#12), and the certificates
 * that vouch for the peer's server (PEM, e.g. a national PKI's root), since allied nodes are often
 * served under a private CA the JDK does not know. Either may be absent (JDK defaults).
 */
final class PeerTls {
  private PeerTls() {}

  /** Null when neither is given: the client's default context. */
  static SSLContext of(Path clientPkcs12, char[] clientPassword, Path trustedPem) {
    if (clientPkcs12 == null && trustedPem == null) {
      return null;
    }
    try {
      KeyManagerFactory kmf = null;
      if (clientPkcs12 != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clientPkcs12)) {
          keys.load(in, clientPassword);
        }
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, clientPassword);
      }
      TrustManagerFactory tmf = null;
      if (trustedPem != null) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(trustedPem)) {
          certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
          throw new FederationException(trustedPem + " holds no PEM certificate");
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate c : certs) {
          trust.setCertificateEntry("trusted-" + i++, c);
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new FederationException("cannot set up TLS for the peer: " + e.getMessage(), e);
    }
  }
}
