-- The text indexes of version 4 cost every write of the log and only the console's search of a
-- large log needs them. From this version they are optional: a store built with textIndexes(true) —
-- the server's default — creates them when it opens the log (TextIndexes), others search by scanning.
ALTER TABLE cohort_global DROP INDEX IF EXISTS cohort_global_gid_ft, DROP INDEX IF EXISTS cohort_global_reason_ft;
ALTER TABLE cohort_branch DROP INDEX IF EXISTS cohort_branch_payload_ft, DROP INDEX IF EXISTS cohort_branch_participant_ft, DROP INDEX IF EXISTS cohort_branch_error_ft;
