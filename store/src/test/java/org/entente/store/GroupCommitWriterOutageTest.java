package org.entente.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.entente.store.StoreTestObjects.id;
import static org.entente.store.StoreTestObjects.indicator;
import static org.entente.store.StoreTestObjects.write;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.entente.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group-commit writer while the database is unavailable: the failed group and everything queued
 * behind it fail at once, without a write attempt each, and the writer carries on once the database
 * is back. (The whole story, with a real PostgreSQL server stopped under load, is the node's
 * PostgresOutageTest; here the outage is injected, so that what is queued when is certain.)
 */
class GroupCommitWriterOutageTest {
  @TempDir Path dir;

  @Test
  void submissionsQueuedBehindAGroupThatFoundTheDatabaseDownFailWithItAndTheWriterCarriesOn()
      throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicInteger attempts = new AtomicInteger();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch timedOut = new CountDownLatch(1);
    try (Store real = SqliteStore.open(dir)) {
      // The real store, but while "down" a write waits (as for a pool's connection) and fails.
      Store store =
          (Store)
              Proxy.newProxyInstance(
                  Store.class.getClassLoader(),
                  new Class<?>[] {Store.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("write") && down.get()) {
                      attempts.incrementAndGet();
                      writing.countDown();
                      timedOut.await();
                      throw new StoreUnavailableException(
                          "the database is unavailable", new IllegalStateException("injected"));
                    }
                    try {
                      return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      try (GroupCommitWriter writer = new GroupCommitWriter(store, 1_000, 1)) {
        CompletableFuture<List<WriteOutcome>> first = submit(writer, 1);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        // Queued while the first group waits; a batch of one object each, so not in its group.
        CompletableFuture<List<WriteOutcome>> second = submit(writer, 2);
        CompletableFuture<List<WriteOutcome>> third = submit(writer, 3);
        timedOut.countDown();

        for (CompletableFuture<List<WriteOutcome>> f : List.of(first, second, third)) {
          assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
              .isInstanceOf(ExecutionException.class)
              .hasCauseInstanceOf(StoreUnavailableException.class);
        }
        assertThat(attempts).hasValue(1);
        assertThat(writer.pendingObjects()).isZero();

        down.set(false);
        assertThat(writer.submit(List.of(), outcomes -> null).get(10, TimeUnit.SECONDS)).isEmpty();
      }
    }
  }

  private static CompletableFuture<List<WriteOutcome>> submit(GroupCommitWriter writer, int n) {
    return writer.submit(
        List.of(write("collection", indicator(id("indicator", n), "2021-01-01T00:00:00Z"))),
        outcomes -> null);
  }
}
