-- The outbox: one row per message a local transaction wrote, published by the relay. seq is the
-- order of writing; per aggregate_key the relay publishes in seq order.
CREATE TABLE ${prefix}outbox (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  message_id VARCHAR(128) NOT NULL,
  destination VARCHAR(255) NOT NULL,
  aggregate_key VARCHAR(255) NOT NULL,
  type VARCHAR(255) NOT NULL,
  saga_id VARCHAR(128),
  payload MEDIUMTEXT NOT NULL,
  status VARCHAR(16) NOT NULL,
  attempts INT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  last_error VARCHAR(1000),
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  CONSTRAINT ${prefix}outbox_message_id UNIQUE (message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The relay reads pending rows in seq order, and dead ones to hold their aggregate's later rows.
CREATE INDEX ${prefix}outbox_status ON ${prefix}outbox (status, seq);

-- The inbox: one row per message a consumer applied or parked; the key makes redelivery a no-op.
CREATE TABLE ${prefix}inbox (
  consumer VARCHAR(128) NOT NULL,
  message_id VARCHAR(128) NOT NULL,
  destination VARCHAR(255) NOT NULL,
  aggregate_key VARCHAR(255) NOT NULL,
  type VARCHAR(255) NOT NULL,
  saga_id VARCHAR(128),
  status VARCHAR(16) NOT NULL,
  reason VARCHAR(1000),
  payload MEDIUMTEXT,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ${prefix}inbox_status ON ${prefix}inbox (status, received_at);

-- The choreography tracker: one row per saga, one per event seen for it (ordinal: the order the
-- tracker recorded them in, per saga).
CREATE TABLE ${prefix}saga (
  saga_id VARCHAR(128) NOT NULL PRIMARY KEY,
  status VARCHAR(16) NOT NULL,
  started_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deadline BIGINT NOT NULL,
  alerted_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ${prefix}saga_deadline ON ${prefix}saga (status, deadline);

CREATE TABLE ${prefix}saga_event (
  saga_id VARCHAR(128) NOT NULL,
  message_id VARCHAR(128) NOT NULL,
  type VARCHAR(255) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  ordinal INT NOT NULL,
  occurred_at BIGINT NOT NULL,
  PRIMARY KEY (saga_id, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What reconciliation found and did, one row per entity per run.
CREATE TABLE ${prefix}reconciliation (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  rule_name VARCHAR(128) NOT NULL,
  entity VARCHAR(255) NOT NULL,
  repair VARCHAR(16) NOT NULL,
  detail VARCHAR(1000) NOT NULL,
  occurred_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
