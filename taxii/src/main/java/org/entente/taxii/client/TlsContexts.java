package org.entente.taxii.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts for {@link TaxiiClient}, for servers that authenticate clients by certificate. */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * A context that presents the client certificate in a PKCS#12 key store and trusts the servers
   * the trust store vouches for.
   *
   * @param pkcs12 a PKCS#12 key store holding the client's private key and certificate chain; the
   *     key is protected by the store password
   * @param password the key store's password (the array is not kept nor cleared)
   * @param trustStorePkcs12OrNull a PKCS#12 store of the certificates to trust the server with, or
   *     null for the JDK's default trust
   * @param trustPasswordOrNull the trust store's password, or null when it has none
   * @throws IllegalArgumentException when a store cannot be read (missing file, wrong password, not
   *     PKCS#12), the key store holds no private key, or the trust store no certificate
   */
  public static SSLContext clientCertificate(
      Path pkcs12, char[] password, Path trustStorePkcs12OrNull, char[] trustPasswordOrNull) {
    Objects.requireNonNull(pkcs12, "pkcs12");
    Objects.requireNonNull(password, "password");
    KeyStore keys = load(pkcs12, password, "client key store");
    try {
      if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKeyEntry(keys, a))) {
        throw new IllegalArgumentException("client key store " + pkcs12 + " holds no private key");
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      TrustManagerFactory tmf = null;
      if (trustStorePkcs12OrNull != null) {
        KeyStore trust = load(trustStorePkcs12OrNull, trustPasswordOrNull, "trust store");
        if (Collections.list(trust.aliases()).stream().noneMatch(a -> hasCertificate(trust, a))) {
          throw new IllegalArgumentException(
              "trust store " + trustStorePkcs12OrNull + " holds no certificate");
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use client key store " + pkcs12 + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path file, char[] password, String what) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean isKeyEntry(KeyStore ks, String alias) {
    try {
      return ks.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean hasCertificate(KeyStore ks, String alias) {
    try {
      return ks.getCertificate(alias) != null;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
