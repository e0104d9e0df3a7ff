-- Live takeover (issue 13, docs/takeover.md): who has each conversation that ever asked for a person or was
-- taken over. The session's Durable Object is the truth; this is the index the console's notifications
-- (`GET /v1/console/handoffs`: open requests on the member's bots) and the inbox's `handoff` field read.
CREATE TABLE session_handoffs (
  session_id TEXT PRIMARY KEY,
  bot_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('none', 'requested', 'human', 'timed_out')),
  agent_name TEXT,
  requested_at INTEGER,                -- unix ms, when the visitor asked for a person
  since INTEGER NOT NULL,              -- unix ms, when the current state began
  first_question TEXT                  -- the visitor's first question, for the notification
);
-- Open requests, newest first, per bot.
CREATE INDEX session_handoffs_by_state ON session_handoffs (state, bot_id, requested_at);
