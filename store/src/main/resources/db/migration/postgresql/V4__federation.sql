-- Federation: peers, where each sync stands, unacknowledged pushes, and where versions came from.

CREATE TABLE peer (
  name                  TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
  organisation          TEXT    COLLATE "C" NOT NULL REFERENCES organisation (name),
  discovery_url         TEXT    COLLATE "C" NOT NULL,
  api_root              TEXT    COLLATE "C",
  remote_collection     TEXT    COLLATE "C" NOT NULL,
  direction             TEXT    COLLATE "C" NOT NULL,
  interval_seconds      INTEGER NOT NULL,
  local_collection      TEXT    COLLATE "C" REFERENCES collection (id),
  publish_collections   TEXT    COLLATE "C" NOT NULL,  -- JSON array of collection ids
  tlp_ceiling           TEXT    COLLATE "C" NOT NULL,
  auth_kind             TEXT    COLLATE "C" NOT NULL,
  auth_user             TEXT    COLLATE "C",
  auth_secret           TEXT    COLLATE "C",           -- sealed with the node key
  client_certificate    TEXT    COLLATE "C",
  client_cert_password  TEXT    COLLATE "C",           -- sealed with the node key
  created               TEXT    COLLATE "C" NOT NULL
);

-- One row per peer, replaced whole with the work it describes.
CREATE TABLE peer_state (
  peer                  TEXT    COLLATE "C" NOT NULL PRIMARY KEY REFERENCES peer (name) ON DELETE CASCADE,
  pull_added_after      TEXT    COLLATE "C",
  push_marks            TEXT    COLLATE "C" NOT NULL,  -- JSON object collection id -> seq
  inflight_collection   TEXT    COLLATE "C",
  inflight_to_seq       BIGINT  NOT NULL,
  inflight_status       TEXT    COLLATE "C",
  last_attempt          TEXT    COLLATE "C",
  last_success          TEXT    COLLATE "C",
  last_error            TEXT    COLLATE "C",
  last_error_at         TEXT    COLLATE "C",
  consecutive_failures  INTEGER NOT NULL,
  next_attempt          TEXT    COLLATE "C",
  caught_up_at          TEXT    COLLATE "C",
  pulled                BIGINT  NOT NULL,
  pushed                BIGINT  NOT NULL,
  skipped               BIGINT  NOT NULL
);

CREATE TABLE peer_push_pending (
  peer          TEXT    COLLATE "C" NOT NULL REFERENCES peer (name) ON DELETE CASCADE,
  collection_id TEXT    COLLATE "C" NOT NULL,
  id            TEXT    COLLATE "C" NOT NULL,
  version       TEXT    COLLATE "C" NOT NULL,
  attempts      INTEGER NOT NULL,
  next_attempt  TEXT    COLLATE "C" NOT NULL,
  last_error    TEXT    COLLATE "C",
  PRIMARY KEY (peer, collection_id, id, version)
);

-- Every (version, peer) that brought it in, first arrival time. Keyed by the TAXII version
-- string, as entries report it. A version is never pushed back to a peer listed here.
CREATE TABLE object_provenance (
  id          TEXT COLLATE "C" NOT NULL,
  version     TEXT COLLATE "C" NOT NULL,
  peer        TEXT COLLATE "C" NOT NULL,
  received_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (id, version, peer)
);
