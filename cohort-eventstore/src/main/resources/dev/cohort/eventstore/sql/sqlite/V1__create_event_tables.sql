-- Every event once, at its global position (allocated from cohort_event_head under its row lock,
-- so positions are gapless and in commit order) and at its version within its stream.
CREATE TABLE cohort_event (
  global_position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  CONSTRAINT cohort_event_stream_version UNIQUE (stream_id, stream_version)
);
CREATE INDEX cohort_event_recorded_at ON cohort_event (recorded_at);
-- The last global position handed out; one row.
CREATE TABLE cohort_event_head (
  id INTEGER PRIMARY KEY,
  global_position INTEGER NOT NULL
);
INSERT INTO cohort_event_head (id, global_position) VALUES (1, 0);
-- The latest snapshot per stream.
CREATE TABLE cohort_snapshot (
  stream_id TEXT PRIMARY KEY,
  stream_version INTEGER NOT NULL,
  payload TEXT NOT NULL,
  taken_at INTEGER NOT NULL
);
-- How far each projection has applied the events.
CREATE TABLE cohort_projection_checkpoint (
  name TEXT PRIMARY KEY,
  global_position INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
