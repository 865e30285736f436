-- Storage settings for ingest (issue 6; docs/PERFORMANCE.md, "PostgreSQL ingest"). Neither
-- changes what is stored or read, only how: no table is rewritten, the rows written from now on
-- follow them.

-- Object bodies stay uncompressed in the row up to the largest tuple a page holds (the default
-- compresses every row above about 2 kB with pglz, which cost the writer about a tenth of the
-- server's time per ATT&CK object; 9 % of them are above 2 kB, 0.1 % above 8 kB). Reads of such a
-- body no longer decompress it either; larger bodies are still compressed and moved out of line.
ALTER TABLE object_version SET (toast_tuple_target = 8160);

-- A status's details (about 100 bytes per object of its envelope) are written once or twice and
-- rarely read: kept out of line uncompressed rather than compressed on every write.
ALTER TABLE status ALTER COLUMN details SET STORAGE EXTERNAL;
