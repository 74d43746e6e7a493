-- The optional text indexes (docs/console.md, "Search"), created by TextIndexes when a store is
-- built with textIndexes(true). Every statement may run again: the indexes are kept by name.
CREATE FULLTEXT INDEX IF NOT EXISTS cohort_global_gid_ft ON cohort_global (gid);
CREATE FULLTEXT INDEX IF NOT EXISTS cohort_global_reason_ft ON cohort_global (reason);
CREATE FULLTEXT INDEX IF NOT EXISTS cohort_branch_payload_ft ON cohort_branch (payload);
CREATE FULLTEXT INDEX IF NOT EXISTS cohort_branch_participant_ft ON cohort_branch (participant);
CREATE FULLTEXT INDEX IF NOT EXISTS cohort_branch_error_ft ON cohort_branch (last_error);
