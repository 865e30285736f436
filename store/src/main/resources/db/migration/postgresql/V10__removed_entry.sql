-- The entries a DELETE removed, by seq (see the SQLite migration): keeps the seqs the audit log
-- records for reads resolvable to the object version they held.
CREATE TABLE removed_entry (
  seq           BIGINT PRIMARY KEY,
  collection_pk BIGINT NOT NULL,
  id            TEXT COLLATE "C" NOT NULL,
  version       TEXT COLLATE "C" NOT NULL
);
