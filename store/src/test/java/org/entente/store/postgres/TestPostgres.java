package org.entente.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server of the tests, one per JVM: an embedded one (real PostgreSQL binaries from
 * Maven Central, started on a free loopback port, thrown away at exit), or the server that {@value
 * #ENV} names (a libpq URI or JDBC URL of a database on it, as a user that may CREATE DATABASE).
 *
 * <p>Every test gets a database of its own, copied from a template that was migrated once: copying
 * is much faster than migrating, and a test sees nothing another test left behind.
 */
public final class TestPostgres {
  /** Opt-in: run the PostgreSQL tests against this server instead of the embedded one. */
  public static final String ENV = "ENTENTE_TEST_POSTGRES_URL";

  private static TestPostgres instance;

  private final PostgresUrl admin;
  private final String prefix = "entente_test_" + UUID.randomUUID().toString().substring(0, 8);
  private final String template = prefix + "_template";
  private final AtomicInteger databases = new AtomicInteger();
  private final Set<String> made = ConcurrentHashMap.newKeySet();

  private TestPostgres(PostgresUrl admin) {
    this.admin = admin;
  }

  /** The server, started (or connected) and with its template database on first use. */
  public static synchronized TestPostgres get() {
    if (instance == null) {
      String external = System.getenv(ENV);
      PostgresUrl admin;
      if (external != null && !external.isBlank()) {
        admin = PostgresUrl.parse(external);
      } else {
        try {
          EmbeddedPostgres pg =
              EmbeddedPostgres.builder()
                  .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                  .start();
          admin = PostgresUrl.parse(pg.getJdbcUrl("postgres", "postgres"));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
        }
      }
      TestPostgres t = new TestPostgres(admin);
      t.execute("CREATE DATABASE " + t.template + " ENCODING 'UTF8'");
      if (external != null && !external.isBlank()) {
        // The embedded server goes with the JVM; on another server, tidy up (what a test did not
        // drop, then the template).
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      for (String name : t.made) {
                        t.dropQuietly(name);
                      }
                      t.dropQuietly(t.template);
                    }));
      }
      // Migrated once; every test database is a copy.
      PostgresStore.open(t.url(t.template)).close();
      instance = t;
    }
    return instance;
  }

  /** A new, migrated, empty database; its URL (a JDBC URL with the credentials). */
  public String newDatabase() {
    String name = prefix + "_" + databases.incrementAndGet();
    SQLException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        made.add(name);
        return url(name);
      } catch (IllegalStateException e) {
        // "source database is being accessed by other users": a connection of the template's
        // migration may still be closing.
        last = (SQLException) e.getCause();
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("cannot create test database " + name, last);
  }

  /**
   * A new database without any schema, as an operator makes it with {@code CREATE DATABASE}; its
   * URL (a JDBC URL with the credentials). {@link #drop} drops it.
   */
  public String newEmptyDatabase() {
    String name = prefix + "_" + databases.incrementAndGet();
    execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
    made.add(name);
    return url(name);
  }

  /**
   * Drops a database made by {@link #newDatabase} or {@link #newEmptyDatabase}, whoever is still
   * connected to it.
   */
  public void drop(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    made.remove(name);
  }

  /** The JDBC URL of a database on the server, with the credentials as parameters. */
  public String url(String database) {
    String base = admin.jdbcUrl();
    int query = base.indexOf('?');
    String params = query < 0 ? "" : base.substring(query + 1);
    String path = query < 0 ? base : base.substring(0, query);
    String server = path.substring(0, path.lastIndexOf('/') + 1);
    StringBuilder url = new StringBuilder(server).append(database).append('?').append(params);
    if (admin.user() != null) {
      url.append(params.isEmpty() ? "" : "&").append("user=").append(encode(admin.user()));
      params = "x";
    }
    if (admin.password() != null) {
      url.append(params.isEmpty() ? "" : "&").append("password=").append(encode(admin.password()));
    }
    return url.toString();
  }

  /**
   * The libpq URI of a database made by {@link #newDatabase}: {@code
   * postgresql://USER:PASSWORD@HOST:PORT/DB}, the credentials percent-encoded (the embedded server
   * trusts local users, so its password is a dummy).
   */
  public String libpqUri(String jdbcUrl) {
    String server = jdbcUrl.replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", "");
    String user = admin.user() != null ? admin.user() : "postgres";
    String password = admin.password() != null ? admin.password() : "unused";
    return "postgresql://" + percent(user) + ":" + percent(password) + "@" + server;
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters. */
  private static String percent(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private void dropQuietly(String name) {
    try {
      execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (IllegalStateException e) {
      System.err.println("could not drop test database " + name + ": " + e.getMessage());
    }
  }

  private void execute(String sql) {
    Properties p = new Properties();
    if (admin.user() != null) {
      p.setProperty("user", admin.user());
    }
    if (admin.password() != null) {
      p.setProperty("password", admin.password());
    }
    try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), p);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
