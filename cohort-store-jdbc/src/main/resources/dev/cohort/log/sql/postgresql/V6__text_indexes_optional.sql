-- The text indexes of version 4 cost every write of the log (the trigram index of a branch's payload
-- alone doubles the database's work for an insert) and only the console's search of a large log
-- needs them. From this version they are optional: a store built with textIndexes(true) — the
-- server's default — creates them when it opens the log (TextIndexes), others search by scanning.
DROP INDEX IF EXISTS cohort_global_gid_trgm;
DROP INDEX IF EXISTS cohort_global_reason_trgm;
DROP INDEX IF EXISTS cohort_branch_payload_trgm;
DROP INDEX IF EXISTS cohort_branch_participant_trgm;
DROP INDEX IF EXISTS cohort_branch_error_trgm;
