package org.entente.node.federation;

/** Receives a sync's progress (the CLI draws its progress bar from it). */
public interface SyncProgress {
  /** A pulled page was committed; {@code total} objects pulled so far in this sync. */
  default void pulled(long total, boolean more) {}

  /**
   * A pushed envelope was settled; {@code total} pushed so far, {@code remaining} still to push (an
   * estimate).
   */
  default void pushed(long total, long remaining) {}

  SyncProgress NONE = new SyncProgress() {};
}
