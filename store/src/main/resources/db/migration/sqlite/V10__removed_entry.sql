-- The entries a DELETE removed, by seq. The audit log records the entries a read served by their
-- seq (a few bytes per page instead of every id@version); this keeps those seqs resolvable to the
-- object version they held after the entry is gone.
CREATE TABLE removed_entry (
  seq           INTEGER PRIMARY KEY,
  collection_pk INTEGER NOT NULL,
  id            TEXT    NOT NULL,
  version       TEXT    NOT NULL
);
