package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.entente.taxii.testing.TestNode.OPEN;
import static org.entente.taxii.testing.TestNode.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.entente.store.TestBackend;
import org.entente.taxii.client.Envelope;
import org.entente.taxii.client.Manifest;
import org.entente.taxii.client.ManifestRecord;
import org.entente.taxii.client.Query;
import org.entente.taxii.client.Status;
import org.entente.taxii.client.TaxiiClient;
import org.entente.taxii.testing.Samples;
import org.entente.taxii.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** §3.5 under concurrent writes: cursors on the store sequence neither skip nor repeat. */
class PaginationUnderLoadTest {
  static final int PRELOADED = 3_000;

  @TempDir Path dir;

  /**
   * The store the node runs on; {@link PaginationUnderLoadPostgresTest} runs these tests on
   * PostgreSQL.
   */
  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  @AfterEach
  void discardStore() {
    backend().discard(dir);
  }

  @Test
  void walksEveryObjectExactlyOnceInDateAddedOrderWhileAnotherClientKeepsPosting()
      throws Exception {
    try (TestNode node =
        TestNode.start(backend(), dir, TestNode.Options.defaults().pages(250, 1000))) {
      List<JsonNode> initial = new ArrayList<>();
      for (int i = 0; i < PRELOADED; i++) {
        initial.add(Samples.indicator(i));
      }
      node.load(OPEN, initial);

      Set<String> posted = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> posterFailure = new AtomicReference<>();
      TaxiiClient poster = node.client("alice");
      Thread posting =
          new Thread(
              () -> {
                try {
                  for (int batch = 0; !stop.get() && batch < 400; batch++) {
                    List<JsonNode> objects = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                      objects.add(Samples.indicator(100_000 + batch * 20 + i));
                    }
                    Status s = poster.addObjects(ROOT, OPEN, objects);
                    assertThat(s.complete()).isTrue();
                    s.successes().forEach(d -> posted.add(d.id()));
                  }
                } catch (Throwable t) {
                  posterFailure.set(t);
                }
              },
              "poster");
      posting.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> posted.size() >= 40);

      TaxiiClient reader = node.client("bob");
      List<String> walked = new ArrayList<>();
      String[] lastDate = {null};
      Query q = Query.none().withLimit(250);
      int pagesDuringPosting = 0;
      while (true) {
        Envelope e = reader.getObjects(ROOT, OPEN, q);
        checkPage(e.dateAddedFirst(), e.dateAddedLast(), e.objects().size(), lastDate);
        e.objects().forEach(o -> walked.add(o.path("id").asText()));
        pagesDuringPosting++;
        if (!e.more()) {
          break;
        }
        q = q.withNext(e.next());
        Thread.sleep(5); // let the poster commit between pages
      }
      stop.set(true);
      posting.join();
      assertThat(posterFailure.get()).isNull();
      // What was committed after the walk's last page: resume from its last date_added.
      Query rest = Query.none().withLimit(250).withAddedAfter(lastDate[0]);
      reader.forEachPage(
          ROOT,
          OPEN,
          rest,
          e -> {
            checkPage(e.dateAddedFirst(), e.dateAddedLast(), e.objects().size(), lastDate);
            e.objects().forEach(o -> walked.add(o.path("id").asText()));
          });

      assertThat(pagesDuringPosting).isGreaterThan(PRELOADED / 250);
      assertThat(new HashSet<>(walked)).as("no object twice").hasSize(walked.size());
      Set<String> expected = new HashSet<>(posted);
      for (int i = 0; i < PRELOADED; i++) {
        expected.add(Samples.indicatorId(i));
      }
      assertThat(new HashSet<>(walked)).isEqualTo(expected);
      // the preloaded objects come first, in the order they were added
      assertThat(walked.subList(0, 5))
          .containsExactly(
              Samples.indicatorId(0),
              Samples.indicatorId(1),
              Samples.indicatorId(2),
              Samples.indicatorId(3),
              Samples.indicatorId(4));

      // the manifest agrees, record by record, and its headers match its records
      List<String> manifestIds = new ArrayList<>();
      String previous = null;
      Query mq = Query.none().withLimit(333);
      while (true) {
        Manifest m = reader.manifest(ROOT, OPEN, mq);
        assertThat(m.dateAddedFirst()).isEqualTo(m.records().get(0).dateAdded());
        assertThat(m.dateAddedLast())
            .isEqualTo(m.records().get(m.records().size() - 1).dateAdded());
        for (ManifestRecord r : m.records()) {
          if (previous != null) {
            assertThat(r.dateAdded()).isGreaterThan(previous);
          }
          previous = r.dateAdded();
          manifestIds.add(r.id());
        }
        if (!m.more()) {
          break;
        }
        mq = mq.withNext(m.next());
      }
      assertThat(manifestIds).isEqualTo(walked);
    }
  }

  /** Headers present on every non-empty page; strictly after the previous page's last. */
  private static void checkPage(String first, String last, int size, String[] lastDate) {
    if (size == 0) {
      assertThat(first).isNull();
      return;
    }
    assertThat(first).isNotNull();
    assertThat(last).isGreaterThanOrEqualTo(first);
    if (lastDate[0] != null) {
      // fixed-width microsecond UTC timestamps order as text
      assertThat(first).isGreaterThan(lastDate[0]);
    }
    lastDate[0] = last;
  }
}
