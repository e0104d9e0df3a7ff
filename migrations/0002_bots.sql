-- The bot registry (hosted-bot issue). A bot's whole configuration is one JSON document validated by
-- worker/bots/bot-config.ts; the columns beside it are what queries need.
CREATE TABLE bots (
  id TEXT PRIMARY KEY,                 -- [a-z0-9][a-z0-9-]{0,31}, chosen by the admin
  config TEXT NOT NULL,                -- JSON of the Bot (without id)
  handoff_secret TEXT NOT NULL,        -- HMAC key for the handoff webhook signature (never public)
  created_at INTEGER NOT NULL,         -- unix milliseconds
  updated_at INTEGER NOT NULL
);

-- Allowed origins, one row each, so a CORS preflight (which carries no bot id) can be answered
-- with one indexed lookup. Kept in step with bots.config by the registry.
CREATE TABLE bot_origins (
  origin TEXT NOT NULL,
  bot_id TEXT NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
  PRIMARY KEY (origin, bot_id)
);
CREATE INDEX bot_origins_by_bot ON bot_origins (bot_id);

-- One row per conversation the worker minted (the transcript itself lives in the session's Durable Object).
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  bot_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_bot_time ON sessions (bot_id, created_at);

-- Visitor ratings of assistant messages; one per message (a new rating replaces the old one).
CREATE TABLE feedback (
  bot_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (bot_id, session_id, message_id)
);
