-- The outbox: one row per message a local transaction wrote, published by the relay. seq is the
-- order of writing; per aggregate_key the relay publishes in seq order.
CREATE TABLE ${prefix}outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  aggregate_key TEXT NOT NULL,
  type TEXT NOT NULL,
  saga_id TEXT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  CONSTRAINT ${prefix}outbox_message_id UNIQUE (message_id)
);

-- The relay reads pending rows in seq order, and dead ones to hold their aggregate's later rows.
CREATE INDEX ${prefix}outbox_status ON ${prefix}outbox (status, seq);

-- The inbox: one row per message a consumer applied or parked; the key makes redelivery a no-op.
CREATE TABLE ${prefix}inbox (
  consumer TEXT NOT NULL,
  message_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  aggregate_key TEXT NOT NULL,
  type TEXT NOT NULL,
  saga_id TEXT,
  status TEXT NOT NULL,
  reason TEXT,
  payload TEXT,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (consumer, message_id)
);

CREATE INDEX ${prefix}inbox_status ON ${prefix}inbox (status, received_at);

-- The choreography tracker: one row per saga, one per event seen for it (ordinal: the order the
-- tracker recorded them in, per saga).
CREATE TABLE ${prefix}saga (
  saga_id TEXT NOT NULL PRIMARY KEY,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  alerted_at INTEGER
);

CREATE INDEX ${prefix}saga_deadline ON ${prefix}saga (status, deadline);

CREATE TABLE ${prefix}saga_event (
  saga_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  type TEXT NOT NULL,
  kind TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  PRIMARY KEY (saga_id, message_id)
);

-- What reconciliation found and did, one row per entity per run.
CREATE TABLE ${prefix}reconciliation (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  rule_name TEXT NOT NULL,
  entity TEXT NOT NULL,
  repair TEXT NOT NULL,
  detail TEXT NOT NULL,
  occurred_at INTEGER NOT NULL
);
