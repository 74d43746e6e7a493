-- Console sessions (docs/console.md), shared by every node on this log so that a browser may be
-- sent to any of them. The session id itself is never stored: only its SHA-256 (hex), so a copy
-- of this table opens no session. The token's id and role are kept, never the token.
CREATE TABLE cohort_console_session (
  id_hash CHAR(64) NOT NULL PRIMARY KEY,
  token_id VARCHAR(200) NOT NULL,
  role VARCHAR(24) NOT NULL,
  csrf CHAR(64) NOT NULL,
  created_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL
);

-- The sweep of idle sessions and the cap's "least recently seen first".
CREATE INDEX cohort_console_session_seen ON cohort_console_session (last_seen_ms);
