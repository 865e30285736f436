-- Leases name any work that one process of a node does at a time: syncing a peer ("peer:NAME"),
-- matching observations and housekeeping ("node:leader"). A lease expires by itself if its
-- holder dies, so another process takes the work over.
ALTER TABLE peer_lease RENAME TO lease;
ALTER TABLE lease RENAME COLUMN peer TO name;
UPDATE lease SET name = 'peer:' || name;

-- Values every process of a node must share: the TAXII cursor key, where detection stands.
CREATE TABLE node_setting (
  name  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);

-- A pending status saved before its commit names the process that will commit it (its lease is
-- "process:HOLDER"): once that lease has lapsed, the process died and the status is settled.
ALTER TABLE status ADD COLUMN holder TEXT COLLATE "C";
CREATE INDEX status_pending ON status (request_timestamp) WHERE pending_count > 0;

-- Failed logins by key ("addr:ADDRESS", "user:NAME"), so that every process of a node counts
-- them against one limit. Rows older than the throttle's window are deleted by housekeeping.
CREATE TABLE login_failure (
  key TEXT COLLATE "C" NOT NULL,
  at  TEXT COLLATE "C" NOT NULL
);

CREATE INDEX login_failure_key_at ON login_failure (key, at);
CREATE INDEX login_failure_at ON login_failure (at);
