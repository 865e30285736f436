package org.entente.store.jdbc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The store's small, hot and rarely changing rows (API roots, collections, grants, users,
 * organisations, tokens), kept in memory so that a request does not read them again. Every request
 * looks up its user, API root and collection; reading those cost more than the object it wanted.
 *
 * <p>A generation is dropped, whole, by any write transaction that changed such a row (before that
 * write returns, so the next request sees the change) and when another connection is seen to have
 * committed (see the backends' stores). A reader fills the generation it started with: if that was
 * dropped meanwhile, what it read goes nowhere.
 */
public final class DirectoryCache {
  /** Past this many entries a generation starts over (lookups can name anything). */
  private static final int MAX_ENTRIES = 10_000;

  /** One generation of cached rows. */
  public static final class Generation {
    public final Map<String, Long> collectionPks = new ConcurrentHashMap<>();
    private final Map<Key, Object> values = new ConcurrentHashMap<>();
  }

  /** What was looked up: the method and its arguments. */
  public record Key(String kind, String a, String b) {}

  private volatile Generation current = new Generation();

  public Generation current() {
    return current;
  }

  public void invalidate() {
    current = new Generation();
  }

  /** The cached value for the key, or what {@code load} reads (then cached). */
  @SuppressWarnings("unchecked")
  public <T> T get(Generation g, Key key, Supplier<T> load) {
    Object v = g.values.get(key);
    if (v == null) {
      v = load.get();
      if (g.values.size() >= MAX_ENTRIES) {
        invalidate();
      } else {
        g.values.put(key, v);
      }
    }
    return (T) v;
  }
}
