-- Search (docs/console.md, "Search") finds rare words — a gid, a host or path word of a URL, a
-- word of an error — without reading the whole log: FULLTEXT indexes serve MATCH ... AGAINST for
-- words and word beginnings of three characters or more; the exact text is checked after.
ALTER TABLE cohort_global ADD FULLTEXT INDEX cohort_global_gid_ft (gid);
ALTER TABLE cohort_global ADD FULLTEXT INDEX cohort_global_reason_ft (reason);
ALTER TABLE cohort_branch ADD FULLTEXT INDEX cohort_branch_payload_ft (payload);
ALTER TABLE cohort_branch ADD FULLTEXT INDEX cohort_branch_participant_ft (participant);
ALTER TABLE cohort_branch ADD FULLTEXT INDEX cohort_branch_error_ft (last_error);
