-- What operators did with dead letters (an outbox row the relay gave up on, a message a consumer
-- parked): requeued or discarded, with the reason they gave. consumer is NULL for the outbox.
CREATE TABLE ${prefix}dead_letter_action (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  consumer TEXT,
  message_id TEXT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT,
  acted_at INTEGER NOT NULL
);
