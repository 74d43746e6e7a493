-- Search (docs/console.md, "Search") finds rare text — a gid fragment, a URL fragment, a word of an
-- error — without reading the whole log: trigram indexes serve LOWER(column) LIKE '%text%' for
-- text of three characters or more. pg_trgm is a trusted extension: the log's owner may create it.
-- The operator class is named with its schema, so a search_path without public still finds it.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX cohort_global_gid_trgm ON cohort_global USING gin (LOWER(gid) public.gin_trgm_ops);
CREATE INDEX cohort_global_reason_trgm ON cohort_global USING gin (LOWER(reason) public.gin_trgm_ops);
CREATE INDEX cohort_branch_payload_trgm ON cohort_branch USING gin (LOWER(payload) public.gin_trgm_ops);
CREATE INDEX cohort_branch_participant_trgm ON cohort_branch USING gin (LOWER(participant) public.gin_trgm_ops);
CREATE INDEX cohort_branch_error_trgm ON cohort_branch USING gin (LOWER(last_error) public.gin_trgm_ops);
