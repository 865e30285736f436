package org.entente.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.entente.store.User;
import org.entente.store.WriteTransaction;
import org.entente.store.jdbc.CommittedEntrySql;
import org.entente.store.jdbc.CoordinationRows;
import org.entente.store.jdbc.Dialect;
import org.entente.store.jdbc.DirectoryCache;
import org.entente.store.jdbc.EntryPageSql;
import org.entente.store.jdbc.EntryRefSql;
import org.entente.store.jdbc.EntrySequencer;
import org.entente.store.jdbc.Sql;
import org.entente.store.jdbc.StatusRows;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded {@link Store}: one SQLite file in WAL mode, one writer connection used under a lock,
 * and a small pool of read-only connections so readers never wait for the writer.
 *
 * <p>Every commit is durable before {@link #write} returns ({@code synchronous=FULL}: the WAL is
 * fsynced at each commit), so it survives a killed process and a power loss. Checkpoints (copying
 * the WAL into the database file) run on their own thread ({@link Checkpointer}), not inside
 * commits; durability does not depend on them.
 *
 * <p>API roots, collections, grants, users, organisations and tokens are cached in memory ({@link
 * DirectoryCache}); a write through this store that changes them drops the cache before it returns,
 * and a commit through any other connection to the file does within a millisecond.
 */
public final class SqliteStore implements Store {
  /** The database file name inside a data directory. */
  public static final String FILE_NAME = "entente.db";

  private static final int BUSY_TIMEOUT_MS = 10_000;
  private static final int DEFAULT_READERS = 4;

  /** Lets one checkpoint copy the pages of many commits at once. */
  private static final long CHECKPOINT_DELAY_MS = 100;

  /**
   * 1 GiB of 4 KiB pages: past this the WAL is restarted, holding commits off while the last
   * commit's frames are copied (~0.1 s after a 5,000-object group commit, which writes ~30 MB of
   * WAL): rare enough to cost ingest about 1%. Readers do not pay for a long WAL: the background
   * checkpoints keep it copied, and a reader only searches the frames after the copied ones.
   */
  private static final int CHECKPOINT_RESTART_FRAMES = 262_144;

  private static final long WATCH_INTERVAL_NANOS = 1_000_000;

  private final Path file;
  // Fair: a short write (a pending status, a lease) must not starve behind the group commits.
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final WriterConnection writer;
  private final Checkpointer checkpointer;
  private final ReaderPool readers;
  private final DirectoryCache directory = new DirectoryCache();
  private final DataVersionWatch watch;
  private volatile long lastWatch = System.nanoTime();
  private long lastDataVersion = -1;
  private long lastDirectoryVersion = -1;
  private final EntrySequencer sequencer;
  private volatile boolean closed;

  /** Opens (creating and migrating if needed) the store in {@code dataDir/entente.db}. */
  public static SqliteStore open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDir, e);
    }
    return new SqliteStore(dataDir.resolve(FILE_NAME), Clock.systemUTC(), DEFAULT_READERS);
  }

  /**
   * Opens (creating and migrating if needed) a store in one database file.
   *
   * @param clock the source of date_added (entries get max(now, last + 1µs))
   * @param readConnections size of the read pool, at least 1
   */
  public SqliteStore(Path databaseFile, Clock clock, int readConnections) {
    Objects.requireNonNull(databaseFile, "databaseFile");
    Objects.requireNonNull(clock, "clock");
    if (readConnections < 1) {
      throw new IllegalArgumentException("readConnections must be at least 1");
    }
    this.file = databaseFile.toAbsolutePath();
    String url = "jdbc:sqlite:" + file;
    migrate(url);
    WriterConnection w = null;
    Connection cp = null;
    ReaderPool r = null;
    DataVersionWatch dv = null;
    try {
      w = new WriterConnection(writerConfig().createConnection(url));
      cp = writerConfig().createConnection(url);
      r = new ReaderPool(url, readerConfig(), readConnections, BUSY_TIMEOUT_MS).start();
      dv = new DataVersionWatch(readerConfig().createConnection(url));
      this.sequencer =
          new EntrySequencer(clock, loadCounter(w, "seq"), loadCounter(w, "date_added"));
    } catch (SQLException | RuntimeException e) {
      closeQuietly(w, cp, r);
      if (dv != null) {
        dv.close();
      }
      throw e instanceof SQLException se
          ? SqliteErrors.translate(se, "opening " + file)
          : (RuntimeException) e;
    }
    this.writer = w;
    try {
      this.checkpointer =
          new Checkpointer(cp, file, writeLock, CHECKPOINT_DELAY_MS, CHECKPOINT_RESTART_FRAMES);
    } catch (IOException e) {
      closeQuietly(w, cp, r);
      dv.close();
      throw new UncheckedIOException("cannot open " + file, e);
    }
    this.readers = r;
    this.watch = dv;
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  // ---- setup ------------------------------------------------------------------------------

  private static SQLiteConfig writerConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // 256 MiB: a group commit of 5,000 objects dirties ~30 MB of pages (spilling them to the WAL
    // mid-transaction would write them twice), and the id-keyed indexes stay cached as they grow.
    config.setCacheSize(-262_144);
    // Else the driver runs "SELECT last_insert_rowid()" (a fresh prepare) after every INSERT:
    // about 2.5 us per statement, and nothing here reads generated keys.
    config.setGetGeneratedKeys(false);
    // Checkpoints run on the Checkpointer's thread, not inside the writer's commits.
    config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0");
    return config;
  }

  private static void migrate(String url) {
    SQLiteDataSource ds = new SQLiteDataSource(writerConfig());
    ds.setUrl(url);
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration/sqlite")
          .failOnMissingLocations(true)
          .validateMigrationNaming(true)
          .cleanDisabled(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the database schema at " + url, e);
    }
  }

  private static SQLiteConfig readerConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setCacheSize(-16_384);
    config.setGetGeneratedKeys(false);
    // No memory mapping (mmap_size 0): while anything writes, the checkpoints grow the file and
    // every reader then maps it again and faults its pages back in; with a 4 GiB mapping a third
    // of a paging request's CPU went to the kernel, and reads were 10 to 15 % slower
    // (PERFORMANCE.md, "Readers without a mapping").
    config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, "0");
    return config;
  }

  private static long loadCounter(WriterConnection w, String name) throws SQLException {
    // The counter row survives deletes; the max over entries covers a database written before
    // the counters were saved (and is cheap: both columns are indexed).
    String column = name.equals("seq") ? "seq" : "date_added";
    try (PreparedStatement ps =
        w.connection()
            .prepareStatement(
                "SELECT MAX(COALESCE((SELECT value FROM store_counter WHERE name = ?), 0),"
                    + " COALESCE((SELECT MAX("
                    + column
                    + ") FROM collection_entry), 0))")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void closeQuietly(WriterConnection w, Connection cp, ReaderPool r) {
    if (r != null) {
      r.close();
    }
    try {
      if (cp != null) {
        cp.close();
      }
      if (w != null) {
        w.close();
      }
    } catch (SQLException e) {
      // Already failing; the first error is the one to report.
    }
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
      EntrySequencer.Mark mark = sequencer.mark();
      SqliteWriteTransaction tx = new SqliteWriteTransaction(writer, sequencer);
      boolean committed = false;
      try {
        writer.begin();
        catchUpCounters();
        T result = work.apply(tx);
        tx.finish();
        if (tx.failure() != null) {
          throw new StoreException(
              "the write transaction was rolled back because an operation in it failed",
              tx.failure());
        }
        saveCounters(mark);
        tx.raiseTlpHighWaterMarks();
        if (tx.changedDirectory()) {
          writer
              .prepare("UPDATE store_counter SET value = value + 1 WHERE name = 'directory'")
              .executeUpdate();
        }
        writer.commit();
        committed = true;
        if (tx.changedDirectory()) {
          directory.invalidate();
        }
        checkpointer.committed();
        return result;
      } catch (SQLException e) {
        throw SqliteErrors.translate(e, "write transaction");
      } finally {
        tx.finish();
        if (!committed) {
          writer.rollbackQuietly();
          sequencer.reset(mark);
        }
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Raises the sequencer to the counters another process (another store on the same file) may have
   * committed since this writer last wrote: it holds the write lock now (BEGIN IMMEDIATE), so the
   * rows are current and stay so until it commits. A rollback returns to the mark taken before,
   * which is still below what the next transaction reads here.
   */
  private void catchUpCounters() throws SQLException {
    PreparedStatement ps =
        writer.prepare(
            "SELECT (SELECT value FROM store_counter WHERE name = 'seq'),"
                + " (SELECT value FROM store_counter WHERE name = 'date_added')");
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      sequencer.raiseTo(rs.getLong(1), rs.getLong(2));
    }
  }

  private void saveCounters(EntrySequencer.Mark before) throws SQLException {
    EntrySequencer.Mark now = sequencer.mark();
    if (now.equals(before)) {
      return;
    }
    PreparedStatement ps = writer.prepare("UPDATE store_counter SET value = ? WHERE name = ?");
    Sql.bind(ps, now.lastSeq(), "seq");
    ps.executeUpdate();
    Sql.bind(ps, now.lastDateAdded(), "date_added");
    ps.executeUpdate();
  }

  // ---- reads ------------------------------------------------------------------------------

  /** A read on a pooled read-only connection. */
  @FunctionalInterface
  private interface Read<T> {
    T run(ReaderPool.Reader r) throws SQLException;
  }

  private <T> T read(String doing, Read<T> read) {
    ensureOpen();
    try {
      ReaderPool.Reader r = readers.borrow();
      try {
        return read.run(r);
      } finally {
        readers.giveBack(r);
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, doing);
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

  private static <T> List<T> list(
      ReaderPool.Reader r, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
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

  private EntryPage entries(ReaderPool.Reader r, ObjectQuery query) throws SQLException {
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
      return page(r, query, EntryPageSql.of(Dialect.SQLITE, query, collectionPk, afterSeq, true))
          .page();
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
      MarkedPage fast =
          page(r, query, EntryPageSql.of(Dialect.SQLITE, query, collectionPk, afterSeq, true));
      if (fast.mark() != null) {
        tlpMarks.put(collectionPk, fast.mark());
        if (fast.mark() <= ceiling) {
          return fast.page();
        }
      }
    }
    MarkedPage exact =
        page(r, query, EntryPageSql.of(Dialect.SQLITE, query, collectionPk, afterSeq, false));
    if (exact.mark() != null) {
      tlpMarks.put(collectionPk, exact.mark());
    }
    return exact.page();
  }

  private static int maxTlpRank(ReaderPool.Reader r, long collectionPk) throws SQLException {
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

  private MarkedPage page(ReaderPool.Reader r, ObjectQuery query, EntryPageSql page)
      throws SQLException {
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
  private Long collectionPk(ReaderPool.Reader r, String collectionId) throws SQLException {
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

  private static Long firstSeqAddedAfter(ReaderPool.Reader r, long micros) throws SQLException {
    List<Long> seqs =
        list(
            r,
            "SELECT seq FROM collection_entry WHERE date_added > ? ORDER BY date_added LIMIT 1",
            rs -> rs.getLong(1),
            micros);
    return seqs.isEmpty() ? null : seqs.get(0);
  }

  /** The query plan SQLite chooses for a page query, one line per step (for tests and tuning). */
  List<String> explain(ObjectQuery query) {
    return read(
        "explaining a query",
        r -> {
          Long collectionPk = collectionPk(r, query.collectionId());
          EntryPageSql page =
              EntryPageSql.of(
                  Dialect.SQLITE,
                  query,
                  collectionPk == null ? -1 : collectionPk,
                  query.afterSeq(),
                  false);
          List<String> plan = new ArrayList<>();
          try (PreparedStatement ps =
              r.connection().prepareStatement("EXPLAIN QUERY PLAN " + page.sql())) {
            Sql.bind(ps, page.params().toArray());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                plan.add(rs.getString("detail"));
              }
            }
          }
          return plan;
        });
  }

  /** A pragma's value as the writer connection sees it (for tests). */
  String writerPragma(String name) {
    if (!name.matches("[a-z_]+")) {
      throw new IllegalArgumentException(name);
    }
    writeLock.lock();
    try (PreparedStatement ps = writer.connection().prepareStatement("PRAGMA " + name);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "reading pragma " + name);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
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
                    "listing API roots", API_ROOT_COLUMNS + " ORDER BY pk", SqliteStore::apiRoot)));
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
                SqliteStore::apiRoot,
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
                    SqliteStore::collection,
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
                SqliteStore::collection,
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
                SqliteStore::organisation,
                name));
  }

  @Override
  public List<Organisation> organisations() {
    return list(
        "listing organisations",
        ORGANISATION_COLUMNS + " ORDER BY name",
        SqliteStore::organisation);
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
            one("reading user " + name, USER_COLUMNS + " WHERE name = ?", SqliteStore::user, name));
  }

  @Override
  public List<User> users() {
    return list("listing users", USER_COLUMNS + " ORDER BY name", SqliteStore::user);
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
                SqliteStore::token,
                tokenHash));
  }

  @Override
  public List<ApiToken> tokens(String userName) {
    return list(
        "listing tokens of " + userName,
        TOKEN_COLUMNS + " WHERE user_name = ? ORDER BY created, id",
        SqliteStore::token,
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
        "listing peers", "SELECT " + PEER_COLUMNS + " FROM peer ORDER BY name", SqliteStore::peer);
  }

  @Override
  public Optional<Peer> peer(String name) {
    return one(
        "reading peer " + name,
        "SELECT " + PEER_COLUMNS + " FROM peer WHERE name = ?",
        SqliteStore::peer,
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
        r -> {
          Set<String> out = new HashSet<>();
          PreparedStatement ps =
              r.prepare(
                  // Any entry of the version, in any collection, that the peer brought in.
                  "SELECT 1 FROM object_version v JOIN collection_entry e"
                      + " ON e.collection_pk IN (SELECT pk FROM collection) AND e.id = v.id"
                      + " AND e.version_key = v.version_key"
                      + " JOIN entry_source s ON s.seq = e.seq"
                      + " WHERE v.id = ? AND v.version = ? AND s.peer = ? LIMIT 1");
          for (String key : idAndVersions) {
            int cut = key.indexOf('\u0000');
            Sql.bind(ps, key.substring(0, cut), key.substring(cut + 1), peer);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                out.add(key);
              }
            }
          }
          return out;
        });
  }

  @Override
  public Set<String> heldVersions(java.util.Collection<String> idAndVersionKeys) {
    if (idAndVersionKeys.isEmpty()) {
      return Set.of();
    }
    return read(
        "looking up held versions",
        r -> {
          Set<String> out = new HashSet<>();
          PreparedStatement ps =
              r.prepare("SELECT 1 FROM object_version WHERE id = ? AND version_key = ?");
          for (String key : idAndVersionKeys) {
            int cut = key.indexOf('\u0000');
            Sql.bind(ps, key.substring(0, cut), key.substring(cut + 1));
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                out.add(key);
              }
            }
          }
          return out;
        });
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

  /** A cached read of directory rows (see {@link DirectoryCache}). */
  private <T> T cached(String kind, String a, String b, java.util.function.Supplier<T> load) {
    ensureOpen();
    return directory.get(directory(), new DirectoryCache.Key(kind, a, b), load);
  }

  /**
   * The current cache generation, first dropping it if another connection changed the directory
   * since the last look (at most once a millisecond): this store's own writes drop it as they
   * commit, but another process writing the same file (the CLI) would otherwise go unseen. Every
   * directory change bumps the 'directory' counter in the same transaction.
   */
  private DirectoryCache.Generation directory() {
    long now = System.nanoTime();
    if (now - lastWatch > WATCH_INTERVAL_NANOS) {
      synchronized (watch) {
        if (now - lastWatch > WATCH_INTERVAL_NANOS) {
          lastWatch = now;
          try {
            long version = watch.dataVersion();
            if (version != lastDataVersion) {
              lastDataVersion = version;
              // Something committed; only directory changes (not objects, statuses or audit
              // events, which commit all the time) make the cached rows stale.
              long directoryVersion = watch.directoryVersion();
              if (directoryVersion != lastDirectoryVersion) {
                lastDirectoryVersion = directoryVersion;
                directory.invalidate();
              }
            }
          } catch (SQLException e) {
            // Cannot tell: assume a change.
            directory.invalidate();
          }
        }
      }
    }
    return directory.current();
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
    // First, and outside the write lock: the checkpointer may be waiting for that lock.
    checkpointer.close();
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      readers.close();
      watch.close();
      try {
        // Fold the WAL back into the database file so the directory holds one tidy file.
        writer.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (SQLException e) {
        // A reader elsewhere may hold the WAL; it is checkpointed on the next open instead.
      }
      writer.close();
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "closing " + file);
    } finally {
      writeLock.unlock();
    }
  }
}
