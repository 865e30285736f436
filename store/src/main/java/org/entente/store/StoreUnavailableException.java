package org.entente.store;

/**
 * The database cannot be reached now: its server is down or restarting, or no connection came free
 * in time. Nothing is wrong with the request, and the store recovers by itself once the database is
 * back, so callers answer "unavailable, retry later" (HTTP 503 with Retry-After) rather than
 * reporting a failure of the request.
 *
 * <p>A write that fails so was rolled back, unless the connection broke while its COMMIT was under
 * way: the server may then have committed it. Ingest is idempotent (a repeated version is a
 * duplicate, not an error), so submitting again is always safe.
 */
public class StoreUnavailableException extends StoreException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
