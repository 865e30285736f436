-- Who is syncing a peer right now: a serve process's schedule, another serve process on the
-- same database, or `entente sync`. A lease expires by itself if its holder dies.
CREATE TABLE peer_lease (
  peer  TEXT NOT NULL PRIMARY KEY,
  owner TEXT NOT NULL,
  until TEXT NOT NULL
);
