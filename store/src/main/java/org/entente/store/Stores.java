package org.entente.store;

import java.nio.file.Files;
import java.nio.file.Path;
import org.entente.store.postgres.PostgresStore;
import org.entente.store.postgres.PostgresUrl;
import org.entente.store.sqlite.SqliteStore;

/** Opens the store a node is configured with: PostgreSQL when given a URL, else SQLite. */
public final class Stores {
  private Stores() {}

  /**
   * Opens (creating and migrating if needed) the node's store.
   *
   * @param databaseUrl a PostgreSQL database ({@code postgresql://USER:PASSWORD@HOST:PORT/DB} or
   *     {@code jdbc:postgresql:...}), or null (or blank) for the SQLite file in {@code dataDir}
   * @param dataDir the node's data directory (the SQLite file's home)
   * @throws IllegalArgumentException if {@code databaseUrl} is given but not a PostgreSQL URL
   */
  public static Store open(String databaseUrl, Path dataDir) {
    if (databaseUrl == null || databaseUrl.isBlank()) {
      return SqliteStore.open(dataDir);
    }
    if (!PostgresUrl.isPostgres(databaseUrl)) {
      throw new IllegalArgumentException(
          "unsupported database URL (postgresql://USER:PASSWORD@HOST:PORT/DB or"
              + " jdbc:postgresql:...)");
    }
    return PostgresStore.open(databaseUrl);
  }

  /**
   * Whether the store {@link #open} would open exists already (SQLite: the database file in {@code
   * dataDir}; PostgreSQL: the schema in the database), found without creating anything.
   *
   * @throws IllegalArgumentException if {@code databaseUrl} is given but not a PostgreSQL URL
   * @throws StoreException if the PostgreSQL server cannot be reached or refuses the login
   */
  public static boolean exists(String databaseUrl, Path dataDir) {
    if (databaseUrl == null || databaseUrl.isBlank()) {
      return Files.isRegularFile(dataDir.resolve(SqliteStore.FILE_NAME));
    }
    if (!PostgresUrl.isPostgres(databaseUrl)) {
      throw new IllegalArgumentException(
          "unsupported database URL (postgresql://USER:PASSWORD@HOST:PORT/DB or"
              + " jdbc:postgresql:...)");
    }
    return PostgresStore.schemaExists(databaseUrl);
  }
}
