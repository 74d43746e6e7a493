-- Every event once, at its global position (allocated from cohort_event_head under its row lock,
-- so positions are gapless and in commit order) and at its version within its stream.
CREATE TABLE cohort_event (
  global_position BIGINT PRIMARY KEY,
  stream_id VARCHAR(200) NOT NULL,
  stream_version BIGINT NOT NULL,
  event_type VARCHAR(200) NOT NULL,
  payload LONGTEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  CONSTRAINT cohort_event_stream_version UNIQUE (stream_id, stream_version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX cohort_event_recorded_at ON cohort_event (recorded_at);
-- The last global position handed out; one row.
CREATE TABLE cohort_event_head (
  id INT PRIMARY KEY,
  global_position BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO cohort_event_head (id, global_position) VALUES (1, 0);
-- The latest snapshot per stream.
CREATE TABLE cohort_snapshot (
  stream_id VARCHAR(200) PRIMARY KEY,
  stream_version BIGINT NOT NULL,
  payload LONGTEXT NOT NULL,
  taken_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- How far each projection has applied the events.
CREATE TABLE cohort_projection_checkpoint (
  name VARCHAR(200) PRIMARY KEY,
  global_position BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
