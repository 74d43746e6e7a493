-- One row per (gid, branch, operation) the barrier let through or refused.
CREATE TABLE ${table} (
  gid TEXT NOT NULL,
  branch_id TEXT NOT NULL,
  op TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (gid, branch_id, op)
);

-- The purger deletes by age.
CREATE INDEX ${table}_created_at ON ${table} (created_at);
