-- Who is syncing a peer right now: a serve process's schedule, another serve process on the
-- same database, or `entente sync`. A lease expires by itself if its holder dies.
CREATE TABLE peer_lease (
  peer  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  owner TEXT COLLATE "C" NOT NULL,
  until TEXT COLLATE "C" NOT NULL
);
