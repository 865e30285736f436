-- Provenance keyed by the entry a received version created (see the SQLite migration).
CREATE TABLE entry_source (
  seq         BIGINT PRIMARY KEY,
  peer        TEXT COLLATE "C" NOT NULL,
  received_at TEXT COLLATE "C" NOT NULL
);

INSERT INTO entry_source (seq, peer, received_at)
  SELECT DISTINCT ON (e.seq) e.seq, p.peer, p.received_at
  FROM object_provenance p
  JOIN object_version v ON v.id = p.id AND v.version = p.version
  JOIN collection_entry e ON e.id = v.id AND e.version_key = v.version_key
  ORDER BY e.seq, p.received_at;

DROP TABLE object_provenance;
