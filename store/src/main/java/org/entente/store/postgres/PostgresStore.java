package org.entente.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.entente.stix.marking.Tlp;
import org.entente.store.ApiRoot;
import org.entente.store.ApiToken;
import org.entente.store.AuditEvent;
import org.entente.store.AuditQuery;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.CommittedEntries;
import org.entente.store.Community;
import org.entente.store.Entry;
import org.entente.store.EntryPage;
import org.entente.store.EntryRef;
import org.entente.store.ObjectQuery;
import org.entente.store.Organisation;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import org.entente.store.PushPending;
import org.entente.store.StatusRecord;
import org.entente.store.Store;
import org.entente.store.StoreException;
import org.entente.store.StoreUnavailableException;
import org.entente.store.User;
import org.entente.store.WriteTransaction;
import org.entente.store.jdbc.CommittedEntrySql;
import org.entente.store.jdbc.CoordinationRows;
import org.entente.store.jdbc.Dialect;
import org.entente.store.jdbc.DirectoryCache;
import org.entente.store.jdbc.EntryPageSql;
import org.entente.store.jdbc.EntryRefSql;
import org.entente.store.jdbc.Sql;
import org.entente.store.jdbc.StatusRows;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The {@link Store} on a PostgreSQL database, which several node processes (serve, the CLI, more
 * serve processes) may share. The schema is the SQLite one, table for table (Flyway migrations in
 * {@code db/migration/postgresql}), and so are the statements and the answers: the same contract
 * tests run against both.
 *
 * <p>Connections: a pool of one for writes ({@link #write} calls are serialised in this process
 * anyway, as the contract says), a pool of up to {@code readConnections} for reads (autocommit:
 * every statement sees what had committed when it started, as with SQLite), and one connection that
 * LISTENs for other processes' directory changes ({@link DirectoryListener}).
 *
 * <p>Writers of all processes commit in seq order; see {@link PostgresWriteTransaction} for how and
 * why. Every commit is durable before {@link #write} returns: the writer's session runs with {@code
 * synchronous_commit} at least {@code on} (raised from {@code off} if the server says otherwise).
 *
 * <p>API roots, collections, grants, users, organisations and tokens are cached in memory ({@link
 * DirectoryCache}); a write through this store that changes them drops the cache before it returns,
 * and a commit through any other process is announced with NOTIFY and drops it within milliseconds.
 */
public final class PostgresStore implements Store {
  /** Read connections when the caller does not say. */
  public static final int DEFAULT_READERS = 8;

  /**
   * How long a read waits for a connection: time for a busy pool to free one. Longer means the
   * database is down or the node overloaded; the read then fails with {@link
   * StoreUnavailableException} (a 503 the client retries) instead of holding its request open.
   */
  private static final long READ_CONNECTION_TIMEOUT_MS = 2_000;

  /**
   * How long a write waits for the writer's connection. Writes are serialised in this process
   * before they borrow it, so it is never busy: waiting only ever means the database is down, and
   * every submission queued meanwhile waits too.
   */
  private static final long WRITE_CONNECTION_TIMEOUT_MS = 1_000;

  /** How long checking an idle connection may take (it must be shorter than either wait above). */
  private static final long VALIDATION_TIMEOUT_MS = 500;

  /** How long a writer waits for another process's write transaction before giving up. */
  private static final String LOCK_TIMEOUT = "60s";

  private static final AtomicInteger STORES = new AtomicInteger();

  private final PostgresUrl url;
  private final Clock clock;
  // Fair: a short write (a pending status, a lease) must not starve behind the group commits.
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final HikariDataSource writer;
  private final HikariDataSource readers;
  private final DirectoryCache directory = new DirectoryCache();
  private final DirectoryListener listener;
  private volatile boolean closed;

  /**
   * Opens (migrating if needed) the store in the database {@code url} names: a libpq URI ({@code
   * postgresql://USER:PASSWORD@HOST:PORT/DB}) or a JDBC URL ({@code jdbc:postgresql:...}).
   */
  public static PostgresStore open(String url) {
    return open(url, Clock.systemUTC(), DEFAULT_READERS);
  }

  /**
   * Opens (migrating if needed) the store in a database.
   *
   * @param clock the source of date_added (entries get max(now, last + 1µs))
   * @param readConnections most read connections held at once, at least 1
   */
  public static PostgresStore open(String url, Clock clock, int readConnections) {
    return new PostgresStore(PostgresUrl.parse(url), clock, readConnections);
  }

  /**
   * Whether the database {@code url} names holds an Entente schema (migrated at least once), found
   * without creating or migrating anything: the command-line tools refuse a database that no node
   * has set up.
   *
   * @throws StoreException if the server cannot be reached or refuses the login (the message never
   *     holds the password)
   */
  public static boolean schemaExists(String url) {
    PostgresUrl u = PostgresUrl.parse(url);
    Properties p = new Properties();
    if (u.user() != null) {
      p.setProperty("user", u.user());
    }
    if (u.password() != null) {
      p.setProperty("password", u.password());
    }
    p.setProperty("ApplicationName", "entente");
    try (Connection c = DriverManager.getConnection(u.jdbcUrl(), p);
        PreparedStatement ps =
            c.prepareStatement("SELECT to_regclass('flyway_schema_history') IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException e) {
      throw PgErrors.translate(e, "connecting to " + u.redacted());
    }
  }

  private PostgresStore(PostgresUrl url, Clock clock, int readConnections) {
    Objects.requireNonNull(clock, "clock");
    if (readConnections < 1) {
      throw new IllegalArgumentException("readConnections must be at least 1");
    }
    this.url = url;
    this.clock = clock;
    String name = "entente-" + STORES.incrementAndGet();
    String writerInit = "SET lock_timeout = '" + LOCK_TIMEOUT + "'";
    try (Connection c = connect()) {
      checkServer(c);
      if (setting(c, "synchronous_commit").equals("off")) {
        // A reported success must survive a crash of the server: never acknowledge a commit
        // before it is flushed (a stronger setting of the server, e.g. remote_apply, is kept).
        writerInit += "; SET synchronous_commit = on";
      }
    } catch (SQLException e) {
      throw PgErrors.translate(e, "connecting to " + url.redacted());
    }
    migrate();
    HikariDataSource w = null;
    HikariDataSource r = null;
    try {
      w = pool(name + "-writer", 1, 1, false, writerInit, WRITE_CONNECTION_TIMEOUT_MS);
      r = pool(name + "-readers", readConnections, 1, true, null, READ_CONNECTION_TIMEOUT_MS);
      this.listener = new DirectoryListener(this::connect, directory::invalidate, name);
    } catch (SQLException | RuntimeException e) {
      if (r != null) {
        r.close();
      }
      if (w != null) {
        w.close();
      }
      throw e instanceof SQLException se
          ? PgErrors.translate(se, "opening " + url.redacted())
          : (RuntimeException) e;
    }
    this.writer = w;
    this.readers = r;
  }

  /** The database, for messages: never the password. */
  public String location() {
    return url.redacted();
  }

  // ---- setup ------------------------------------------------------------------------------

  private Properties credentials() {
    Properties p = new Properties();
    if (url.user() != null) {
      p.setProperty("user", url.user());
    }
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    return p;
  }

  /** A new connection outside the pools (setup, migrations, the directory listener). */
  private Connection connect() throws SQLException {
    Properties p = credentials();
    p.setProperty("ApplicationName", "entente");
    return DriverManager.getConnection(url.jdbcUrl(), p);
  }

  private static String setting(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** The JSON bodies are served as the stored text's UTF-8 bytes: the database must hold UTF-8. */
  private void checkServer(Connection c) throws SQLException {
    String encoding = setting(c, "server_encoding");
    if (!encoding.equalsIgnoreCase("UTF8")) {
      throw new StoreException(
          "the database at "
              + url.redacted()
              + " is encoded in "
              + encoding
              + "; Entente needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8')");
    }
  }

  private void migrate() {
    try {
      Flyway.configure()
          .dataSource(url.jdbcUrl(), url.user(), url.password())
          .locations("classpath:db/migration/postgresql")
          .failOnMissingLocations(true)
          .validateMigrationNaming(true)
          .cleanDisabled(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the database schema at " + url.redacted(), e);
    }
  }

  private HikariDataSource pool(
      String name, int max, int minIdle, boolean readOnly, String initSql, long timeoutMs) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url.jdbcUrl());
    config.setDataSourceProperties(credentials());
    config.addDataSourceProperty("ApplicationName", "entente");
    config.setMaximumPoolSize(max);
    config.setMinimumIdle(minIdle);
    config.setAutoCommit(readOnly);
    config.setReadOnly(readOnly);
    config.setConnectionTimeout(timeoutMs);
    config.setValidationTimeout(VALIDATION_TIMEOUT_MS);
    if (initSql != null) {
      config.setConnectionInitSql(initSql);
    }
    return new HikariDataSource(config);
  }

  // ---- writes -----------------------------------------------------------------------------

  @Override
  public <T> T write(Function<WriteTransaction, T> work) {
    Objects.requireNonNull(work, "work");
    if (writeLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("write transactions do not nest");
    }
    writeLock.lock();
    try {
      ensureOpen();
      try (Connection c = writer.getConnection()) {
        PostgresWriteTransaction tx = new PostgresWriteTransaction(c, clock);
        boolean committed = false;
        try {
          T result = work.apply(tx);
          tx.finish();
          if (tx.failure() != null) {
            throw new StoreException(
                "the write transaction was rolled back because an operation in it failed",
                tx.failure());
          }
          tx.saveCounters();
          tx.raiseTlpHighWaterMarks();
          if (tx.changedDirectory()) {
            try (Statement s = c.createStatement()) {
              // NOTIFY is delivered when, and only if, the transaction commits.
              s.executeUpdate(
                  "UPDATE store_counter SET value = value + 1 WHERE name = 'directory'");
              s.execute("NOTIFY " + DirectoryListener.CHANNEL);
            }
          }
          c.commit();
          committed = true;
          if (tx.changedDirectory()) {
            directory.invalidate();
          }
          return result;
        } finally {
          tx.finish();
          if (!committed) {
            rollbackQuietly(c);
          }
          tx.close();
        }
      }
    } catch (SQLException e) {
      throw PgErrors.translate(e, "write transaction");
    } finally {
      writeLock.unlock();
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // A broken connection: the server rolls back by itself, and the pool drops it.
    }
  }

  // ---- reads ------------------------------------------------------------------------------

  /** One borrowed read connection, with the statements prepared on it during one read. */
  private static final class Reader implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Reader(Connection connection) {
      this.connection = connection;
    }

    /**
     * A prepared statement for this SQL (the driver caches its server-side form per connection).
     */
    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      }
      return ps;
    }

    Connection connection() {
      return connection;
    }

    @Override
    public void close() throws SQLException {
      try {
        for (PreparedStatement ps : statements.values()) {
          ps.close();
        }
      } finally {
        connection.close();
      }
    }
  }

  /** A read on a pooled connection. */
  @FunctionalInterface
  private interface Read<T> {
    T run(Reader r) throws SQLException;
  }

  private <T> T read(String doing, Read<T> read) {
    ensureOpen();
    try (Reader r = new Reader(readers.getConnection())) {
      return read.run(r);
    } catch (SQLException e) {
      throw PgErrors.translate(e, doing);
    }
  }

  /** A row mapper that may throw SQLException. */
  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> list(String doing, String sql, RowMapper<T> mapper, Object... params) {
    return read(doing, r -> list(r, sql, mapper, params));
  }

  private static <T> List<T> list(Reader r, String sql, RowMapper<T> mapper, Object... params)
      throws SQLException {
    PreparedStatement ps = r.prepare(sql);
    Sql.bind(ps, params);
    List<T> result = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        result.add(mapper.map(rs));
      }
    }
    return result;
  }

  private <T> Optional<T> one(String doing, String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = list(doing, sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  @Override
  public EntryPage entries(ObjectQuery query) {
    Objects.requireNonNull(query, "query");
    return read("reading collection " + query.collectionId(), r -> entries(r, query));
  }

  private EntryPage entries(Reader r, ObjectQuery query) throws SQLException {
    Long collectionPk = collectionPk(r, query.collectionId());
    if (collectionPk == null) {
      return new EntryPage(List.of(), false);
    }
    long afterSeq = query.afterSeq();
    if (query.addedAfter() != null) {
      // seq and date_added rise together, so "date_added > t" is "seq >= the first seq after
      // t": the page stays a single range scan in seq order whatever filter is used.
      Long first = firstSeqAddedAfter(r, Sql.micros(query.addedAfter()));
      if (first == null) {
        return new EntryPage(List.of(), false);
      }
      afterSeq = Math.max(afterSeq, first - 1);
    }
    if (query.visibility().seesEverything()) {
      return page(r, query, pageSql(query, collectionPk, afterSeq, true)).page();
    }
    // A reader whose ceiling covers the collection's TLP high-water mark sees every entry, so the
    // page can use the maintained first/last flags. The mark is only known for sure in the
    // statement's own snapshot: plan by the last mark seen, then check the mark the page came
    // with, and fall back to the exact plan when it says something may be hidden.
    int ceiling = query.visibility().ceilingRank();
    Integer hint = tlpMarks.get(collectionPk);
    if (hint == null) {
      hint = maxTlpRank(r, collectionPk);
      tlpMarks.put(collectionPk, hint);
    }
    if (hint <= ceiling) {
      MarkedPage fast = page(r, query, pageSql(query, collectionPk, afterSeq, true));
      if (fast.mark() != null) {
        tlpMarks.put(collectionPk, fast.mark());
        if (fast.mark() <= ceiling) {
          return fast.page();
        }
      }
    }
    MarkedPage exact = page(r, query, pageSql(query, collectionPk, afterSeq, false));
    if (exact.mark() != null) {
      tlpMarks.put(collectionPk, exact.mark());
    }
    return exact.page();
  }

  private static EntryPageSql pageSql(
      ObjectQuery query, long collectionPk, long afterSeq, boolean allVisible) {
    return EntryPageSql.of(Dialect.POSTGRESQL, query, collectionPk, afterSeq, allVisible);
  }

  private static int maxTlpRank(Reader r, long collectionPk) throws SQLException {
    List<Integer> rank =
        list(
            r,
            "SELECT max_tlp_rank FROM collection WHERE pk = ?",
            rs -> rs.getInt(1),
            collectionPk);
    return rank.isEmpty() ? Integer.MAX_VALUE : rank.get(0);
  }

  /** A page, and the collection's TLP high-water mark read with it (null: no row, or not asked). */
  private record MarkedPage(EntryPage page, Integer mark) {}

  private MarkedPage page(Reader r, ObjectQuery query, EntryPageSql page) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    boolean more = false;
    Integer mark = null;
    int markColumn = query.visibility().seesEverything() ? -1 : query.withJson() ? 10 : 9;
    PreparedStatement ps = r.prepare(page.sql());
    Sql.bind(ps, page.params().toArray());
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (markColumn > 0 && mark == null) {
          mark = rs.getInt(markColumn);
        }
        if (entries.size() == query.limit()) {
          more = true;
          break;
        }
        entries.add(EntryPageSql.entry(rs, query.withJson()));
      }
    }
    return new MarkedPage(new EntryPage(entries, more), mark);
  }

  /**
   * The last TLP high-water mark seen per collection: only a hint for planning a page, which is
   * checked against the mark read with it.
   */
  private final Map<Long, Integer> tlpMarks = new ConcurrentHashMap<>();

  /** Collections are never deleted and their pk never changes: cached once seen. */
  private Long collectionPk(Reader r, String collectionId) throws SQLException {
    DirectoryCache.Generation g = directory.current();
    Long pk = g.collectionPks.get(collectionId);
    if (pk == null) {
      List<Long> pks =
          list(r, "SELECT pk FROM collection WHERE id = ?", rs -> rs.getLong(1), collectionId);
      if (pks.isEmpty()) {
        return null;
      }
      pk = pks.get(0);
      g.collectionPks.put(collectionId, pk);
    }
    return pk;
  }

  private static Long firstSeqAddedAfter(Reader r, long micros) throws SQLException {
    List<Long> seqs =
        list(
            r,
            "SELECT seq FROM collection_entry WHERE date_added > ? ORDER BY date_added LIMIT 1",
            rs -> rs.getLong(1),
            micros);
    return seqs.isEmpty() ? null : seqs.get(0);
  }

  /** The plan PostgreSQL chooses for a page query, one line per node (for tests and tuning). */
  List<String> explain(ObjectQuery query) {
    return read(
        "explaining a query",
        r -> {
          Long collectionPk = collectionPk(r, query.collectionId());
          EntryPageSql page =
              pageSql(query, collectionPk == null ? -1 : collectionPk, query.afterSeq(), false);
          List<String> plan = new ArrayList<>();
          try (PreparedStatement ps = r.connection().prepareStatement("EXPLAIN " + page.sql())) {
            Sql.bind(ps, page.params().toArray());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                plan.add(rs.getString(1));
              }
            }
          }
          return plan;
        });
  }

  /** A setting as the writer's session sees it (for tests). */
  String writerSetting(String name) {
    writeLock.lock();
    try (Connection c = writer.getConnection()) {
      String value = setting(c, name);
      c.rollback();
      return value;
    } catch (SQLException e) {
      throw PgErrors.translate(e, "reading setting " + name);
    } finally {
      writeLock.unlock();
    }
  }

  public Optional<StatusRecord> status(String statusId) {
    return one(
        "reading status " + statusId,
        StatusRows.COLUMNS + " WHERE id = ?",
        StatusRows::read,
        statusId);
  }

  @Override
  public List<StatusRecord> abandonedStatuses(Instant now, Instant requestedBefore, int limit) {
    return read(
        "reading abandoned statuses",
        r -> StatusRows.abandoned(r::prepare, now, requestedBefore, limit));
  }

  // ---- the change feed and node settings ---------------------------------------------------

  @Override
  public CommittedEntries committedEntries(long afterSeq, Set<String> types, int limit) {
    return read(
        "reading the change feed", r -> CommittedEntrySql.read(r::prepare, afterSeq, types, limit));
  }

  @Override
  public long lastSeq() {
    return read("reading the last seq", r -> CommittedEntrySql.lastSeq(r::prepare));
  }

  @Override
  public List<Instant> loginFailures(String key, Instant since) {
    return read(
        "reading failed logins", r -> CoordinationRows.loginFailures(r::prepare, key, since));
  }

  @Override
  public Optional<String> setting(String name) {
    return read("reading setting " + name, r -> CoordinationRows.setting(r::prepare, name));
  }

  // ---- API roots and collections ----------------------------------------------------------

  private static final String API_ROOT_COLUMNS =
      "SELECT path, title, description, max_content_length FROM api_root";

  private static ApiRoot apiRoot(ResultSet rs) throws SQLException {
    return new ApiRoot(
        rs.getString("path"),
        rs.getString("title"),
        rs.getString("description"),
        rs.getLong("max_content_length"));
  }

  @Override
  public List<ApiRoot> apiRoots() {
    return cached(
        "apiRoots",
        null,
        null,
        () ->
            List.copyOf(
                list(
                    "listing API roots",
                    API_ROOT_COLUMNS + " ORDER BY pk",
                    PostgresStore::apiRoot)));
  }

  @Override
  public Optional<ApiRoot> apiRoot(String path) {
    return cached(
        "apiRoot",
        path,
        null,
        () ->
            one(
                "reading API root " + path,
                API_ROOT_COLUMNS + " WHERE path = ?",
                PostgresStore::apiRoot,
                path));
  }

  private static final String COLLECTION_COLUMNS =
      "SELECT id, api_root, title, description, alias, default_tlp, created FROM collection";

  private static Collection collection(ResultSet rs) throws SQLException {
    return new Collection(
        rs.getString("id"),
        rs.getString("api_root"),
        rs.getString("title"),
        rs.getString("description"),
        rs.getString("alias"),
        rs.getString("default_tlp"),
        Sql.instant(rs, "created"));
  }

  @Override
  public List<Collection> collections(String apiRootPath) {
    return cached(
        "collections",
        apiRootPath,
        null,
        () ->
            List.copyOf(
                list(
                    "listing collections of " + apiRootPath,
                    COLLECTION_COLUMNS + " WHERE api_root = ? ORDER BY pk",
                    PostgresStore::collection,
                    apiRootPath)));
  }

  @Override
  public Optional<Collection> collection(String apiRootPath, String idOrAlias) {
    // An id match wins over an alias that happens to look like another collection's id.
    return cached(
        "collection",
        apiRootPath,
        idOrAlias,
        () ->
            one(
                "reading collection " + idOrAlias,
                COLLECTION_COLUMNS
                    + " WHERE api_root = ? AND (id = ? OR alias = ?)"
                    + " ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
                PostgresStore::collection,
                apiRootPath,
                idOrAlias,
                idOrAlias,
                idOrAlias));
  }

  @Override
  public List<CollectionGrant> grants(String collectionId) {
    return cached(
        "grants",
        collectionId,
        null,
        () ->
            List.copyOf(
                list(
                    "listing grants of " + collectionId,
                    "SELECT collection_id, grantee_kind, grantee, can_read, can_write"
                        + " FROM collection_grant WHERE collection_id = ?"
                        + " ORDER BY grantee_kind, grantee",
                    rs ->
                        new CollectionGrant(
                            rs.getString("collection_id"),
                            CollectionGrant.GranteeKind.valueOf(rs.getString("grantee_kind")),
                            rs.getString("grantee"),
                            rs.getBoolean("can_read"),
                            rs.getBoolean("can_write")),
                    collectionId)));
  }

  // ---- principals -------------------------------------------------------------------------

  private static final String ORGANISATION_COLUMNS =
      "SELECT name, identity_id, country, home, sectors, identity_json FROM organisation";

  private static Organisation organisation(ResultSet rs) throws SQLException {
    return new Organisation(
        rs.getString("name"),
        rs.getString("identity_id"),
        rs.getString("country"),
        rs.getBoolean("home"),
        Sql.stringList(rs.getString("sectors")),
        rs.getString("identity_json"));
  }

  @Override
  public Optional<Organisation> organisation(String name) {
    return cached(
        "organisation",
        name,
        null,
        () ->
            one(
                "reading organisation " + name,
                ORGANISATION_COLUMNS + " WHERE name = ?",
                PostgresStore::organisation,
                name));
  }

  @Override
  public List<Organisation> organisations() {
    return list(
        "listing organisations",
        ORGANISATION_COLUMNS + " ORDER BY name",
        PostgresStore::organisation);
  }

  private static final String USER_COLUMNS =
      "SELECT name, organisation, role, password_hash, disabled, created FROM app_user";

  private static User user(ResultSet rs) throws SQLException {
    return new User(
        rs.getString("name"),
        rs.getString("organisation"),
        User.Role.valueOf(rs.getString("role")),
        rs.getString("password_hash"),
        rs.getBoolean("disabled"),
        Sql.instant(rs, "created"));
  }

  @Override
  public Optional<User> user(String name) {
    return cached(
        "user",
        name,
        null,
        () ->
            one(
                "reading user " + name,
                USER_COLUMNS + " WHERE name = ?",
                PostgresStore::user,
                name));
  }

  @Override
  public List<User> users() {
    return list("listing users", USER_COLUMNS + " ORDER BY name", PostgresStore::user);
  }

  private static final String TOKEN_COLUMNS =
      "SELECT id, user_name, secret_hash, can_write, created, expires, revoked FROM api_token";

  private static ApiToken token(ResultSet rs) throws SQLException {
    return new ApiToken(
        rs.getString("id"),
        rs.getString("user_name"),
        rs.getString("secret_hash"),
        rs.getBoolean("can_write"),
        Sql.instant(rs, "created"),
        Sql.instant(rs, "expires"),
        rs.getBoolean("revoked"));
  }

  @Override
  public Optional<ApiToken> tokenByHash(String tokenHash) {
    return cached(
        "tokenByHash",
        tokenHash,
        null,
        () ->
            one(
                "reading a token",
                TOKEN_COLUMNS + " WHERE secret_hash = ?",
                PostgresStore::token,
                tokenHash));
  }

  @Override
  public List<ApiToken> tokens(String userName) {
    return list(
        "listing tokens of " + userName,
        TOKEN_COLUMNS + " WHERE user_name = ? ORDER BY created, id",
        PostgresStore::token,
        userName);
  }

  @Override
  public Set<String> observationInputs() {
    return cached(
        "observationInputs",
        null,
        null,
        () ->
            Set.copyOf(
                list(
                    "listing observation inputs",
                    "SELECT collection_id FROM observation_input",
                    rs -> rs.getString(1))));
  }

  // ---- federation ---------------------------------------------------------------------------

  private static final String PEER_COLUMNS =
      "name, organisation, discovery_url, api_root, remote_collection, direction,"
          + " interval_seconds, local_collection, publish_collections, tlp_ceiling, auth_kind,"
          + " auth_user, auth_secret, client_certificate, client_cert_password, created,"
          + " trusted_certificates";

  private static Peer peer(ResultSet rs) throws SQLException {
    return new Peer(
        rs.getString("name"),
        rs.getString("organisation"),
        rs.getString("discovery_url"),
        rs.getString("api_root"),
        rs.getString("remote_collection"),
        Peer.Direction.valueOf(rs.getString("direction")),
        rs.getInt("interval_seconds"),
        rs.getString("local_collection"),
        Sql.stringList(rs.getString("publish_collections")),
        Tlp.parse(rs.getString("tlp_ceiling")),
        new Peer.PeerCredentials(
            rs.getString("auth_kind"),
            rs.getString("auth_user"),
            rs.getString("auth_secret"),
            rs.getString("client_cert_password")),
        rs.getString("client_certificate"),
        Sql.instant(rs, "created"),
        rs.getString("trusted_certificates"));
  }

  @Override
  public List<Peer> peers() {
    return list(
        "listing peers",
        "SELECT " + PEER_COLUMNS + " FROM peer ORDER BY name",
        PostgresStore::peer);
  }

  @Override
  public Optional<Peer> peer(String name) {
    return one(
        "reading peer " + name,
        "SELECT " + PEER_COLUMNS + " FROM peer WHERE name = ?",
        PostgresStore::peer,
        name);
  }

  @Override
  public PeerState peerState(String peer) {
    return one(
            "reading the state of peer " + peer,
            "SELECT * FROM peer_state WHERE peer = ?",
            rs ->
                new PeerState(
                    rs.getString("peer"),
                    rs.getString("pull_added_after"),
                    Sql.longMap(rs.getString("push_marks")),
                    rs.getString("inflight_collection"),
                    rs.getLong("inflight_to_seq"),
                    rs.getString("inflight_status"),
                    Sql.instant(rs, "last_attempt"),
                    Sql.instant(rs, "last_success"),
                    rs.getString("last_error"),
                    Sql.instant(rs, "last_error_at"),
                    rs.getInt("consecutive_failures"),
                    Sql.instant(rs, "next_attempt"),
                    Sql.instant(rs, "caught_up_at"),
                    rs.getLong("pulled"),
                    rs.getLong("pushed"),
                    rs.getLong("skipped")),
            peer)
        .orElse(PeerState.initial(peer));
  }

  @Override
  public List<PushPending> pushPending(String peer, Instant now, int limit) {
    return list(
        "reading pending pushes to " + peer,
        "SELECT peer, collection_id, id, version, attempts, next_attempt, last_error"
            + " FROM peer_push_pending WHERE peer = ? AND next_attempt <= ?"
            + " ORDER BY next_attempt LIMIT ?",
        rs ->
            new PushPending(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                Sql.instant(rs, "next_attempt"),
                rs.getString(7)),
        peer,
        Sql.instant(now),
        limit);
  }

  @Override
  public long pushPendingCount(String peer) {
    return one(
            "counting pending pushes to " + peer,
            "SELECT COUNT(*) FROM peer_push_pending WHERE peer = ?",
            rs -> rs.getLong(1),
            peer)
        .orElse(0L);
  }

  @Override
  public Set<String> receivedFrom(String peer, java.util.Collection<String> idAndVersions) {
    if (idAndVersions.isEmpty()) {
      return Set.of();
    }
    return read(
        "reading provenance",
        r ->
            pairsPresent(
                r,
                "SELECT DISTINCT v.id, v.version FROM unnest(?::text[], ?::text[]) AS k (id,"
                    + " version) JOIN object_version v ON v.id = k.id AND v.version = k.version"
                    + " JOIN collection_entry e ON e.collection_pk IN (SELECT pk FROM collection)"
                    + " AND e.id = v.id AND e.version_key = v.version_key JOIN entry_source s ON"
                    + " s.seq = e.seq WHERE s.peer = ?",
                idAndVersions,
                peer));
  }

  @Override
  public Set<String> heldVersions(java.util.Collection<String> idAndVersionKeys) {
    if (idAndVersionKeys.isEmpty()) {
      return Set.of();
    }
    return read(
        "looking up held versions",
        r ->
            pairsPresent(
                r,
                "SELECT v.id, v.version_key FROM object_version v"
                    + " JOIN unnest(?::text[], ?::text[]) AS k (id, version_key)"
                    + " ON v.id = k.id AND v.version_key = k.version_key",
                idAndVersionKeys,
                null));
  }

  /**
   * Of the keys (each "a" + '\u0000' + "b"), those whose (a, b) the query finds: one statement for
   * all of them, the pairs passed as two arrays (not a round trip per key).
   */
  private static Set<String> pairsPresent(
      Reader r, String sql, java.util.Collection<String> keys, String extra) throws SQLException {
    String[] as = new String[keys.size()];
    String[] bs = new String[keys.size()];
    int i = 0;
    for (String key : keys) {
      int cut = key.indexOf('\u0000');
      as[i] = key.substring(0, cut);
      bs[i] = key.substring(cut + 1);
      i++;
    }
    PreparedStatement ps = r.prepare(sql);
    ps.setArray(1, r.connection().createArrayOf("text", as));
    ps.setArray(2, r.connection().createArrayOf("text", bs));
    if (extra != null) {
      ps.setString(3, extra);
    }
    Set<String> out = new HashSet<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1) + '\u0000' + rs.getString(2));
      }
    }
    return out;
  }

  @Override
  public Backlog backlog(String collectionId, long afterSeq) {
    return read(
        "measuring the backlog of " + collectionId,
        r -> {
          Long pk = collectionPk(r, collectionId);
          if (pk == null) {
            return new Backlog(0, null);
          }
          PreparedStatement ps =
              r.prepare(
                  "SELECT COUNT(*), MIN(date_added) FROM collection_entry"
                      + " WHERE collection_pk = ? AND seq > ?");
          Sql.bind(ps, pk, afterSeq);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long n = rs.getLong(1);
            return new Backlog(n, n == 0 ? null : Sql.fromMicros(rs.getLong(2)));
          }
        });
  }

  @Override
  public List<Community> communities() {
    return cached("communities", null, null, () -> List.copyOf(loadCommunities()));
  }

  @Override
  public Optional<Community> community(String name) {
    return communities().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  private List<Community> loadCommunities() {
    Map<String, List<String>> members = new HashMap<>();
    for (String[] m :
        list(
            "listing community members",
            "SELECT community, organisation FROM community_member ORDER BY organisation",
            rs -> new String[] {rs.getString(1), rs.getString(2)})) {
      members.computeIfAbsent(m[0], k -> new ArrayList<>()).add(m[1]);
    }
    return list(
        "listing communities",
        "SELECT name, description, created FROM community ORDER BY name",
        rs ->
            new Community(
                rs.getString("name"),
                rs.getString("description"),
                members.getOrDefault(rs.getString("name"), List.of()),
                Sql.instant(rs, "created")));
  }

  @Override
  public Set<String> communitiesOf(String organisation) {
    return cached(
        "communitiesOf",
        organisation,
        null,
        () ->
            Set.copyOf(
                list(
                    "listing communities of " + organisation,
                    "SELECT community FROM community_member WHERE organisation = ?",
                    rs -> rs.getString(1),
                    organisation)));
  }

  // ---- audit ------------------------------------------------------------------------------

  @Override
  public List<EntryRef> entryRefs(long[] seqs) {
    if (seqs.length == 0) {
      return List.of();
    }
    return read("naming entries", r -> EntryRefSql.read(r::prepare, seqs));
  }

  @Override
  public List<AuditEvent> audit(AuditQuery query) {
    Objects.requireNonNull(query, "query");
    StringBuilder sql =
        new StringBuilder(
            "SELECT seq, at, actor_user, actor_org, address, action, target, detail"
                + " FROM audit_event WHERE seq > ?");
    List<Object> params = new ArrayList<>();
    params.add(query.afterSeq());
    if (query.since() != null) {
      sql.append(" AND at >= ?");
      params.add(Sql.instant(query.since()));
    }
    if (query.actorUser() != null) {
      sql.append(" AND actor_user = ?");
      params.add(query.actorUser());
    }
    if (query.actionPrefix() != null) {
      // substr, not LIKE: an action prefix is literal text, with no wildcards.
      sql.append(" AND substr(action, 1, ?) = ?");
      params.add(query.actionPrefix().length());
      params.add(query.actionPrefix());
    }
    sql.append(" ORDER BY seq LIMIT ?");
    params.add(query.limit());
    return list(
        "reading the audit log",
        sql.toString(),
        rs ->
            new AuditEvent(
                rs.getLong("seq"),
                Sql.instant(rs, "at"),
                rs.getString("actor_user"),
                rs.getString("actor_org"),
                rs.getString("address"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("detail")),
        params.toArray());
  }

  // ---- the directory cache ----------------------------------------------------------------

  /**
   * A cached read of directory rows (see {@link DirectoryCache}): this store's writes drop the
   * cache as they commit, other processes' through the {@link DirectoryListener}.
   */
  private <T> T cached(String kind, String a, String b, java.util.function.Supplier<T> load) {
    ensureOpen();
    return directory.get(directory.current(), new DirectoryCache.Key(kind, a, b), load);
  }

  // ---- lifecycle --------------------------------------------------------------------------

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }

  /** Waits for a running write to finish, then closes the connections. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      listener.close();
      readers.close();
      writer.close();
    } finally {
      writeLock.unlock();
    }
  }
}
