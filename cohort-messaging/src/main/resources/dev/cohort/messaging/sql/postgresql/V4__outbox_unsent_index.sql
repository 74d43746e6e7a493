-- The relay's index holds only the rows not SENT. With (status, seq) over every row, marking a
-- row SENT added an index entry for it (the status is indexed, so the update is never HOT) and
-- every SENT row stayed in the index for good; a partial index leaves them out: the mark writes
-- one index entry fewer, and the relay's reads (PENDING in seq order), the dead keys, the
-- dead-letter listing and the backlog gauges walk an index the size of what is not yet sent.
-- Queries must name the status as a literal (status = 'pending') for the planner to use it.
CREATE INDEX ${prefix}outbox_unsent ON ${prefix}outbox (status, seq) WHERE status <> 'sent';

DROP INDEX ${prefix}outbox_status;
