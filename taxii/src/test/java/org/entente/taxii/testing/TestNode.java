package org.entente.taxii.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.entente.stix.StixObject;
import org.entente.stix.validate.StixValidator;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.GroupCommitWriter;
import org.entente.store.ObjectWrite;
import org.entente.store.TestBackend;
import org.entente.store.Visibility;
import org.entente.taxii.client.Credentials;
import org.entente.taxii.client.TaxiiClient;
import org.entente.taxii.server.CollectionRights;
import org.entente.taxii.server.TaxiiServer;
import org.entente.taxii.server.TaxiiServerConfig;

/**
 * A running TAXII server on 127.0.0.1 over a real store (SQLite, or PostgreSQL: see {@link
 * TestBackend}; a restart on the same directory reopens the same store), the real validator and the
 * real group-commit writer, with fixed API roots, collections, users and rights:
 *
 * <ul>
 *   <li>{@code api1}: {@link #OPEN} (alias {@code open-intel}; alice rw, bob r, carol none), {@link
 *       #READ_ONLY} (alice r), {@link #WRITE_ONLY} (alice w), {@link #HIDDEN} (alice none, bob rw)
 *   <li>{@code small} (max_content_length {@link #SMALL_MAX}): {@link #SMALL_COLL} (alice rw)
 * </ul>
 */
public final class TestNode implements AutoCloseable {
  public static final String ROOT = "api1";
  public static final String SMALL = "small";
  public static final long ROOT_MAX = 10L * 1024 * 1024;
  public static final long SMALL_MAX = 4096;
  public static final String OPEN = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
  public static final String OPEN_ALIAS = "open-intel";
  public static final String READ_ONLY = "52892447-4d7e-4f70-b94d-d7f22742ff63";
  public static final String WRITE_ONLY = "64993447-4d7e-4f70-b94d-d7f22742ff64";
  public static final String HIDDEN = "7b7a5dd1-1c45-4c4a-9b5f-0d8a1e2f3a4b";
  public static final String SMALL_COLL = "2e4d5c6b-7a89-4b0c-8d1e-2f3a4b5c6d7e";
  public static final String MISSING = "00000000-0000-4000-8000-00000000dead";

  /** Knobs the tests turn; everything else is fixed. */
  public record Options(
      int queueCapacity,
      Duration statusWait,
      int pageDefault,
      int pageMax,
      TaxiiServerConfig.Tls tls,
      String cursorSecret) {
    public static Options defaults() {
      return new Options(100_000, Duration.ofSeconds(5), 1000, 10_000, null, null);
    }

    public Options queueCapacity(int v) {
      return new Options(v, statusWait, pageDefault, pageMax, tls, cursorSecret);
    }

    public Options statusWait(Duration v) {
      return new Options(queueCapacity, v, pageDefault, pageMax, tls, cursorSecret);
    }

    public Options pages(int def, int max) {
      return new Options(queueCapacity, statusWait, def, max, tls, cursorSecret);
    }

    public Options tls(TaxiiServerConfig.Tls v) {
      return new Options(queueCapacity, statusWait, pageDefault, pageMax, v, cursorSecret);
    }

    public Options cursorSecret(String v) {
      return new Options(queueCapacity, statusWait, pageDefault, pageMax, tls, v);
    }
  }

  public final GatedStore store;
  public final GroupCommitWriter writer;
  public final TaxiiServer server;
  private final SSLContext ssl;

  private TestNode(TestBackend backend, Path dir, Options o, SSLContext ssl) {
    this.ssl = ssl;
    this.store = new GatedStore(backend.open(dir));
    Instant now = Instant.now();
    boolean restart = store.apiRoot(ROOT).isPresent();
    store.write(
        tx -> {
          if (restart) {
            return null;
          }
          tx.createApiRoot(new ApiRoot(ROOT, "Test API root", "objects for the tests", ROOT_MAX));
          tx.createApiRoot(new ApiRoot(SMALL, "Small API root", null, SMALL_MAX));
          tx.createCollection(
              new Collection(
                  OPEN, ROOT, "Open intel", "shared indicators", OPEN_ALIAS, "green", now));
          tx.createCollection(
              new Collection(READ_ONLY, ROOT, "Read only", null, null, "green", now));
          tx.createCollection(
              new Collection(WRITE_ONLY, ROOT, "Write only", null, null, "green", now));
          tx.createCollection(new Collection(HIDDEN, ROOT, "Bob's", null, "bobs", "amber", now));
          tx.createCollection(new Collection(SMALL_COLL, SMALL, "Small", null, null, "green", now));
          return null;
        });
    // The sharing policy's visibility is tested in the node; here every right sees everything.
    CollectionRights rw = new CollectionRights(true, true, Visibility.EVERYTHING);
    CollectionRights r = new CollectionRights(true, false, Visibility.EVERYTHING);
    CollectionRights w = new CollectionRights(false, true, Visibility.EVERYTHING);
    TestPolicy policy =
        new TestPolicy(
            Map.of(
                OPEN, Map.of("alice", rw, "bob", r),
                READ_ONLY, Map.of("alice", r),
                WRITE_ONLY, Map.of("alice", w),
                HIDDEN, Map.of("bob", rw),
                SMALL_COLL, Map.of("alice", rw)));
    this.writer = new GroupCommitWriter(store, o.queueCapacity(), 5_000);
    TaxiiServerConfig config =
        TaxiiServerConfig.builder()
            .bindAddress("127.0.0.1")
            .port(0)
            .tls(o.tls())
            .title("Entente test node")
            .description("TAXII tests")
            .contact("csirt@example.org")
            .defaultApiRoot(ROOT)
            .pageSizeDefault(o.pageDefault())
            .pageSizeMax(o.pageMax())
            .statusWait(o.statusWait())
            .backlogRetryAfter(Duration.ofSeconds(3))
            .cursorSecret(o.cursorSecret())
            .shutdownGrace(Duration.ofSeconds(2))
            .build();
    this.server =
        new TaxiiServer(
            config, store, writer, new StixValidator(), new TestAuthenticator(), policy);
    server.start();
  }

  /** On SQLite. */
  public static TestNode start(Path dir) {
    return start(TestBackend.SQLITE, dir);
  }

  /** On SQLite. */
  public static TestNode start(Path dir, Options options) {
    return start(TestBackend.SQLITE, dir, options);
  }

  /** On SQLite. */
  public static TestNode start(Path dir, Options options, SSLContext clientSsl) {
    return new TestNode(TestBackend.SQLITE, dir, options, clientSsl);
  }

  /**
   * On {@code backend}, in the store of {@code dir}; the test discards it ({@link
   * TestBackend#discard}) when done.
   */
  public static TestNode start(TestBackend backend, Path dir) {
    return start(backend, dir, Options.defaults());
  }

  public static TestNode start(TestBackend backend, Path dir, Options options) {
    return new TestNode(backend, dir, options, null);
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public TaxiiClient client(String user) {
    return new TaxiiClient(URI.create(baseUrl()), Credentials.basic(user, user + "-pw"), ssl);
  }

  public RawHttp http() {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return new RawHttp(baseUrl(), b.build());
  }

  /** Commits objects straight through the writer (bulk set-up, not the code under test). */
  public void load(String collection, List<? extends JsonNode> objects) {
    List<ObjectWrite> writes =
        objects.stream()
            .map(o -> ObjectWrite.of(collection, StixObject.of(o), "org-a", "alice"))
            .toList();
    for (int i = 0; i < writes.size(); i += 5_000) {
      writer.submit(writes.subList(i, Math.min(writes.size(), i + 5_000)), x -> null).join();
    }
  }

  public static String objectsPath(String collection) {
    return "/" + ROOT + "/collections/" + collection + "/objects/";
  }

  public static String objectPath(String collection, String objectId) {
    return objectsPath(collection) + objectId + "/";
  }

  public static String manifestPath(String collection) {
    return "/" + ROOT + "/collections/" + collection + "/manifest/";
  }

  @Override
  public void close() {
    server.stop();
    store.open();
    writer.close();
    store.close();
  }

  /** Runs code with a node that is closed afterwards. */
  public static void with(Path dir, Consumer<TestNode> test) {
    try (TestNode n = start(dir)) {
      test.accept(n);
    }
  }
}
