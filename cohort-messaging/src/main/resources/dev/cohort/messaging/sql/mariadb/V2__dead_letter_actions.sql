-- What operators did with dead letters (an outbox row the relay gave up on, a message a consumer
-- parked): requeued or discarded, with the reason they gave. consumer is NULL for the outbox.
CREATE TABLE ${prefix}dead_letter_action (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  consumer VARCHAR(128),
  message_id VARCHAR(128) NOT NULL,
  action VARCHAR(16) NOT NULL,
  reason VARCHAR(1000),
  acted_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
