-- One row per lease lock. owner NULL: free. token: the fencing token of the last acquisition,
-- only ever incremented. expires_at: epoch millis of the holder's clock.
CREATE TABLE cohort_lock (
  name TEXT PRIMARY KEY,
  owner TEXT,
  token INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
