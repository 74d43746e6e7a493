-- The text indexes of version 4 cost every write of the log (the FTS5 triggers make a transaction's
-- writes several times dearer) and only the console's search of a large log needs them. From this
-- version they are optional: a store built with textIndexes(true) — the server's default — creates
-- them when it opens the log (TextIndexes), others search by scanning.
DROP TRIGGER IF EXISTS cohort_global_text_insert;
DROP TRIGGER IF EXISTS cohort_global_text_delete;
DROP TRIGGER IF EXISTS cohort_global_text_update;
DROP TRIGGER IF EXISTS cohort_branch_text_insert;
DROP TRIGGER IF EXISTS cohort_branch_text_delete;
DROP TRIGGER IF EXISTS cohort_branch_text_update;
DROP TABLE IF EXISTS cohort_global_text;
DROP TABLE IF EXISTS cohort_branch_text;
