-- One row per assistant turn: what it cost and how it ended. Written exactly once per turn
-- (complete, stopped or failed); read for spending caps, usage totals and bot stats.
CREATE TABLE turns (
  id TEXT PRIMARY KEY,                -- the assistant message id
  bot_id TEXT NOT NULL,
  session_id TEXT,
  user_message_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('complete', 'stopped', 'failed', 'refused')),
  tier TEXT NOT NULL CHECK (tier IN ('small', 'large', 'none')),
  escalated INTEGER NOT NULL DEFAULT 0,
  route_reasons TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  models TEXT NOT NULL DEFAULT '[]',          -- JSON: [{ model, tier, inputTokens, outputTokens, costUsd }]
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  images INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  usage_estimated INTEGER NOT NULL DEFAULT 0, -- 1 when the provider gave no usage (aborted, failed)
  grounded INTEGER,                           -- 1 answered from sources, 0 not, NULL unknown
  sources_found INTEGER NOT NULL DEFAULT 0,
  question TEXT,                              -- the visitor's question, for "what to document next"
  created_at INTEGER NOT NULL                 -- unix milliseconds
);
CREATE INDEX turns_by_bot_time ON turns (bot_id, created_at);
CREATE INDEX turns_by_session ON turns (session_id);
