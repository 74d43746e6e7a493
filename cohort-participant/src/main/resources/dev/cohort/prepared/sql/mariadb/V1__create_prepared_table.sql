-- The outcome of each prepared branch of a two- or three-phase commit: 'committed' is inserted
-- inside the prepared transaction itself (so it exists exactly when that transaction committed),
-- 'rolled_back' after a rollback or an empty rollback (so a late prepare is refused).
CREATE TABLE ${table} (
  gid VARCHAR(128) NOT NULL,
  branch_id VARCHAR(128) NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  decided_at BIGINT NOT NULL,
  PRIMARY KEY (gid, branch_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
