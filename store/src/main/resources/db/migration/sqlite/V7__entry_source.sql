-- Provenance keyed by the entry a received version created: seq rises, so each insert appends to
-- the B-tree, where object_provenance's random (id, version, peer) key cost a page write per
-- pulled object. A version is never pushed to a peer recorded for any of its entries.
CREATE TABLE entry_source (
  seq         INTEGER PRIMARY KEY,
  peer        TEXT    NOT NULL,
  received_at TEXT    NOT NULL
);

INSERT OR IGNORE INTO entry_source (seq, peer, received_at)
  SELECT e.seq, p.peer, p.received_at
  FROM object_provenance p
  JOIN object_version v ON v.id = p.id AND v.version = p.version
  JOIN collection_entry e ON e.id = v.id AND e.version_key = v.version_key;

DROP TABLE object_provenance;
