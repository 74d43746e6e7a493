-- The optional text indexes (docs/console.md, "Search"), created by TextIndexes, only when
-- cohort_branch_text is absent (the rebuild indexes the rows already in the log), in one
-- transaction. A statement inside a trigger never ends a line: the script splits at a line ending
-- with a semicolon. After a VACUUM, which may renumber rowids, rebuild them:
-- INSERT INTO cohort_global_text(cohort_global_text) VALUES ('rebuild') (and cohort_branch_text).
CREATE VIRTUAL TABLE cohort_global_text USING fts5(gid, reason, content='cohort_global', tokenize='trigram');
CREATE VIRTUAL TABLE cohort_branch_text USING fts5(participant, payload, last_error, content='cohort_branch', tokenize='trigram');
INSERT INTO cohort_global_text(cohort_global_text) VALUES ('rebuild');
INSERT INTO cohort_branch_text(cohort_branch_text) VALUES ('rebuild');

CREATE TRIGGER cohort_global_text_insert AFTER INSERT ON cohort_global BEGIN
  INSERT INTO cohort_global_text(rowid, gid, reason) VALUES (new.rowid, new.gid, new.reason); END;
CREATE TRIGGER cohort_global_text_delete AFTER DELETE ON cohort_global BEGIN
  INSERT INTO cohort_global_text(cohort_global_text, rowid, gid, reason)
  VALUES ('delete', old.rowid, old.gid, old.reason); END;
CREATE TRIGGER cohort_global_text_update AFTER UPDATE OF reason ON cohort_global
  WHEN old.reason IS NOT new.reason BEGIN
  INSERT INTO cohort_global_text(cohort_global_text, rowid, gid, reason)
  VALUES ('delete', old.rowid, old.gid, old.reason); INSERT INTO cohort_global_text(rowid, gid, reason)
  VALUES (new.rowid, new.gid, new.reason); END;

CREATE TRIGGER cohort_branch_text_insert AFTER INSERT ON cohort_branch BEGIN
  INSERT INTO cohort_branch_text(rowid, participant, payload, last_error)
  VALUES (new.rowid, new.participant, new.payload, new.last_error); END;
CREATE TRIGGER cohort_branch_text_delete AFTER DELETE ON cohort_branch BEGIN
  INSERT INTO cohort_branch_text(cohort_branch_text, rowid, participant, payload, last_error)
  VALUES ('delete', old.rowid, old.participant, old.payload, old.last_error); END;
CREATE TRIGGER cohort_branch_text_update AFTER UPDATE OF last_error ON cohort_branch
  WHEN old.last_error IS NOT new.last_error BEGIN
  INSERT INTO cohort_branch_text(cohort_branch_text, rowid, participant, payload, last_error)
  VALUES ('delete', old.rowid, old.participant, old.payload, old.last_error); INSERT INTO
  cohort_branch_text(rowid, participant, payload, last_error)
  VALUES (new.rowid, new.participant, new.payload, new.last_error); END;
