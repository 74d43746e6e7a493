-- One row per (gid, branch, operation) the barrier let through or refused; binary collation so
-- that ids compare exactly, as on the other databases.
CREATE TABLE ${table} (
  gid VARCHAR(128) NOT NULL,
  branch_id VARCHAR(128) NOT NULL,
  op VARCHAR(16) NOT NULL,
  reason VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (gid, branch_id, op),
  KEY ${table}_created_at (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
