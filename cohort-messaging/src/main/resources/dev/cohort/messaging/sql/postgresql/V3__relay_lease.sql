-- Which relay may publish an outbox now: one row per outbox, held by one relay until expires_at
-- (epoch ms), renewed every round; another relay takes it over only after it expired.
CREATE TABLE ${prefix}relay_lease (
  outbox_name VARCHAR(128) NOT NULL PRIMARY KEY,
  owner VARCHAR(128) NOT NULL,
  expires_at BIGINT NOT NULL
);
