-- The coordinator's log: one row per global transaction, one per branch.
CREATE TABLE cohort_global (
  gid VARCHAR(128) NOT NULL PRIMARY KEY,
  mode VARCHAR(16) NOT NULL,
  status VARCHAR(24) NOT NULL,
  resume_status VARCHAR(24),
  parallel_tries SMALLINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  attempts INT NOT NULL,
  phase_started_at BIGINT,
  lease_owner VARCHAR(128) NOT NULL,
  lease_until BIGINT NOT NULL,
  reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- The claim query looks for unfinished transactions whose next attempt is due.
CREATE INDEX cohort_global_due ON cohort_global (status, next_attempt_at);

CREATE TABLE cohort_branch (
  gid VARCHAR(128) NOT NULL,
  branch_id VARCHAR(128) NOT NULL,
  seq INT NOT NULL,
  participant VARCHAR(128) NOT NULL,
  payload TEXT,
  forward_recovery SMALLINT NOT NULL,
  status VARCHAR(24) NOT NULL,
  attempts INT NOT NULL,
  last_error TEXT,
  PRIMARY KEY (gid, branch_id)
);
