package org.entente.taxii.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.entente.store.StatusRecord;

/**
 * Statuses the store does not hold: requests still waiting for their commit ("pending" until the
 * commit saves the final status in the same transaction), and the rare request whose commit failed,
 * which never reached the store. The store stays authoritative for everything committed.
 *
 * <p>Memory is bounded: pending entries by the writer's queue bound, failed ones by a cap.
 */
final class StatusBoard {
  /** TAXII asks servers to keep a status for at least 24 hours. */
  static final Duration RETENTION = Duration.ofHours(24);

  private static final int MAX_FAILED = 10_000;

  private record Held(StatusRecord status, Instant keepUntil) {}

  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
  private final Clock clock;

  StatusBoard(Clock clock) {
    this.clock = clock;
  }

  void pending(StatusRecord status) {
    held.put(status.id(), new Held(status, null));
  }

  /** The commit saved the final status: the store answers from now on. */
  void committed(String statusId) {
    held.remove(statusId);
  }

  void abandoned(String statusId) {
    held.remove(statusId);
  }

  /** The commit failed; the final status (all failures) lives only here. */
  void failed(StatusRecord status) {
    Instant now = clock.instant();
    held.values().removeIf(h -> h.keepUntil() != null && h.keepUntil().isBefore(now));
    long failedCount = held.values().stream().filter(h -> h.keepUntil() != null).count();
    if (failedCount >= MAX_FAILED) {
      held.entrySet().stream()
          .filter(e -> e.getValue().keepUntil() != null)
          .min(Comparator.comparing(e -> e.getValue().keepUntil()))
          .ifPresent(e -> held.remove(e.getKey()));
    }
    held.put(status.id(), new Held(status, now.plus(RETENTION)));
  }

  Optional<StatusRecord> get(String statusId) {
    Held h = held.get(statusId);
    if (h == null || (h.keepUntil() != null && h.keepUntil().isBefore(clock.instant()))) {
      return Optional.empty();
    }
    return Optional.of(h.status());
  }
}
