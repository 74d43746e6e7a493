-- One row per lease lock. owner NULL: free. token: the fencing token of the last acquisition,
-- only ever incremented. expires_at: epoch millis of the holder's clock. Binary collation so
-- that names and owners compare exactly, as on the other databases.
CREATE TABLE cohort_lock (
  name VARCHAR(200) NOT NULL PRIMARY KEY,
  owner VARCHAR(200),
  token BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
