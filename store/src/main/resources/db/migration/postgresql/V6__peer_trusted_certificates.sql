-- PEM file of the certificates that vouch for a peer's server (a national PKI root, say), when
-- the JDK's default trust does not.
ALTER TABLE peer ADD COLUMN trusted_certificates TEXT COLLATE "C";
