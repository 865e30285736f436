package org.entente.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.entente.store.postgres.TestPostgres;

/**
 * The store backends a test runs a node (or a TAXII server) on. Tests of other modules use it
 * through the store module's test jar: a test that holds for every backend takes one of these and
 * gets its store with {@link #open}, or configures a node with {@link #databaseUrl}.
 *
 * <p>Stores are named by a data directory (a test's {@code @TempDir}, say), as a node's are: on
 * PostgreSQL each directory gets a database of its own on {@link TestPostgres} (the embedded
 * server, or the one {@code ENTENTE_TEST_POSTGRES_URL} names), made on first use and dropped by
 * {@link #discard}; reopening the same directory reopens the same database, so restarts can be
 * tested.
 */
public enum TestBackend {
  SQLITE {
    @Override
    public String databaseUrl(Path dataDir) {
      return null;
    }

    @Override
    public void discard(Path dataDir) {
      // the file goes with the test's temporary directory
    }
  },

  POSTGRES {
    @Override
    public String databaseUrl(Path dataDir) {
      return DATABASES.computeIfAbsent(key(dataDir), d -> TestPostgres.get().newDatabase());
    }

    @Override
    public void discard(Path dataDir) {
      String url = DATABASES.remove(key(dataDir));
      if (url != null) {
        TestPostgres.get().drop(url);
      }
    }
  };

  /** The database of each data directory (PostgreSQL). */
  private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();

  /**
   * What a node on {@code dataDir} is configured with: null for SQLite (the file in the directory),
   * else a JDBC URL with the credentials.
   */
  public abstract String databaseUrl(Path dataDir);

  /**
   * Drops what {@link #open} or {@link #databaseUrl} made for {@code dataDir} once the test closed
   * every store on it; does nothing if there is nothing to drop.
   */
  public abstract void discard(Path dataDir);

  /** Opens (creating on first use) the store of {@code dataDir}, as a node would. */
  public Store open(Path dataDir) {
    return Stores.open(databaseUrl(dataDir), dataDir);
  }

  private static Path key(Path dataDir) {
    return dataDir.toAbsolutePath().normalize();
  }
}
