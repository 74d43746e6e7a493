-- Where each branch of a three-phase commit stands at this participant (ThreePcBranchStatus), so
-- that a restarted participant re-arms its own timeouts: a pre-committed branch still commits on
-- its own, a yes vote still aborts. 'since' is when the status was entered (epoch milliseconds).
CREATE TABLE ${table}_3pc (
  gid VARCHAR(128) NOT NULL,
  branch_id VARCHAR(128) NOT NULL,
  status VARCHAR(16) NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (gid, branch_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
