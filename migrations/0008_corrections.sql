-- Curated answers ("corrections", issue 13): an editor's right answer to a question, used for the next
-- visitor who asks it in any close phrasing. Vectors of the question and its phrasings live in the vector
-- index under the namespace correctionNamespaceForBot(bot_id), ids <sha256(bot NUL id)[0:40]>-<k>, k < text_count.
CREATE TABLE corrections (
  bot_id TEXT NOT NULL,
  id TEXT NOT NULL,                      -- server-made, e.g. "cor_<uuid>"
  question TEXT NOT NULL,
  phrasings TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings: more ways to ask the same question
  answer TEXT NOT NULL,                  -- Markdown, shown as the visitor's answer
  sources TEXT NOT NULL DEFAULT '[]',    -- JSON array of { title, url }, http(s) only
  text_count INTEGER NOT NULL DEFAULT 0, -- vectors written: the question plus each phrasing
  embedding_model TEXT,                  -- the model those vectors came from
  used_count INTEGER NOT NULL DEFAULT 0,
  last_used_at INTEGER,
  created_at INTEGER NOT NULL,           -- unix milliseconds
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (bot_id, id)
);
-- The list page and export read a bot's corrections newest first.
CREATE INDEX corrections_by_bot_updated ON corrections (bot_id, updated_at);

-- A turn answered by a curated answer names it (NULL for every other turn).
ALTER TABLE turns ADD COLUMN correction_id TEXT;
