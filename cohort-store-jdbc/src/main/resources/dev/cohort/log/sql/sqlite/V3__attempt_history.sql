-- Every call the coordinator made to a branch (docs/console.md, "Attempts"): the last few per
-- branch and operation. The slot is the attempt number modulo how many the log keeps, so a newer
-- attempt overwrites the oldest in place: the table stays bounded without a DELETE on the write
-- path, and the row is written in the same commit as the call's result.
CREATE TABLE cohort_attempt (
  gid VARCHAR(128) NOT NULL,
  branch_id VARCHAR(128) NOT NULL,
  operation VARCHAR(32) NOT NULL,
  slot INT NOT NULL,
  attempt INT NOT NULL,
  at_ms BIGINT NOT NULL,
  took_micros BIGINT NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  http_status INT NOT NULL,
  error TEXT,
  PRIMARY KEY (gid, branch_id, operation, slot)
);
