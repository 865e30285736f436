-- Sharing policy: organisation details, communities, per-entry TLP and the audit log.

ALTER TABLE organisation ADD COLUMN sectors TEXT COLLATE "C";        -- JSON array of industry-sector-ov
ALTER TABLE organisation ADD COLUMN identity_json TEXT;              -- the organisation's STIX identity

CREATE TABLE community (
  name        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  description TEXT COLLATE "C",
  created     TEXT COLLATE "C" NOT NULL
);

CREATE TABLE community_member (
  community    TEXT COLLATE "C" NOT NULL REFERENCES community (name),
  organisation TEXT COLLATE "C" NOT NULL REFERENCES organisation (name),
  PRIMARY KEY (community, organisation)
);

CREATE INDEX community_member_organisation ON community_member (organisation);

-- The effective TLP of the entry (Tlp ordinal: 0 CLEAR .. 4 RED; 5 producers-only), fixed at
-- ingest from the object's markings or the collection's default. Read predicates compare it with
-- the reader's ceiling: (producer_org = :org OR tlp_rank <= :ceiling OR :org is a co-producer).
ALTER TABLE collection_entry ADD COLUMN tlp_rank INTEGER NOT NULL DEFAULT 2;

-- Further producers of an entry: organisations that posted the same version into the collection
-- after the one in collection_entry.producer_org. Producers always see their entries.
CREATE TABLE entry_producer (
  seq          BIGINT NOT NULL,
  organisation TEXT   COLLATE "C" NOT NULL,
  PRIMARY KEY (seq, organisation)
);

-- The highest tlp_rank ever held by the collection (-1: never any entry), raised by the writer in
-- the transaction that adds the entry and never lowered. A reader whose ceiling is at or above it
-- sees every entry, so its pages can use the maintained first/last flags (and their partial
-- indexes) instead of deciding first/last among visible versions row by row.
ALTER TABLE collection ADD COLUMN max_tlp_rank INTEGER NOT NULL DEFAULT -1;
UPDATE collection SET max_tlp_rank =
  COALESCE((SELECT MAX(e.tlp_rank) FROM collection_entry e WHERE e.collection_pk = collection.pk), -1);

-- Bumped by every transaction that changes the directory (users, tokens, organisations,
-- communities, collections, grants): other processes' caches of those rows watch it (they are
-- also told at once by NOTIFY entente_directory, sent in the same transaction).
INSERT INTO store_counter (name, value) VALUES ('directory', 0);

-- Append-only: the triggers refuse every UPDATE, DELETE and TRUNCATE, whoever asks. seq is
-- assigned by the writer under the commit-order lock, like collection_entry.seq, so events also
-- commit in seq order across processes.
CREATE TABLE audit_event (
  seq        BIGINT PRIMARY KEY,
  at         TEXT   COLLATE "C" NOT NULL,
  actor_user TEXT   COLLATE "C",
  actor_org  TEXT   COLLATE "C",
  address    TEXT   COLLATE "C",
  action     TEXT   COLLATE "C" NOT NULL,
  target     TEXT   COLLATE "C",
  detail     TEXT
);

CREATE INDEX audit_event_at ON audit_event (at);
CREATE INDEX audit_event_actor ON audit_event (actor_user, seq);

CREATE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

-- TRUNCATE bypasses row triggers (SQLite has no TRUNCATE).
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
