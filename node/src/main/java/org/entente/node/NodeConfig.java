package org.entente.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

/**
 * Everything an operator can set, with the defaults a fresh machine gets. Read from a properties
 * file ({@code --config}); command-line flags override the file.
 *
 * @param dataDir the data directory: the SQLite database when there is no {@code databaseUrl}, and
 *     always the node's key ({@code node.key}) and other local files
 * @param databaseUrl the PostgreSQL database ({@code postgresql://USER:PASSWORD@HOST:PORT/DB} or
 *     {@code jdbc:postgresql:...}), or null for SQLite in the data directory; it may hold a
 *     password, so {@link #toString()} masks it
 */
public record NodeConfig(
    Path dataDir,
    String databaseUrl,
    String bind,
    int port,
    String homeOrg,
    String title,
    String contact,
    long maxContentLength,
    int pageDefault,
    int pageMax,
    Duration statusWait,
    int maxQueuedObjects,
    int maxBatchObjects,
    Path tlsKeystore,
    String tlsKeystorePassword,
    String tlsKeystoreType) {

  public static final int DEFAULT_PORT = 6250;

  private static final Set<String> KEYS =
      Set.of(
          "data",
          "db",
          "bind",
          "port",
          "org",
          "title",
          "contact",
          "max-content-length",
          "page.default",
          "page.max",
          "status-wait-ms",
          "ingest.max-queued-objects",
          "ingest.max-batch-objects",
          "tls.keystore",
          "tls.keystore-password",
          "tls.keystore-type");

  public static NodeConfig defaults() {
    return new NodeConfig(
        Path.of("entente-data"),
        null,
        "127.0.0.1",
        DEFAULT_PORT,
        "home",
        "Entente",
        null,
        32L * 1024 * 1024,
        1_000,
        10_000,
        Duration.ofSeconds(2),
        200_000,
        5_000,
        null,
        null,
        "PKCS12");
  }

  public boolean tls() {
    return tlsKeystore != null;
  }

  /**
   * Applies a properties file over these values.
   *
   * @throws IllegalArgumentException naming an unknown key or a bad value, so typos don't pass
   *     silently
   */
  public NodeConfig withFile(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
    for (String key : p.stringPropertyNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' in " + file);
      }
    }
    try {
      return new NodeConfig(
              p.containsKey("data") ? Path.of(p.getProperty("data")) : dataDir,
              p.containsKey("db") ? blankToNull(p.getProperty("db")) : databaseUrl,
              p.getProperty("bind", bind),
              intOf(p, "port", port),
              p.getProperty("org", homeOrg),
              p.getProperty("title", title),
              p.getProperty("contact", contact),
              Long.parseLong(p.getProperty("max-content-length", Long.toString(maxContentLength))),
              intOf(p, "page.default", pageDefault),
              intOf(p, "page.max", pageMax),
              p.containsKey("status-wait-ms")
                  ? Duration.ofMillis(Long.parseLong(p.getProperty("status-wait-ms")))
                  : statusWait,
              intOf(p, "ingest.max-queued-objects", maxQueuedObjects),
              intOf(p, "ingest.max-batch-objects", maxBatchObjects),
              p.containsKey("tls.keystore") ? Path.of(p.getProperty("tls.keystore")) : tlsKeystore,
              p.getProperty("tls.keystore-password", tlsKeystorePassword),
              p.getProperty("tls.keystore-type", tlsKeystoreType))
          .checked();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in " + file + ": " + e.getMessage());
    }
  }

  /** Rejects values the node cannot run with. */
  public NodeConfig checked() {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (pageDefault <= 0 || pageMax < pageDefault) {
      throw new IllegalArgumentException("need 0 < page.default <= page.max");
    }
    if (maxContentLength <= 0) {
      throw new IllegalArgumentException("max-content-length must be > 0");
    }
    if (homeOrg == null || homeOrg.isBlank()) {
      throw new IllegalArgumentException("the home organisation needs a name");
    }
    if (databaseUrl != null) {
      DatabaseUrls.check(databaseUrl);
    }
    return this;
  }

  /**
   * Whether the node keeps its data in PostgreSQL ({@link #databaseUrl}) rather than in SQLite in
   * the data directory.
   */
  public boolean postgres() {
    return databaseUrl != null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static int intOf(Properties p, String key, int fallback) {
    return p.containsKey(key) ? Integer.parseInt(p.getProperty(key).trim()) : fallback;
  }

  public NodeConfig withDataDir(Path d) {
    return new NodeConfig(
        d,
        databaseUrl,
        bind,
        port,
        homeOrg,
        title,
        contact,
        maxContentLength,
        pageDefault,
        pageMax,
        statusWait,
        maxQueuedObjects,
        maxBatchObjects,
        tlsKeystore,
        tlsKeystorePassword,
        tlsKeystoreType);
  }

  public NodeConfig withListen(String b, int p) {
    return new NodeConfig(
        dataDir,
        databaseUrl,
        b,
        p,
        homeOrg,
        title,
        contact,
        maxContentLength,
        pageDefault,
        pageMax,
        statusWait,
        maxQueuedObjects,
        maxBatchObjects,
        tlsKeystore,
        tlsKeystorePassword,
        tlsKeystoreType);
  }

  public NodeConfig withHomeOrg(String org) {
    return new NodeConfig(
        dataDir,
        databaseUrl,
        bind,
        port,
        org,
        title,
        contact,
        maxContentLength,
        pageDefault,
        pageMax,
        statusWait,
        maxQueuedObjects,
        maxBatchObjects,
        tlsKeystore,
        tlsKeystorePassword,
        tlsKeystoreType);
  }

  public NodeConfig withTls(Path keystore, String password, String type) {
    return new NodeConfig(
        dataDir,
        databaseUrl,
        bind,
        port,
        homeOrg,
        title,
        contact,
        maxContentLength,
        pageDefault,
        pageMax,
        statusWait,
        maxQueuedObjects,
        maxBatchObjects,
        keystore,
        password,
        type == null ? tlsKeystoreType : type);
  }

  public NodeConfig withMaxContentLength(long bytes) {
    return new NodeConfig(
        dataDir,
        databaseUrl,
        bind,
        port,
        homeOrg,
        title,
        contact,
        bytes,
        pageDefault,
        pageMax,
        statusWait,
        maxQueuedObjects,
        maxBatchObjects,
        tlsKeystore,
        tlsKeystorePassword,
        tlsKeystoreType);
  }

  /**
   * The PostgreSQL database to use ({@code postgresql://USER:PASSWORD@HOST:PORT/DB} or {@code
   * jdbc:postgresql:...}); null or blank for SQLite in the data directory.
   */
  public NodeConfig withDatabase(String url) {
    return new NodeConfig(
        dataDir,
        blankToNull(url),
        bind,
        port,
        homeOrg,
        title,
        contact,
        maxContentLength,
        pageDefault,
        pageMax,
        statusWait,
        maxQueuedObjects,
        maxBatchObjects,
        tlsKeystore,
        tlsKeystorePassword,
        tlsKeystoreType);
  }

  /** The values, with the database password and the key store password masked. */
  @Override
  public String toString() {
    return "NodeConfig[dataDir="
        + dataDir
        + ", database="
        + (databaseUrl == null ? "sqlite" : DatabaseUrls.redacted(databaseUrl))
        + ", bind="
        + bind
        + ", port="
        + port
        + ", homeOrg="
        + homeOrg
        + ", title="
        + title
        + ", contact="
        + contact
        + ", maxContentLength="
        + maxContentLength
        + ", pageDefault="
        + pageDefault
        + ", pageMax="
        + pageMax
        + ", statusWait="
        + statusWait
        + ", maxQueuedObjects="
        + maxQueuedObjects
        + ", maxBatchObjects="
        + maxBatchObjects
        + ", tlsKeystore="
        + tlsKeystore
        + ", tlsKeystorePassword="
        + (tlsKeystorePassword == null ? null : "***")
        + ", tlsKeystoreType="
        + tlsKeystoreType
        + "]";
  }
}
