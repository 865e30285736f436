package org.entente.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.entente.stix.StixJson;
import org.entente.stix.StixObject;
import org.entente.stix.StixTimestamp;
import org.entente.stix.marking.Tlp;
import org.entente.store.AlreadyExistsException;
import org.entente.store.ApiRoot;
import org.entente.store.ApiToken;
import org.entente.store.AuditEvent;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.Community;
import org.entente.store.NotFoundException;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import org.entente.store.PushPending;
import org.entente.store.SpecVersions;
import org.entente.store.StatusRecord;
import org.entente.store.StoreException;
import org.entente.store.User;
import org.entente.store.VersionSelector;
import org.entente.store.Visibility;
import org.entente.store.WriteOutcome;
import org.entente.store.WriteTransaction;
import org.entente.store.jdbc.CoordinationRows;
import org.entente.store.jdbc.EntryPageSql;
import org.entente.store.jdbc.EntryRefSql;
import org.entente.store.jdbc.EntrySequencer;
import org.entente.store.jdbc.ObjectEntries;
import org.entente.store.jdbc.ObjectEntries.Flags;
import org.entente.store.jdbc.ObjectEntries.Row;
import org.entente.store.jdbc.Sql;
import org.entente.store.jdbc.StatusRows;

/**
 * One write transaction on the SQLite store. Any failed operation makes the whole transaction roll
 * back, even if the caller catches the exception: PostgreSQL aborts a transaction after a failed
 * statement, and the contract must mean the same thing on both.
 */
final class SqliteWriteTransaction implements WriteTransaction {
  private final WriterConnection db;
  private final EntrySequencer sequencer;
  private final Map<String, CollectionRow> collectionRows = new HashMap<>();
  private final Map<Long, Integer> addedRanks = new HashMap<>();
  private boolean finished;
  private RuntimeException failure;
  private boolean changedDirectory;

  SqliteWriteTransaction(WriterConnection db, EntrySequencer sequencer) {
    this.db = db;
    this.sequencer = sequencer;
  }

  /** The exception that doomed this transaction, or null. */
  RuntimeException failure() {
    return failure;
  }

  void finish() {
    finished = true;
  }

  /**
   * Whether this transaction wrote API roots, collections, grants, organisations, users or tokens
   * (the rows the store caches).
   */
  boolean changedDirectory() {
    return changedDirectory;
  }

  /** A unit of work that talks to the database. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private <T> T run(String doing, SqlWork<T> work) {
    if (finished) {
      throw new IllegalStateException("the write transaction has ended");
    }
    if (failure != null) {
      throw new IllegalStateException(
          "an earlier operation of this transaction failed; it will be rolled back", failure);
    }
    try {
      return work.run();
    } catch (SQLException e) {
      failure = SqliteErrors.translate(e, doing);
      throw failure;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  // ---- objects ----------------------------------------------------------------------------

  @Override
  public WriteOutcome put(ObjectWrite write) {
    Objects.requireNonNull(write, "write");
    return run("adding " + write.object().id(), () -> doPutAll(List.of(write)).get(0));
  }

  @Override
  public List<WriteOutcome> putAll(List<ObjectWrite> writes) {
    Objects.requireNonNull(writes, "writes");
    List<ObjectWrite> list = List.copyOf(writes);
    return run("adding " + list.size() + " objects", () -> doPutAll(list));
  }

  /**
   * Puts in order. Ids that occur once in the list and nowhere in the store (the common case of
   * ingest) need no lookups: their rows are buffered and go in with multi-row INSERTs, because each
   * statement execution through the driver costs about as much as several rows of work. The others
   * take {@link #doPut}; their ids differ from every buffered one, so the order of the INSERTs
   * cannot change what they see, and seq and date_added are still handed out in list order.
   */
  private List<WriteOutcome> doPutAll(List<ObjectWrite> writes) throws SQLException {
    List<WriteOutcome> outcomes = new ArrayList<>(writes.size());
    Set<String> fresh = freshIds(writes);
    NewRows rows = new NewRows();
    for (ObjectWrite w : writes) {
      String id = w.object().id();
      if (fresh.contains(id)) {
        outcomes.add(addFresh(w, rows));
      } else {
        try {
          outcomes.add(doPut(w));
        } catch (SQLException e) {
          throw SqliteErrors.translate(e, "adding " + id);
        }
      }
    }
    rows.flush();
    recordProvenance(writes, outcomes);
    return outcomes;
  }

  /** Entries created this transaction by versions received from a peer: (seq, peer). */
  private final List<Object[]> sources = new ArrayList<>();

  private String receivedAt;

  private void noteSource(ObjectWrite write, long seq) {
    if (write.receivedFrom() != null) {
      receivedAt = receivedAt != null ? receivedAt : Sql.instant(Instant.now());
      sources.add(new Object[] {seq, write.receivedFrom(), receivedAt});
    }
  }

  /** Notes which peer each received version's new entry came from, for loop prevention. */
  private void recordProvenance(List<ObjectWrite> writes, List<WriteOutcome> outcomes)
      throws SQLException {
    if (!sources.isEmpty()) {
      // Keyed by seq, so the rows append; and in multi-row statements.
      insertRows(INSERT_SOURCE, sources);
      sources.clear();
    }
  }

  private static final String INSERT_SOURCE =
      "INSERT INTO entry_source (seq, peer, received_at) VALUES ";

  /** Ids probed per statement; shorter lists are padded (a repeated id changes nothing). */
  private static final int[] PROBE_SIZES = {1, 8, 64, 256};

  /** The ids that occur once in {@code writes} and have no version in the store. */
  private Set<String> freshIds(List<ObjectWrite> writes) throws SQLException {
    Map<String, Boolean> once = new HashMap<>(writes.size() * 2);
    for (ObjectWrite w : writes) {
      once.merge(w.object().id(), Boolean.TRUE, (a, b) -> Boolean.FALSE);
    }
    List<String> candidates = new ArrayList<>(once.size());
    once.forEach(
        (id, single) -> {
          if (single) {
            candidates.add(id);
          }
        });
    Set<String> fresh = new HashSet<>(candidates);
    int max = PROBE_SIZES[PROBE_SIZES.length - 1];
    for (int from = 0; from < candidates.size(); from += max) {
      List<String> chunk = candidates.subList(from, Math.min(candidates.size(), from + max));
      int size = PROBE_SIZES[0];
      for (int s : PROBE_SIZES) {
        size = s;
        if (s >= chunk.size()) {
          break;
        }
      }
      PreparedStatement ps =
          db.prepareRepeated("SELECT id FROM object_version WHERE id IN (", 0, size, ")");
      for (int i = 0; i < size; i++) {
        ps.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fresh.remove(rs.getString(1));
        }
      }
    }
    return fresh;
  }

  /**
   * {@link #doPut} for an id the store has never seen: a new version and the only entry of the
   * object in its collection (so all three flags are set), with seq and date_added drawn exactly as
   * doPut draws them.
   */
  private WriteOutcome addFresh(ObjectWrite write, NewRows rows) throws SQLException {
    StixObject object = write.object();
    long collectionPk = collectionPk(write.collectionId());
    long dateAdded = sequencer.nextDateAdded();
    String versionKey = write.versionKey();
    String version = write.version();
    if (versionKey == null) {
      Instant assigned = Sql.fromMicros(dateAdded);
      versionKey = StixTimestamp.sortKey(assigned);
      version = StixTimestamp.taxii(assigned);
    }
    long seq = sequencer.nextSeq();
    noteSource(write, seq);
    rows.add(
        versionRow(write, versionKey, version, write.versionKey() == null),
        entryRow(write, seq, collectionPk, versionKey, dateAdded, ONLY_ENTRY));
    return new WriteOutcome(
        object.id(), version, WriteOutcome.Kind.ADDED, null, Sql.fromMicros(dateAdded));
  }

  private static final Flags ONLY_ENTRY = new Flags(true, true, true);

  /** Most rows one multi-row INSERT takes; shorter runs use the powers of two below it. */
  private static final int MAX_ROWS = 64;

  /** Rows of fresh objects waiting for their multi-row INSERTs. */
  private final class NewRows {
    private final List<Object[]> versions = new ArrayList<>(MAX_ROWS);
    private final List<Object[]> entries = new ArrayList<>(MAX_ROWS);

    void add(Object[] version, Object[] entry) throws SQLException {
      versions.add(version);
      entries.add(entry);
      if (versions.size() == MAX_ROWS) {
        flush();
      }
    }

    void flush() throws SQLException {
      insertRows(INSERT_VERSION, versions);
      insertRows(INSERT_ENTRY, entries);
      versions.clear();
      entries.clear();
    }
  }

  // OR IGNORE: a multi-row INSERT that could abort half-way needs a statement journal (a copy of
  // every page before its first change); one that cannot does not. insertRows checks the row
  // count instead, so a row that is not inserted still fails the transaction.
  private static final String INSERT_VERSION =
      "INSERT OR IGNORE INTO object_version (id, version_key, version, type, spec_version, created,"
          + " modified, revoked, server_versioned, producer_org, producer_user, json) VALUES ";

  private static final String INSERT_ENTRY =
      "INSERT OR IGNORE INTO collection_entry (seq, collection_pk, id, version_key, type,"
          + " spec_version, date_added, producer_org, producer_user, newest_spec, first_of_newest,"
          + " last_of_newest, tlp_rank) VALUES ";

  /** INSERTs the rows (all of one width) with as few statements as the cached shapes allow. */
  private void insertRows(String insert, List<Object[]> rows) throws SQLException {
    insertRows(insert, rows, true);
  }

  /**
   * @param exact whether every row must go in (else rows the table already has are skipped by the
   *     statement's OR IGNORE)
   */
  private void insertRows(String insert, List<Object[]> rows, boolean exact) throws SQLException {
    int done = 0;
    while (done < rows.size()) {
      int n = Integer.highestOneBit(Math.min(rows.size() - done, MAX_ROWS));
      int width = rows.get(done).length;
      PreparedStatement ps = db.prepareRepeated(insert, width, n, "");
      int p = 1;
      for (int i = done; i < done + n; i++) {
        for (Object v : rows.get(i)) {
          Sql.bindOne(ps, p++, v);
        }
      }
      int inserted = ps.executeUpdate();
      if (exact && inserted != n) {
        throw new StoreException(
            "inserted " + inserted + " of " + n + " rows: the store's tables disagree");
      }
      done += n;
    }
  }

  private WriteOutcome doPut(ObjectWrite write) throws SQLException {
    StixObject object = write.object();
    String id = object.id();
    long collectionPk = collectionPk(write.collectionId());
    String versionKey;
    String version;
    boolean newVersion;
    // Set in advance only for a new server-versioned version, whose version is its date_added.
    Long dateAdded = null;

    if (write.receivedFrom() != null) {
      StoredVersion held =
          write.versionKey() != null
              ? storedVersion(id, write.versionKey())
              : identicalVersion(id, write.json());
      if (held != null && sameBody(held.json(), write.json())) {
        return new WriteOutcome(
            id,
            held.version(),
            WriteOutcome.Kind.DUPLICATE,
            ObjectEntries.ALREADY_HELD,
            Sql.fromMicros(heldDateAdded(id, held.versionKey())));
      }
    }

    if (write.versionKey() != null) {
      versionKey = write.versionKey();
      StoredVersion stored = storedVersion(id, versionKey);
      if (stored != null && !sameBody(stored.json(), write.json())) {
        return ObjectEntries.conflict(id, stored.version());
      }
      newVersion = stored == null;
      version = stored == null ? write.version() : stored.version();
    } else {
      // No modified or created (SCOs): the content is the version. The same body is the same
      // version; a new body becomes a version named by its own date_added.
      StoredVersion same = identicalVersion(id, write.json());
      if (same != null) {
        versionKey = same.versionKey();
        version = same.version();
        newVersion = false;
      } else {
        dateAdded = sequencer.nextDateAdded();
        Instant assigned = Sql.fromMicros(dateAdded);
        versionKey = StixTimestamp.sortKey(assigned);
        version = StixTimestamp.taxii(assigned);
        if (storedVersion(id, versionKey) != null) {
          return ObjectEntries.conflict(id, version);
        }
        newVersion = true;
      }
    }

    List<Row> rows = entries(collectionPk, id);
    if (!newVersion) {
      for (Row r : rows) {
        if (r.versionKey().equals(versionKey)) {
          // Another organisation posting the same version becomes one of its producers: it
          // holds the content anyway, may read it back, and is told nothing that a first post
          // would not tell it (the entry may be hidden from it).
          boolean coProducer = addCoProducer(r.seq(), write.producerOrg());
          return new WriteOutcome(
              id,
              version,
              WriteOutcome.Kind.DUPLICATE,
              coProducer ? null : ObjectEntries.ALREADY_PRESENT,
              Sql.fromMicros(r.dateAdded()));
        }
      }
    } else {
      insertVersion(write, versionKey, version, write.versionKey() == null);
    }
    if (dateAdded == null) {
      dateAdded = sequencer.nextDateAdded();
    }
    long seq = sequencer.nextSeq();
    noteSource(write, seq);
    Row added = new Row(seq, versionKey, object.specVersion(), dateAdded, null);
    List<Row> all = new ArrayList<>(rows);
    all.add(added);
    Map<Long, Flags> flags = ObjectEntries.flags(all);
    List<Object[]> entry = new ArrayList<>(1);
    entry.add(entryRow(write, seq, collectionPk, versionKey, dateAdded, flags.get(seq)));
    insertRows(INSERT_ENTRY, entry);
    updateFlags(rows, flags);
    return new WriteOutcome(id, version, WriteOutcome.Kind.ADDED, null, Sql.fromMicros(dateAdded));
  }

  /**
   * Records {@code org} as a producer of the entry when it is not one already.
   *
   * @return whether {@code org} was not a producer of the entry before
   */
  private boolean addCoProducer(long seq, String org) throws SQLException {
    if (org == null) {
      return false;
    }
    PreparedStatement ps = db.prepare("SELECT producer_org FROM collection_entry WHERE seq = ?");
    Sql.bind(ps, seq);
    String first;
    try (ResultSet rs = ps.executeQuery()) {
      first = rs.next() ? rs.getString(1) : null;
    }
    if (org.equals(first)) {
      return false;
    }
    PreparedStatement add =
        db.prepare(
            "INSERT INTO entry_producer (seq, organisation) VALUES (?, ?) ON CONFLICT DO NOTHING");
    Sql.bind(add, seq, org);
    return add.executeUpdate() > 0;
  }

  private record StoredVersion(String versionKey, String version, String json) {}

  /** When the held version was first added to any collection (0 if it is in none any more). */
  private long heldDateAdded(String id, String versionKey) throws SQLException {
    PreparedStatement ps =
        db.prepare(
            // Through the (collection_pk, id, version_key) index: one seek per collection.
            "SELECT MIN(date_added) FROM collection_entry WHERE collection_pk IN"
                + " (SELECT pk FROM collection) AND id = ? AND version_key = ?");
    Sql.bind(ps, id, versionKey);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private StoredVersion storedVersion(String id, String versionKey) throws SQLException {
    PreparedStatement ps =
        db.prepare("SELECT version, json FROM object_version WHERE id = ? AND version_key = ?");
    Sql.bind(ps, id, versionKey);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? new StoredVersion(versionKey, rs.getString(1), rs.getString(2)) : null;
    }
  }

  private StoredVersion identicalVersion(String id, String json) throws SQLException {
    PreparedStatement ps =
        db.prepare("SELECT version_key, version, json FROM object_version WHERE id = ?");
    Sql.bind(ps, id);
    List<StoredVersion> versions = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        versions.add(new StoredVersion(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
    }
    JsonNode tree = null;
    for (StoredVersion v : versions) {
      if (v.json().equals(json)) {
        return v;
      }
    }
    for (StoredVersion v : versions) {
      if (tree == null) {
        tree = StixJson.parse(json);
      }
      if (StixJson.parse(v.json()).equals(tree)) {
        return v;
      }
    }
    return null;
  }

  /** Bodies are the same when their JSON trees are equal: key order and spacing do not count. */
  private static boolean sameBody(String stored, String json) {
    return stored.equals(json) || StixJson.parse(stored).equals(StixJson.parse(json));
  }

  private void insertVersion(ObjectWrite write, String versionKey, String version, boolean assigned)
      throws SQLException {
    List<Object[]> row = new ArrayList<>(1);
    row.add(versionRow(write, versionKey, version, assigned));
    insertRows(INSERT_VERSION, row);
  }

  /** The values of an object_version row, in INSERT_VERSION's column order. */
  private static Object[] versionRow(
      ObjectWrite write, String versionKey, String version, boolean assigned) {
    StixObject object = write.object();
    return new Object[] {
      object.id(),
      versionKey,
      version,
      object.type(),
      object.specVersion(),
      write.createdKey(),
      write.modifiedKey(),
      write.revoked(),
      assigned,
      write.producerOrg(),
      write.producerUser(),
      write.json()
    };
  }

  /** The values of a collection_entry row, in INSERT_ENTRY's column order. */
  private Object[] entryRow(
      ObjectWrite write, long seq, long collectionPk, String versionKey, long dateAdded, Flags f)
      throws SQLException {
    StixObject object = write.object();
    return new Object[] {
      seq,
      collectionPk,
      object.id(),
      versionKey,
      object.type(),
      object.specVersion(),
      dateAdded,
      write.producerOrg(),
      write.producerUser(),
      f.newestSpec(),
      f.firstOfNewest(),
      f.lastOfNewest(),
      tlpRank(write)
    };
  }

  private Set<Long> visibleSeqs(long collectionPk, String id, Visibility visibility)
      throws SQLException {
    PreparedStatement ps =
        db.prepare(
            "SELECT e.seq FROM collection_entry e WHERE e.collection_pk = ? AND e.id = ? AND "
                + EntryPageSql.VISIBLE_E);
    Sql.bind(
        ps,
        collectionPk,
        id,
        visibility.organisation(),
        visibility.ceilingRank(),
        visibility.organisation());
    Set<Long> seqs = new HashSet<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        seqs.add(rs.getLong(1));
      }
    }
    return seqs;
  }

  private List<Row> entries(long collectionPk, String id) throws SQLException {
    PreparedStatement ps =
        db.prepare(
            "SELECT seq, version_key, spec_version, date_added, newest_spec, first_of_newest,"
                + " last_of_newest FROM collection_entry WHERE collection_pk = ? AND id = ?");
    Sql.bind(ps, collectionPk, id);
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new Row(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                new Flags(rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7))));
      }
    }
    return rows;
  }

  /** Writes the flags of the rows whose flags changed. */
  private void updateFlags(List<Row> rows, Map<Long, Flags> flags) throws SQLException {
    for (Row r : rows) {
      Flags f = flags.get(r.seq());
      if (f != null && !f.equals(r.flags())) {
        PreparedStatement ps =
            db.prepare(
                "UPDATE collection_entry SET newest_spec = ?, first_of_newest = ?,"
                    + " last_of_newest = ? WHERE seq = ?");
        Sql.bind(ps, f.newestSpec(), f.firstOfNewest(), f.lastOfNewest(), r.seq());
        ps.executeUpdate();
      }
    }
  }

  private long collectionPk(String collectionId) throws SQLException {
    return collectionRow(collectionId).pk();
  }

  /** A collection's key and the level of unmarked objects in it. */
  private record CollectionRow(long pk, Tlp defaultTlp) {}

  private CollectionRow collectionRow(String collectionId) throws SQLException {
    CollectionRow row = collectionRows.get(collectionId);
    if (row == null) {
      PreparedStatement ps = db.prepare("SELECT pk, default_tlp FROM collection WHERE id = ?");
      Sql.bind(ps, collectionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("collection '" + collectionId + "' does not exist");
        }
        String tlp = rs.getString(2);
        row = new CollectionRow(rs.getLong(1), tlp == null ? Tlp.AMBER : Tlp.parse(tlp));
      }
      collectionRows.put(collectionId, row);
    }
    return row;
  }

  /**
   * The entry's stored TLP rank: the object's own level, else its collection's default. Also
   * remembers the highest rank added per collection, for {@link #raiseTlpHighWaterMarks}.
   */
  private int tlpRank(ObjectWrite write) throws SQLException {
    CollectionRow row = collectionRow(write.collectionId());
    int rank =
        write.producersOnly()
            ? Visibility.PRODUCERS_ONLY_RANK
            : (write.tlp() != null ? write.tlp() : row.defaultTlp()).ordinal();
    addedRanks.merge(row.pk(), rank, Math::max);
    return rank;
  }

  /**
   * Raises collection.max_tlp_rank for the entries this transaction added; called once, just before
   * the commit, so readers never see an entry above the mark they read with it.
   */
  void raiseTlpHighWaterMarks() throws SQLException {
    for (Map.Entry<Long, Integer> e : addedRanks.entrySet()) {
      PreparedStatement ps =
          db.prepare("UPDATE collection SET max_tlp_rank = ? WHERE pk = ? AND max_tlp_rank < ?");
      Sql.bind(ps, e.getValue(), e.getKey(), e.getValue());
      ps.executeUpdate();
    }
    addedRanks.clear();
  }

  @Override
  public int delete(
      String collectionId,
      String objectId,
      VersionSelector versions,
      SpecVersions specVersions,
      Visibility visibility) {
    Objects.requireNonNull(versions, "versions");
    Objects.requireNonNull(specVersions, "specVersions");
    Objects.requireNonNull(visibility, "visibility");
    return run(
        "deleting " + objectId,
        () -> {
          long collectionPk = collectionPk(collectionId);
          List<Row> rows = entries(collectionPk, objectId);
          List<Row> candidates = rows;
          if (!visibility.seesEverything()) {
            Set<Long> visible = visibleSeqs(collectionPk, objectId, visibility);
            candidates = rows.stream().filter(r -> visible.contains(r.seq())).toList();
          }
          List<Row> selected = ObjectEntries.select(candidates, versions, specVersions);
          if (selected.isEmpty()) {
            return 0;
          }
          Set<String> removedKeys = new LinkedHashSet<>();
          for (Row r : selected) {
            // Kept by seq: the audit log names the entries a read served by their seq.
            PreparedStatement kept = db.prepare(EntryRefSql.KEEP_REMOVED);
            Sql.bind(kept, r.seq());
            kept.executeUpdate();
            PreparedStatement ps = db.prepare("DELETE FROM collection_entry WHERE seq = ?");
            Sql.bind(ps, r.seq());
            ps.executeUpdate();
            PreparedStatement producers = db.prepare("DELETE FROM entry_producer WHERE seq = ?");
            Sql.bind(producers, r.seq());
            producers.executeUpdate();
            removedKeys.add(r.versionKey());
          }
          List<Row> remaining = new ArrayList<>(rows);
          remaining.removeAll(selected);
          updateFlags(remaining, ObjectEntries.flags(remaining));
          for (String key : removedKeys) {
            // Seeks (collection, id, version) once per collection: there are few collections,
            // and an (id, version_key) index just for this rare delete would cost every insert.
            PreparedStatement ps =
                db.prepare(
                    "DELETE FROM object_version WHERE id = ? AND version_key = ? AND NOT EXISTS"
                        + " (SELECT 1 FROM collection_entry e WHERE e.collection_pk IN"
                        + " (SELECT pk FROM collection) AND e.id = ? AND e.version_key = ?)");
            Sql.bind(ps, objectId, key, objectId, key);
            ps.executeUpdate();
          }
          return selected.size();
        });
  }

  // ---- statuses ---------------------------------------------------------------------------

  @Override
  public void saveStatus(StatusRecord status) {
    Objects.requireNonNull(status, "status");
    run(
        "saving status " + status.id(),
        () -> {
          StatusRows.save(db::prepare, status);
          return null;
        });
  }

  @Override
  public boolean saveStatusIfAbsent(StatusRecord status, String holder) {
    Objects.requireNonNull(status, "status");
    return run(
        "saving status " + status.id(), () -> StatusRows.saveIfAbsent(db::prepare, status, holder));
  }

  @Override
  public boolean replacePendingStatus(StatusRecord status) {
    Objects.requireNonNull(status, "status");
    return run(
        "settling status " + status.id(), () -> StatusRows.replacePending(db::prepare, status));
  }

  @Override
  public int expireStatuses(Instant olderThan) {
    Objects.requireNonNull(olderThan, "olderThan");
    return run("expiring statuses", () -> StatusRows.expire(db::prepare, olderThan));
  }

  // ---- API roots and collections ----------------------------------------------------------

  @Override
  public ApiRoot createApiRoot(ApiRoot root) {
    Objects.requireNonNull(root, "root");
    return run(
        "creating API root " + root.path(),
        () -> {
          changedDirectory = true;
          PreparedStatement ps =
              db.prepare(
                  "INSERT INTO api_root (path, title, description, max_content_length)"
                      + " VALUES (?, ?, ?, ?)");
          Sql.bind(ps, root.path(), root.title(), root.description(), root.maxContentLength());
          insert(ps, e -> "API root '" + root.path() + "' already exists");
          return root;
        });
  }

  @Override
  public Collection createCollection(Collection collection) {
    Objects.requireNonNull(collection, "collection");
    return run(
        "creating collection " + collection.id(),
        () -> {
          changedDirectory = true;
          requireExists(
              "SELECT 1 FROM api_root WHERE path = ?",
              collection.apiRoot(),
              "API root '" + collection.apiRoot() + "'");
          Collection c =
              collection.created() != null
                  ? collection
                  : new Collection(
                      collection.id(),
                      collection.apiRoot(),
                      collection.title(),
                      collection.description(),
                      collection.alias(),
                      collection.defaultTlp(),
                      sequencer.now());
          PreparedStatement ps =
              db.prepare(
                  "INSERT INTO collection (id, api_root, title, description, alias, default_tlp,"
                      + " created) VALUES (?, ?, ?, ?, ?, ?, ?)");
          Sql.bind(
              ps,
              c.id(),
              c.apiRoot(),
              c.title(),
              c.description(),
              c.alias(),
              c.defaultTlp(),
              Sql.instant(c.created()));
          insert(
              ps,
              e ->
                  e.getMessage().contains("alias")
                      ? "alias '"
                          + c.alias()
                          + "' is already used in API root '"
                          + c.apiRoot()
                          + "'"
                      : "collection '" + c.id() + "' already exists");
          return c;
        });
  }

  @Override
  public void grant(CollectionGrant grant) {
    Objects.requireNonNull(grant, "grant");
    run(
        "granting on collection " + grant.collectionId(),
        () -> {
          changedDirectory = true;
          requireExists(
              "SELECT 1 FROM collection WHERE id = ?",
              grant.collectionId(),
              "collection '" + grant.collectionId() + "'");
          PreparedStatement ps;
          if (!grant.canRead() && !grant.canWrite()) {
            ps =
                db.prepare(
                    "DELETE FROM collection_grant"
                        + " WHERE collection_id = ? AND grantee_kind = ? AND grantee = ?");
            Sql.bind(ps, grant.collectionId(), grant.kind().name(), grant.grantee());
          } else {
            ps =
                db.prepare(
                    "INSERT INTO collection_grant (collection_id, grantee_kind, grantee, can_read,"
                        + " can_write) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (collection_id, grantee_kind, grantee) DO UPDATE"
                        + " SET can_read = excluded.can_read, can_write = excluded.can_write");
            Sql.bind(
                ps,
                grant.collectionId(),
                grant.kind().name(),
                grant.grantee(),
                grant.canRead(),
                grant.canWrite());
          }
          ps.executeUpdate();
          return null;
        });
  }

  @Override
  public Optional<CollectionGrant> grantOf(
      String collectionId, CollectionGrant.GranteeKind kind, String grantee) {
    return run(
        "reading a grant on " + collectionId,
        () -> {
          PreparedStatement ps =
              db.prepare(
                  "SELECT can_read, can_write FROM collection_grant"
                      + " WHERE collection_id = ? AND grantee_kind = ? AND grantee = ?");
          Sql.bind(ps, collectionId, kind.name(), grantee);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next()
                ? Optional.of(
                    new CollectionGrant(
                        collectionId, kind, grantee, rs.getBoolean(1), rs.getBoolean(2)))
                : Optional.<CollectionGrant>empty();
          }
        });
  }

  // ---- principals -------------------------------------------------------------------------

  @Override
  public Organisation createOrganisation(Organisation organisation) {
    Objects.requireNonNull(organisation, "organisation");
    return run(
        "creating organisation " + organisation.name(),
        () -> {
          changedDirectory = true;
          PreparedStatement ps =
              db.prepare(
                  "INSERT INTO organisation (name, identity_id, country, home, sectors,"
                      + " identity_json) VALUES (?, ?, ?, ?, ?, ?)");
          Sql.bind(
              ps,
              organisation.name(),
              organisation.identityId(),
              organisation.country(),
              organisation.home(),
              Sql.jsonArray(organisation.sectors()),
              organisation.identityJson());
          insert(
              ps,
              e ->
                  e.getMessage().contains("organisation.home")
                      ? "a home organisation already exists"
                      : "organisation '" + organisation.name() + "' already exists");
          return organisation;
        });
  }

  @Override
  public User createUser(User user) {
    Objects.requireNonNull(user, "user");
    return run(
        "creating user " + user.name(),
        () -> {
          changedDirectory = true;
          requireOrganisation(user.organisation());
          User u =
              user.created() != null
                  ? user
                  : new User(
                      user.name(),
                      user.organisation(),
                      user.role(),
                      user.passwordHash(),
                      user.disabled(),
                      sequencer.now());
          PreparedStatement ps =
              db.prepare(
                  "INSERT INTO app_user (name, organisation, role, password_hash, disabled,"
                      + " created) VALUES (?, ?, ?, ?, ?, ?)");
          Sql.bind(
              ps,
              u.name(),
              u.organisation(),
              u.role().name(),
              u.passwordHash(),
              u.disabled(),
              Sql.instant(u.created()));
          insert(ps, e -> "user '" + u.name() + "' already exists");
          return u;
        });
  }

  @Override
  public void updateUser(User user) {
    Objects.requireNonNull(user, "user");
    run(
        "updating user " + user.name(),
        () -> {
          changedDirectory = true;
          requireOrganisation(user.organisation());
          PreparedStatement ps =
              db.prepare(
                  "UPDATE app_user SET organisation = ?, role = ?, password_hash = ?,"
                      + " disabled = ? WHERE name = ?");
          Sql.bind(
              ps,
              user.organisation(),
              user.role().name(),
              user.passwordHash(),
              user.disabled(),
              user.name());
          if (ps.executeUpdate() == 0) {
            throw new NotFoundException("user '" + user.name() + "' does not exist");
          }
          return null;
        });
  }

  @Override
  public ApiToken createToken(ApiToken token) {
    Objects.requireNonNull(token, "token");
    return run(
        "creating token " + token.id(),
        () -> {
          changedDirectory = true;
          requireExists(
              "SELECT 1 FROM app_user WHERE name = ?",
              token.userName(),
              "user '" + token.userName() + "'");
          ApiToken t =
              token.created() != null
                  ? token
                  : new ApiToken(
                      token.id(),
                      token.userName(),
                      token.secretHash(),
                      token.canWrite(),
                      sequencer.now(),
                      token.expires(),
                      token.revoked());
          PreparedStatement ps =
              db.prepare(
                  "INSERT INTO api_token (id, user_name, secret_hash, can_write, created, expires,"
                      + " revoked) VALUES (?, ?, ?, ?, ?, ?, ?)");
          Sql.bind(
              ps,
              t.id(),
              t.userName(),
              t.secretHash(),
              t.canWrite(),
              Sql.instant(t.created()),
              Sql.instant(t.expires()),
              t.revoked());
          insert(
              ps,
              e ->
                  e.getMessage().contains("secret_hash")
                      ? "a token with this secret already exists"
                      : "token '" + t.id() + "' already exists");
          return t;
        });
  }

  @Override
  public boolean revokeToken(String tokenId) {
    return run(
        "revoking token " + tokenId,
        () -> {
          changedDirectory = true;
          PreparedStatement ps = db.prepare("UPDATE api_token SET revoked = 1 WHERE id = ?");
          Sql.bind(ps, tokenId);
          return ps.executeUpdate() > 0;
        });
  }

  @Override
  public void updateOrganisation(Organisation organisation) {
    Objects.requireNonNull(organisation, "organisation");
    run(
        "updating organisation " + organisation.name(),
        () -> {
          changedDirectory = true;
          PreparedStatement ps =
              db.prepare(
                  "UPDATE organisation SET identity_id = ?, country = ?, sectors = ?,"
                      + " identity_json = ? WHERE name = ?");
          Sql.bind(
              ps,
              organisation.identityId(),
              organisation.country(),
              Sql.jsonArray(organisation.sectors()),
              organisation.identityJson(),
              organisation.name());
          if (ps.executeUpdate() == 0) {
            throw new NotFoundException(
                "organisation '" + organisation.name() + "' does not exist");
          }
          return null;
        });
  }

  @Override
  public Community createCommunity(Community community) {
    Objects.requireNonNull(community, "community");
    return run(
        "creating community " + community.name(),
        () -> {
          changedDirectory = true;
          Community c =
              community.created() != null
                  ? community
                  : new Community(
                      community.name(),
                      community.description(),
                      community.members(),
                      sequencer.now());
          PreparedStatement ps =
              db.prepare("INSERT INTO community (name, description, created) VALUES (?, ?, ?)");
          Sql.bind(ps, c.name(), c.description(), Sql.instant(c.created()));
          insert(ps, e -> "community '" + c.name() + "' already exists");
          for (String member : c.members()) {
            addMember(c.name(), member);
          }
          return c;
        });
  }

  @Override
  public void addCommunityMember(String community, String organisation) {
    run(
        "adding " + organisation + " to community " + community,
        () -> {
          changedDirectory = true;
          requireExists(
              "SELECT 1 FROM community WHERE name = ?", community, "community '" + community + "'");
          addMember(community, organisation);
          return null;
        });
  }

  private void addMember(String community, String organisation) throws SQLException {
    requireOrganisation(organisation);
    PreparedStatement ps =
        db.prepare(
            "INSERT INTO community_member (community, organisation) VALUES (?, ?)"
                + " ON CONFLICT DO NOTHING");
    Sql.bind(ps, community, organisation);
    ps.executeUpdate();
  }

  @Override
  public boolean removeCommunityMember(String community, String organisation) {
    return run(
        "removing " + organisation + " from community " + community,
        () -> {
          changedDirectory = true;
          PreparedStatement ps =
              db.prepare("DELETE FROM community_member WHERE community = ? AND organisation = ?");
          Sql.bind(ps, community, organisation);
          return ps.executeUpdate() > 0;
        });
  }

  @Override
  public boolean setObservationInput(String collectionId, boolean input) {
    return run(
        "changing observation input " + collectionId,
        () -> {
          changedDirectory = true;
          requireExists(
              "SELECT 1 FROM collection WHERE id = ?",
              collectionId,
              "collection '" + collectionId + "'");
          PreparedStatement ps =
              db.prepare(
                  input
                      ? "INSERT INTO observation_input (collection_id) VALUES (?)"
                          + " ON CONFLICT DO NOTHING"
                      : "DELETE FROM observation_input WHERE collection_id = ?");
          Sql.bind(ps, collectionId);
          return ps.executeUpdate() > 0;
        });
  }

  // ---- federation ---------------------------------------------------------------------------

  @Override
  public Peer createPeer(Peer peer) {
    Objects.requireNonNull(peer, "peer");
    return run(
        "adding peer " + peer.name(),
        () -> {
          requireOrganisation(peer.organisation());
          for (String c : collectionsOf(peer)) {
            requireExists("SELECT 1 FROM collection WHERE id = ?", c, "collection '" + c + "'");
          }
          PreparedStatement ps =
              db.prepare(
                  "INSERT INTO peer (name, organisation, discovery_url, api_root,"
                      + " remote_collection, direction, interval_seconds, local_collection,"
                      + " publish_collections, tlp_ceiling, auth_kind, auth_user, auth_secret,"
                      + " client_certificate, client_cert_password, created, trusted_certificates)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          Sql.bind(
              ps,
              peer.name(),
              peer.organisation(),
              peer.discoveryUrl(),
              peer.apiRoot(),
              peer.remoteCollection(),
              peer.direction().name(),
              peer.intervalSeconds(),
              peer.localCollection(),
              Sql.jsonArray(peer.publishCollections()),
              peer.tlpCeiling().label(),
              peer.credentials().kind(),
              peer.credentials().user(),
              peer.credentials().sealedSecret(),
              peer.clientCertificate(),
              peer.credentials().sealedCertificatePassword(),
              Sql.instant(peer.created()),
              peer.trustedCertificates());
          insert(ps, e -> "peer '" + peer.name() + "' already exists");
          return peer;
        });
  }

  private static List<String> collectionsOf(Peer peer) {
    List<String> out = new ArrayList<>(peer.publishCollections());
    if (peer.localCollection() != null) {
      out.add(peer.localCollection());
    }
    return out;
  }

  @Override
  public boolean removePeer(String name) {
    return run(
        "removing peer " + name,
        () -> {
          for (String table : new String[] {"peer_push_pending", "peer_state"}) {
            PreparedStatement ps = db.prepare("DELETE FROM " + table + " WHERE peer = ?");
            Sql.bind(ps, name);
            ps.executeUpdate();
          }
          PreparedStatement lease = db.prepare("DELETE FROM lease WHERE name = ?");
          Sql.bind(lease, Peer.leaseName(name));
          lease.executeUpdate();
          PreparedStatement ps = db.prepare("DELETE FROM peer WHERE name = ?");
          Sql.bind(ps, name);
          return ps.executeUpdate() > 0;
        });
  }

  @Override
  public boolean lease(String name, String owner, Instant now, Instant until) {
    return run(
        "taking the lease " + name,
        () -> CoordinationRows.lease(db::prepare, name, owner, now, until));
  }

  @Override
  public void releaseLease(String name, String owner) {
    run(
        "releasing the lease " + name,
        () -> {
          CoordinationRows.release(db::prepare, name, owner);
          return null;
        });
  }

  @Override
  public void recordLoginFailure(String key, Instant at) {
    run(
        "recording a failed login",
        () -> {
          CoordinationRows.recordLoginFailure(db::prepare, key, at);
          return null;
        });
  }

  @Override
  public void clearLoginFailures(String key) {
    run(
        "clearing failed logins",
        () -> {
          CoordinationRows.clearLoginFailures(db::prepare, key);
          return null;
        });
  }

  @Override
  public int expireLoginFailures(Instant before) {
    return run(
        "expiring failed logins", () -> CoordinationRows.expireLoginFailures(db::prepare, before));
  }

  @Override
  public void saveSetting(String name, String value) {
    run(
        "saving setting " + name,
        () -> {
          CoordinationRows.saveSetting(db::prepare, name, value);
          return null;
        });
  }

  @Override
  public String initSetting(String name, String value) {
    return run(
        "saving setting " + name, () -> CoordinationRows.initSetting(db::prepare, name, value));
  }

  @Override
  public void savePeerState(PeerState st) {
    Objects.requireNonNull(st, "state");
    run(
        "saving the state of peer " + st.peer(),
        () -> {
          PreparedStatement ps =
              db.prepare(
                  "INSERT OR REPLACE INTO peer_state (peer, pull_added_after, push_marks,"
                      + " inflight_collection, inflight_to_seq, inflight_status, last_attempt,"
                      + " last_success, last_error, last_error_at, consecutive_failures,"
                      + " next_attempt, caught_up_at, pulled, pushed, skipped)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          Sql.bind(
              ps,
              st.peer(),
              st.pullAddedAfter(),
              Sql.jsonLongMap(st.pushMarks()),
              st.inflightCollection(),
              st.inflightToSeq(),
              st.inflightStatus(),
              Sql.instant(st.lastAttempt()),
              Sql.instant(st.lastSuccess()),
              st.lastError(),
              Sql.instant(st.lastErrorAt()),
              st.consecutiveFailures(),
              Sql.instant(st.nextAttempt()),
              Sql.instant(st.caughtUpAt()),
              st.pulled(),
              st.pushed(),
              st.skipped());
          ps.executeUpdate();
          return null;
        });
  }

  @Override
  public void savePushPending(List<PushPending> pending) {
    run(
        "saving " + pending.size() + " pending pushes",
        () -> {
          PreparedStatement ps =
              db.prepare(
                  "INSERT OR REPLACE INTO peer_push_pending (peer, collection_id, id, version,"
                      + " attempts, next_attempt, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)");
          for (PushPending p : pending) {
            Sql.bind(
                ps,
                p.peer(),
                p.collectionId(),
                p.id(),
                p.version(),
                p.attempts(),
                Sql.instant(p.nextAttempt()),
                p.lastError());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void removePushPending(String peer, String collectionId, String id, String version) {
    run(
        "forgetting a pending push",
        () -> {
          PreparedStatement ps =
              db.prepare(
                  "DELETE FROM peer_push_pending"
                      + " WHERE peer = ? AND collection_id = ? AND id = ? AND version = ?");
          Sql.bind(ps, peer, collectionId, id, version);
          ps.executeUpdate();
          return null;
        });
  }

  // ---- audit ------------------------------------------------------------------------------

  @Override
  public List<AuditEvent> appendAudit(List<AuditEvent> events) {
    Objects.requireNonNull(events, "events");
    return run(
        "appending " + events.size() + " audit events",
        () -> {
          List<Object[]> rows = new ArrayList<>(events.size());
          for (AuditEvent e : events) {
            rows.add(
                new Object[] {
                  Sql.instant(e.at()),
                  e.actorUser(),
                  e.actorOrg(),
                  e.address(),
                  e.action(),
                  e.target(),
                  e.detail()
                });
          }
          insertRows(INSERT_AUDIT, rows);
          // The single writer inserts rowids max+1, one after another: the last n are ours.
          long last;
          try (ResultSet rs = db.prepare("SELECT last_insert_rowid()").executeQuery()) {
            rs.next();
            last = rs.getLong(1);
          }
          List<AuditEvent> out = new ArrayList<>(events.size());
          long seq = last - events.size() + 1;
          for (AuditEvent e : events) {
            out.add(e.withSeq(seq++));
          }
          return out;
        });
  }

  private static final String INSERT_AUDIT =
      "INSERT INTO audit_event (at, actor_user, actor_org, address, action, target, detail)"
          + " VALUES ";

  // ---- helpers ----------------------------------------------------------------------------

  /** Builds the message for a unique violation. */
  @FunctionalInterface
  private interface DuplicateMessage {
    String of(SQLException e);
  }

  private static void insert(PreparedStatement ps, DuplicateMessage duplicate) throws SQLException {
    try {
      ps.executeUpdate();
    } catch (SQLException e) {
      if (SqliteErrors.isUniqueViolation(e)) {
        throw new AlreadyExistsException(duplicate.of(e), e);
      }
      throw e;
    }
  }

  private void requireOrganisation(String name) throws SQLException {
    requireExists("SELECT 1 FROM organisation WHERE name = ?", name, "organisation '" + name + "'");
  }

  private void requireExists(String sql, String key, String what) throws SQLException {
    PreparedStatement ps = db.prepare(sql);
    Sql.bind(ps, key);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new NotFoundException(what + " does not exist");
      }
    }
  }
}
