-- Entente store, SQLite dialect. Kept close to portable SQL so that the PostgreSQL migrations
-- can mirror it table for table: INTEGER flags become BOOLEAN, INTEGER keys BIGINT, and the
-- "pk INTEGER PRIMARY KEY" columns identity columns.
--
-- Instants are TEXT in StixTimestamp.sortKey() form (fixed width, nanoseconds, UTC), which
-- orders correctly as text and round-trips exactly. date_added is INTEGER microseconds since
-- the epoch: TAXII's own precision, and the cheapest thing to compare and index.

-- ---- principals ---------------------------------------------------------------------------

CREATE TABLE organisation (
  name        TEXT    NOT NULL PRIMARY KEY,
  identity_id TEXT,
  country     TEXT,
  home        INTEGER NOT NULL DEFAULT 0
);

-- A node is run by exactly one home organisation.
CREATE UNIQUE INDEX organisation_one_home ON organisation (home) WHERE home = 1;

CREATE TABLE app_user (
  name          TEXT    NOT NULL PRIMARY KEY,
  organisation  TEXT    NOT NULL REFERENCES organisation (name),
  role          TEXT    NOT NULL,
  password_hash TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created       TEXT    NOT NULL
);

CREATE INDEX app_user_organisation ON app_user (organisation);

CREATE TABLE api_token (
  id          TEXT    NOT NULL PRIMARY KEY,
  user_name   TEXT    NOT NULL REFERENCES app_user (name),
  secret_hash TEXT    NOT NULL UNIQUE,
  can_write   INTEGER NOT NULL,
  created     TEXT    NOT NULL,
  expires     TEXT,
  revoked     INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX api_token_user ON api_token (user_name);

-- ---- API roots and collections ------------------------------------------------------------

-- pk only gives the stable creation order the TAXII listings need.
CREATE TABLE api_root (
  pk                 INTEGER PRIMARY KEY,
  path               TEXT    NOT NULL UNIQUE,
  title              TEXT    NOT NULL,
  description        TEXT,
  max_content_length INTEGER NOT NULL
);

-- pk is also the compact key the (large) collection_entry table and its indexes use.
CREATE TABLE collection (
  pk          INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  api_root    TEXT    NOT NULL REFERENCES api_root (path),
  title       TEXT    NOT NULL,
  description TEXT,
  alias       TEXT,
  default_tlp TEXT,
  created     TEXT    NOT NULL,
  UNIQUE (api_root, alias)
);

CREATE TABLE collection_grant (
  collection_id TEXT    NOT NULL REFERENCES collection (id),
  grantee_kind  TEXT    NOT NULL,
  grantee       TEXT    NOT NULL,
  can_read      INTEGER NOT NULL,
  can_write     INTEGER NOT NULL,
  PRIMARY KEY (collection_id, grantee_kind, grantee)
);

CREATE INDEX collection_grant_grantee ON collection_grant (grantee_kind, grantee);

-- ---- objects ------------------------------------------------------------------------------

-- One row per object version, shared by every collection that holds it. producer_* say who
-- stored the version first. json is the last column so that manifest queries never touch the
-- overflow pages of large bodies.
CREATE TABLE object_version (
  id               TEXT    NOT NULL,
  version_key      TEXT    NOT NULL,
  version          TEXT    NOT NULL,
  type             TEXT    NOT NULL,
  spec_version     TEXT    NOT NULL,
  created          TEXT,
  modified         TEXT,
  revoked          INTEGER NOT NULL DEFAULT 0,
  server_versioned INTEGER NOT NULL DEFAULT 0,
  producer_org     TEXT,
  producer_user    TEXT,
  json             TEXT    NOT NULL,
  PRIMARY KEY (id, version_key)
);

-- The TAXII view of a collection. Every index here costs each insert a B-tree write, so only
-- the ones the queries need exist: no (id, version_key) index and no foreign key to
-- object_version (the writer keeps them consistent; a DELETE's orphan check seeks the unique
-- index once per collection instead). seq is the store-wide cursor; seq and date_added are both
-- assigned by the single writer and strictly increase together. producer_* say on whose behalf
-- the entry was added to this collection (posting into a collection decides who receives).
--
-- The three flags are maintained by the writer for each (collection, id) so that the default
-- TAXII query (newest spec version, last version) is an index range scan:
--   newest_spec      spec_version is the newest one held for this object in this collection
--   first_of_newest  the smallest version_key among the newest_spec entries
--   last_of_newest   the largest version_key among the newest_spec entries
CREATE TABLE collection_entry (
  seq             INTEGER PRIMARY KEY,
  collection_pk   INTEGER NOT NULL REFERENCES collection (pk),
  id              TEXT    NOT NULL,
  version_key     TEXT    NOT NULL,
  type            TEXT    NOT NULL,
  spec_version    TEXT    NOT NULL,
  date_added      INTEGER NOT NULL,
  producer_org    TEXT,
  producer_user   TEXT,
  newest_spec     INTEGER NOT NULL,
  first_of_newest INTEGER NOT NULL,
  last_of_newest  INTEGER NOT NULL
);

-- One entry per object version and collection; also serves match[id] and the writer's lookups.
CREATE UNIQUE INDEX entry_collection_object ON collection_entry (collection_pk, id, version_key);
CREATE INDEX entry_collection_seq ON collection_entry (collection_pk, seq);
CREATE INDEX entry_collection_type_seq ON collection_entry (collection_pk, type, seq);
-- added_after: date_added rises with seq store-wide, so one global index (appended at its end)
-- finds the first seq after a time for every collection.
CREATE INDEX entry_date_added ON collection_entry (date_added);
-- The default query (match[version]=last, newest spec version), with and without a type.
CREATE INDEX entry_collection_last_seq ON collection_entry (collection_pk, seq)
  WHERE last_of_newest = 1;
CREATE INDEX entry_collection_type_last_seq ON collection_entry (collection_pk, type, seq)
  WHERE last_of_newest = 1;

-- High-water marks of seq and date_added, so that neither is reused after the newest entries
-- were deleted and the store reopened.
CREATE TABLE store_counter (
  name  TEXT    NOT NULL PRIMARY KEY,
  value INTEGER NOT NULL
);

INSERT INTO store_counter (name, value) VALUES ('seq', 0);
INSERT INTO store_counter (name, value) VALUES ('date_added', 0);

-- ---- statuses -----------------------------------------------------------------------------

-- details is a JSON document {"successes":[...],"failures":[...],"pendings":[...]} of
-- {"id","version","message"}: always read and replaced whole.
CREATE TABLE status (
  id                TEXT    NOT NULL PRIMARY KEY,
  api_root          TEXT    NOT NULL,
  owner             TEXT,
  request_timestamp TEXT    NOT NULL,
  total_count       INTEGER NOT NULL,
  success_count     INTEGER NOT NULL,
  failure_count     INTEGER NOT NULL,
  pending_count     INTEGER NOT NULL,
  details           TEXT    NOT NULL
);

CREATE INDEX status_request_timestamp ON status (request_timestamp);
