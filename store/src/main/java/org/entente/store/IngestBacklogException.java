package org.entente.store;

/**
 * The ingest queue is full: the submission was not accepted and nothing of it will be written.
 * Callers answer with back-pressure (HTTP 503 or 429 with Retry-After) instead of dropping data.
 */
public class IngestBacklogException extends RuntimeException {
  private final int queuedObjects;
  private final int capacity;

  public IngestBacklogException(int queuedObjects, int capacity) {
    super(
        "ingest backlog is full ("
            + queuedObjects
            + " objects waiting, capacity "
            + capacity
            + "); retry later");
    this.queuedObjects = queuedObjects;
    this.capacity = capacity;
  }

  public int queuedObjects() {
    return queuedObjects;
  }

  public int capacity() {
    return capacity;
  }
}
