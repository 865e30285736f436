package org.entente.bench;

import java.util.Optional;

/**
 * Where the node under load keeps its data: SQLite in its data directory, or a PostgreSQL database
 * made for this run. Closing it drops what the run made.
 */
interface Backend extends AutoCloseable {
  /** {@code sqlite} or {@code postgresql}, as {@code --db} names it. */
  String name();

  /** The node's database URL ({@code ENTENTE_DB}); null for SQLite in the data directory. */
  String nodeDatabaseUrl();

  /**
   * The memory of the database server's processes, when the server is a process of its own on this
   * machine that can be read; empty otherwise (SQLite lives inside the node).
   */
  Optional<ResidentMemory.Tree> serverMemory();

  String describe();

  @Override
  void close() throws Exception;

  /** SQLite: nothing to start or drop; the data directory goes with the run's temporary folder. */
  record Sqlite() implements Backend {
    @Override
    public String name() {
      return "sqlite";
    }

    @Override
    public String nodeDatabaseUrl() {
      return null;
    }

    @Override
    public Optional<ResidentMemory.Tree> serverMemory() {
      return Optional.empty();
    }

    @Override
    public String describe() {
      return "SQLite in the node's fresh data directory";
    }

    @Override
    public void close() {}
  }
}
