-- Collections whose observed-data the node matches against its indicators (observation inputs):
-- what an organisation posts there is its report of what it observed.
CREATE TABLE observation_input (
  collection_id TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES collection (id)
);
