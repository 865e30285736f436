-- Federation: peers, where each sync stands, unacknowledged pushes, and where versions came from.

CREATE TABLE peer (
  name                  TEXT    NOT NULL PRIMARY KEY,
  organisation          TEXT    NOT NULL REFERENCES organisation (name),
  discovery_url         TEXT    NOT NULL,
  api_root              TEXT,
  remote_collection     TEXT    NOT NULL,
  direction             TEXT    NOT NULL,
  interval_seconds      INTEGER NOT NULL,
  local_collection      TEXT    REFERENCES collection (id),
  publish_collections   TEXT    NOT NULL,  -- JSON array of collection ids
  tlp_ceiling           TEXT    NOT NULL,
  auth_kind             TEXT    NOT NULL,
  auth_user             TEXT,
  auth_secret           TEXT,              -- sealed with the node key
  client_certificate    TEXT,
  client_cert_password  TEXT,              -- sealed with the node key
  created               TEXT    NOT NULL
);

-- One row per peer, replaced whole with the work it describes.
CREATE TABLE peer_state (
  peer                  TEXT    NOT NULL PRIMARY KEY REFERENCES peer (name) ON DELETE CASCADE,
  pull_added_after      TEXT,
  push_marks            TEXT    NOT NULL,  -- JSON object collection id -> seq
  inflight_collection   TEXT,
  inflight_to_seq       INTEGER NOT NULL,
  inflight_status       TEXT,
  last_attempt          TEXT,
  last_success          TEXT,
  last_error            TEXT,
  last_error_at         TEXT,
  consecutive_failures  INTEGER NOT NULL,
  next_attempt          TEXT,
  caught_up_at          TEXT,
  pulled                INTEGER NOT NULL,
  pushed                INTEGER NOT NULL,
  skipped               INTEGER NOT NULL
);

CREATE TABLE peer_push_pending (
  peer          TEXT    NOT NULL REFERENCES peer (name) ON DELETE CASCADE,
  collection_id TEXT    NOT NULL,
  id            TEXT    NOT NULL,
  version       TEXT    NOT NULL,
  attempts      INTEGER NOT NULL,
  next_attempt  TEXT    NOT NULL,
  last_error    TEXT,
  PRIMARY KEY (peer, collection_id, id, version)
);

-- Every (version, peer) that brought it in, first arrival time. Keyed by the TAXII version
-- string, as entries report it. A version is never pushed back to a peer listed here.
CREATE TABLE object_provenance (
  id          TEXT NOT NULL,
  version     TEXT NOT NULL,
  peer        TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (id, version, peer)
) WITHOUT ROWID;
