-- The owner console's identity (issue 12): members, their console sessions, invitations, API keys and
-- the sign-in attempt counters. Secrets are never stored: passwords as PBKDF2 hashes (with algorithm and
-- iteration count, worker/identity/password-hash.ts), session tokens, invitation tokens and API keys as
-- SHA-256 hashes. Scopes (`bots`) are JSON: "all" or an array of bot ids.
CREATE TABLE members (
  id TEXT PRIMARY KEY,                         -- m_<random>
  name TEXT NOT NULL UNIQUE,                   -- sign-in name, lower case
  display_name TEXT,
  role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'agent')),
  bots TEXT NOT NULL,                          -- JSON: "all" or ["bot-id", ...]
  password_hash TEXT,                          -- NULL while the invitation is not accepted
  created_at INTEGER NOT NULL,                 -- unix milliseconds
  updated_at INTEGER NOT NULL
);

-- One-time invitation links; the token itself is only in the link (fragment), never stored.
CREATE TABLE console_invitations (
  token_hash TEXT PRIMARY KEY,                 -- hex SHA-256 of the token
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX console_invitations_by_member ON console_invitations (member_id);

-- Console sessions: 12 h idle (sliding), 7 days at most.
CREATE TABLE console_sessions (
  token_hash TEXT PRIMARY KEY,                 -- hex SHA-256 of the cookie's token
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL                  -- absolute end (created_at + 7 days)
);
CREATE INDEX console_sessions_by_member ON console_sessions (member_id);

-- API keys for CI and scripts (Authorization: Bearer ec_...), limited by role and scope.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,                         -- k_<random>
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'agent')),
  bots TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,            -- hex SHA-256 of the key
  prefix TEXT NOT NULL,                        -- first characters of the key, to recognise it in lists
  created_by TEXT,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);

-- Sign-in attempts per fixed window, keyed "ip:<ip>" or "name:<name>" (worker/identity/sign-in-limit.ts).
CREATE TABLE console_sign_in_attempts (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
);

-- The text of each document as it was last indexed, so the console can re-index it (after a model or
-- chunking change, or a failure) without the original file. Split in parts: D1 rows stay far below 2 MB.
CREATE TABLE document_contents (
  bot_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  part INTEGER NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (bot_id, document_id, part)
);
