-- The conversations inbox (issue 13): the `sessions` row of a conversation becomes its index entry for lists,
-- filters and search. The transcript itself stays in the session's Durable Object; these columns are what a
-- list of 100,000 conversations must read without opening any object (worker/conversations/conversation-index.ts).
--
-- Kept up to date by triggers on `turns` and `feedback` (below), so every path that records a turn (model
-- answers, curated answers, future agent turns) updates the index in the same statement as its turn row, after
-- the answer and never before the model call. What D1 cannot see (a handoff offered or asked for) is written by
-- markNeedsPerson().
ALTER TABLE sessions ADD COLUMN last_activity_at INTEGER NOT NULL DEFAULT 0;  -- unix ms; the list's order
ALTER TABLE sessions ADD COLUMN turn_count INTEGER NOT NULL DEFAULT 0;        -- answered turns (rows of `turns`)
ALTER TABLE sessions ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN first_question TEXT;                          -- capped at 300 characters
ALTER TABLE sessions ADD COLUMN needs_person INTEGER NOT NULL DEFAULT 0;      -- a person was offered or asked for
ALTER TABLE sessions ADD COLUMN handoff_requested_at INTEGER;                 -- the visitor asked for a person
ALTER TABLE sessions ADD COLUMN thumbs_down INTEGER NOT NULL DEFAULT 0;       -- an answer currently rated down
ALTER TABLE sessions ADD COLUMN no_sources INTEGER NOT NULL DEFAULT 0;        -- an answer found no sources
ALTER TABLE sessions ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;         -- an answer went to the large model
ALTER TABLE sessions ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;            -- an answer failed or was stopped

-- The list: one bot's conversations, newest activity first, paged by (last_activity_at, id). Each flag filter
-- has a partial index holding only the flagged conversations, so "thumbs down" pages through the flagged rows
-- instead of skipping over every unflagged one (EXPLAIN QUERY PLAN in `npm run bench -- --only conversations`).
CREATE INDEX sessions_inbox ON sessions (bot_id, last_activity_at, id);
CREATE INDEX sessions_inbox_needs_person ON sessions (bot_id, last_activity_at, id) WHERE needs_person = 1;
CREATE INDEX sessions_inbox_thumbs_down ON sessions (bot_id, last_activity_at, id) WHERE thumbs_down = 1;
CREATE INDEX sessions_inbox_no_sources ON sessions (bot_id, last_activity_at, id) WHERE no_sources = 1;
CREATE INDEX sessions_inbox_escalated ON sessions (bot_id, last_activity_at, id) WHERE escalated = 1;
CREATE INDEX sessions_inbox_failed ON sessions (bot_id, last_activity_at, id) WHERE failed = 1;

-- The retention job strips the question text of old `turns` rows (billing rows keep no text); this index holds
-- only the rows that still have text, so each run reads those, not every old row again.
CREATE INDEX turns_with_question ON turns (bot_id, created_at) WHERE question IS NOT NULL;

-- Text search over the visitor's questions: one row per question, searched through an FTS5 index (words and
-- word prefixes). LIKE over the questions of 100,000 conversations reads every question; FTS5 reads the
-- matching ones. The rows have an INTEGER PRIMARY KEY, so the external-content index can refer to them and
-- deleting a conversation's rows (erasure, retention) keeps the index in step through the triggers below.
CREATE TABLE conversation_questions (
  rowid INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  question TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX conversation_questions_by_session ON conversation_questions (session_id);
CREATE INDEX conversation_questions_by_bot_time ON conversation_questions (bot_id, created_at);
CREATE VIRTUAL TABLE conversation_questions_fts USING fts5(
  question,
  content = 'conversation_questions',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER conversation_questions_insert AFTER INSERT ON conversation_questions BEGIN
  INSERT INTO conversation_questions_fts (rowid, question) VALUES (NEW.rowid, NEW.question);
END;
CREATE TRIGGER conversation_questions_delete AFTER DELETE ON conversation_questions BEGIN
  INSERT INTO conversation_questions_fts (conversation_questions_fts, rowid, question) VALUES ('delete', OLD.rowid, OLD.question);
END;

-- A turn row written (INSERT OR IGNORE: a repeated turn fires nothing, so it counts once) moves its
-- conversation's index entry and adds its question to the search.
CREATE TRIGGER turns_conversation_insert AFTER INSERT ON turns WHEN NEW.session_id IS NOT NULL BEGIN
  INSERT INTO sessions (id, bot_id, created_at, last_activity_at, turn_count, cost_usd, first_question, no_sources, escalated, failed)
  VALUES (
    NEW.session_id, NEW.bot_id, NEW.created_at, NEW.created_at, 1, NEW.cost_usd, substr(NEW.question, 1, 300),
    coalesce(NEW.grounded, 1) = 0 AND NEW.status != 'refused',
    NEW.escalated = 1,
    NEW.status IN ('failed', 'stopped')
  )
  ON CONFLICT (id) DO UPDATE SET
    last_activity_at = max(last_activity_at, excluded.last_activity_at),
    turn_count = turn_count + 1,
    cost_usd = cost_usd + excluded.cost_usd,
    first_question = coalesce(first_question, excluded.first_question),
    no_sources = no_sources OR excluded.no_sources,
    escalated = escalated OR excluded.escalated,
    failed = failed OR excluded.failed
  WHERE bot_id = excluded.bot_id;
  INSERT INTO conversation_questions (bot_id, session_id, question, created_at)
  SELECT NEW.bot_id, NEW.session_id, NEW.question, NEW.created_at WHERE coalesce(NEW.question, '') != '';
END;

-- A conversation starts (recordNewSession: its first stored message) as its own last activity.
CREATE TRIGGER sessions_conversation_start AFTER INSERT ON sessions WHEN NEW.last_activity_at = 0 BEGIN
  UPDATE sessions SET last_activity_at = NEW.created_at WHERE id = NEW.id;
END;

-- A rating (new or replaced) sets or clears the conversation's thumbs-down flag from its current ratings.
CREATE TRIGGER feedback_conversation_insert AFTER INSERT ON feedback BEGIN
  UPDATE sessions SET
    thumbs_down = EXISTS (SELECT 1 FROM feedback WHERE bot_id = NEW.bot_id AND session_id = NEW.session_id AND rating = 'down'),
    last_activity_at = max(last_activity_at, NEW.created_at)
  WHERE id = NEW.session_id AND bot_id = NEW.bot_id;
END;

-- Backfill: existing conversations get their index entry and searchable questions from the turns and ratings
-- recorded so far (sessions without a turn keep their start as their last activity).
UPDATE sessions SET
  last_activity_at = max(created_at, coalesce((SELECT max(t.created_at) FROM turns t WHERE t.session_id = sessions.id AND t.bot_id = sessions.bot_id), 0)),
  turn_count = (SELECT count(*) FROM turns t WHERE t.session_id = sessions.id AND t.bot_id = sessions.bot_id),
  cost_usd = coalesce((SELECT sum(t.cost_usd) FROM turns t WHERE t.session_id = sessions.id AND t.bot_id = sessions.bot_id), 0),
  first_question = (SELECT substr(t.question, 1, 300) FROM turns t WHERE t.session_id = sessions.id AND t.bot_id = sessions.bot_id ORDER BY t.created_at LIMIT 1),
  no_sources = EXISTS (SELECT 1 FROM turns t WHERE t.session_id = sessions.id AND t.bot_id = sessions.bot_id AND t.grounded = 0 AND t.status != 'refused'),
  escalated = EXISTS (SELECT 1 FROM turns t WHERE t.session_id = sessions.id AND t.bot_id = sessions.bot_id AND t.escalated = 1),
  failed = EXISTS (SELECT 1 FROM turns t WHERE t.session_id = sessions.id AND t.bot_id = sessions.bot_id AND t.status IN ('failed', 'stopped')),
  thumbs_down = EXISTS (SELECT 1 FROM feedback f WHERE f.session_id = sessions.id AND f.bot_id = sessions.bot_id AND f.rating = 'down');
INSERT INTO conversation_questions (bot_id, session_id, question, created_at)
  SELECT bot_id, session_id, question, created_at FROM turns
  WHERE session_id IS NOT NULL AND coalesce(question, '') != '' ORDER BY created_at;
