-- Sharing policy: organisation details, communities, per-entry TLP and the audit log.

ALTER TABLE organisation ADD COLUMN sectors TEXT;        -- JSON array of industry-sector-ov
ALTER TABLE organisation ADD COLUMN identity_json TEXT;  -- the organisation's STIX identity

CREATE TABLE community (
  name        TEXT NOT NULL PRIMARY KEY,
  description TEXT,
  created     TEXT NOT NULL
);

CREATE TABLE community_member (
  community    TEXT NOT NULL REFERENCES community (name),
  organisation TEXT NOT NULL REFERENCES organisation (name),
  PRIMARY KEY (community, organisation)
);

CREATE INDEX community_member_organisation ON community_member (organisation);

-- The effective TLP of the entry (Tlp ordinal: 0 CLEAR .. 4 RED), fixed at ingest from the
-- object's markings or the collection's default. Read predicates compare it with the reader's
-- ceiling: (producer_org = :org OR tlp_rank <= :ceiling). Entries written before this column
-- existed count as AMBER, the default for unmarked objects.
ALTER TABLE collection_entry ADD COLUMN tlp_rank INTEGER NOT NULL DEFAULT 2;

-- Further producers of an entry: organisations that posted the same version into the collection
-- after the one in collection_entry.producer_org. Producers always see their entries.
CREATE TABLE entry_producer (
  seq          INTEGER NOT NULL,
  organisation TEXT    NOT NULL,
  PRIMARY KEY (seq, organisation)
) WITHOUT ROWID;

-- The highest tlp_rank ever held by the collection (-1: never any entry), raised by the writer in
-- the transaction that adds the entry and never lowered. A reader whose ceiling is at or above it
-- sees every entry, so its pages can use the maintained first/last flags (and their partial
-- indexes) instead of deciding first/last among visible versions row by row.
ALTER TABLE collection ADD COLUMN max_tlp_rank INTEGER NOT NULL DEFAULT -1;
UPDATE collection SET max_tlp_rank =
  COALESCE((SELECT MAX(e.tlp_rank) FROM collection_entry e WHERE e.collection_pk = collection.pk), -1);

-- Bumped by every transaction that changes the directory (users, tokens, organisations,
-- communities, collections, grants): other processes' caches of those rows watch it.
INSERT INTO store_counter (name, value) VALUES ('directory', 0);

-- Append-only: the triggers refuse every UPDATE and DELETE, whoever asks.
CREATE TABLE audit_event (
  seq        INTEGER PRIMARY KEY,
  at         TEXT    NOT NULL,
  actor_user TEXT,
  actor_org  TEXT,
  address    TEXT,
  action     TEXT    NOT NULL,
  target     TEXT,
  detail     TEXT
);

CREATE INDEX audit_event_at ON audit_event (at);
CREATE INDEX audit_event_actor ON audit_event (actor_user, seq);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
