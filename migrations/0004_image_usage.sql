-- Generated images per bot, day and session: the images issue's quotas and usage record.
-- A row is written (status 'pending') before the image model is called, so concurrent turns
-- cannot exceed a quota; a failed generation is marked 'failed' and stops counting.
CREATE TABLE image_usage (
  image_id   TEXT PRIMARY KEY,               -- the id the image is stored and served under
  bot_id     TEXT NOT NULL,
  session_id TEXT NOT NULL,                  -- the conversation that asked for it
  day        TEXT NOT NULL,                  -- UTC day, YYYY-MM-DD
  model      TEXT NOT NULL,
  size       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  cost_usd   REAL NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL                -- milliseconds since the epoch
);
CREATE INDEX image_usage_bot_day ON image_usage (bot_id, day);
CREATE INDEX image_usage_bot_session ON image_usage (bot_id, session_id);
