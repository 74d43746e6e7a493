-- The console (docs/console.md) lists one status in gid order (its pages), whether the status is
-- rare or holds most of the log, and filters and aggregates by age; created_at never changes, so
-- its index costs only the insert.
CREATE INDEX cohort_global_status_gid ON cohort_global (status, gid);
CREATE INDEX cohort_global_created ON cohort_global (created_at);

-- Every operator action (retry, resolve, abort), who took it and what came of it.
CREATE TABLE cohort_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms BIGINT NOT NULL,
  actor VARCHAR(200) NOT NULL,
  action VARCHAR(200) NOT NULL,
  gid VARCHAR(128) NOT NULL,
  detail TEXT,
  result VARCHAR(200) NOT NULL
);

CREATE INDEX cohort_audit_gid ON cohort_audit (gid, id);
