-- The optional text indexes (docs/console.md, "Search"), created by TextIndexes when a store is
-- built with textIndexes(true). Every statement may run again: the indexes are kept by name.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX IF NOT EXISTS cohort_global_gid_trgm ON cohort_global USING gin (LOWER(gid) public.gin_trgm_ops);
CREATE INDEX IF NOT EXISTS cohort_global_reason_trgm ON cohort_global USING gin (LOWER(reason) public.gin_trgm_ops);
CREATE INDEX IF NOT EXISTS cohort_branch_payload_trgm ON cohort_branch USING gin (LOWER(payload) public.gin_trgm_ops);
CREATE INDEX IF NOT EXISTS cohort_branch_participant_trgm ON cohort_branch USING gin (LOWER(participant) public.gin_trgm_ops);
CREATE INDEX IF NOT EXISTS cohort_branch_error_trgm ON cohort_branch USING gin (LOWER(last_error) public.gin_trgm_ops);
