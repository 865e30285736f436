package org.entente.store;

import java.time.Instant;

/**
 * An object version a peer has not acknowledged (failed or still pending in its status), to be sent
 * again at {@code nextAttempt}.
 */
public record PushPending(
    String peer,
    String collectionId,
    String id,
    String version,
    int attempts,
    Instant nextAttempt,
    String lastError) {}
