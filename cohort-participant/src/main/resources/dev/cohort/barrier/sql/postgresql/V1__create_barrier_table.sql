-- One row per (gid, branch, operation) the barrier let through or refused.
CREATE TABLE ${table} (
  gid VARCHAR(128) NOT NULL,
  branch_id VARCHAR(128) NOT NULL,
  op VARCHAR(16) NOT NULL,
  reason VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (gid, branch_id, op)
);

-- The purger deletes by age.
CREATE INDEX ${table}_created_at ON ${table} (created_at);
