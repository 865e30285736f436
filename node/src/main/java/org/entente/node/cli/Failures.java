package org.entente.node.cli;

import org.entente.node.DatabaseUrls;

/** A failure as the one line a command prints: what failed and why, never a password. */
final class Failures {
  private Failures() {}

  /**
   * The exception's message, and its root cause's first line when the message does not say it
   * already (e.g. "cannot migrate the database schema at ...: permission denied for schema
   * public"); any password of {@code databaseUrl} (null for none) is masked.
   */
  static String oneLine(Throwable e, String databaseUrl) {
    String message = firstLine(e.getMessage());
    if (message.isEmpty()) {
      message = e.getClass().getSimpleName();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null) {
      String why = firstLine(root.getMessage());
      if (!why.isEmpty() && !message.contains(why)) {
        message = (message.endsWith(".") ? message.substring(0, message.length() - 1) : message)
            + ": "
            + why;
      }
    }
    return DatabaseUrls.scrub(message, databaseUrl);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("").strip();
  }
}
