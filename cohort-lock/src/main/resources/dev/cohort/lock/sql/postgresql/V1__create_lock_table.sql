-- One row per lease lock. owner NULL: free. token: the fencing token of the last acquisition,
-- only ever incremented. expires_at: epoch millis of the holder's clock.
CREATE TABLE cohort_lock (
  name VARCHAR(200) PRIMARY KEY,
  owner VARCHAR(200),
  token BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
