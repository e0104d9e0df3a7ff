-- Knowledge sources (issue 14): web pages, sitemaps and crawls a bot learns from, kept fresh by syncs.
-- A sync's work list lives in source_pages (the frontier), so a sync survives worker restarts: queue
-- messages only say "process this page"; the row says whether it was already done.

-- Which source a document came from (NULL: pushed through the documents API or the CLI).
ALTER TABLE documents ADD COLUMN source_id TEXT;
CREATE INDEX documents_by_source ON documents (bot_id, source_id);

CREATE TABLE sources (
  id TEXT PRIMARY KEY,                         -- src_<random>, minted by the worker
  bot_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('url', 'sitemap', 'crawl', 'file')),
  url TEXT NOT NULL,
  schedule TEXT NOT NULL CHECK (schedule IN ('manual', 'daily', 'weekly')),
  limits TEXT NOT NULL,                        -- JSON: { maxPages, maxDepth, pathPrefix?, timeoutMs, maxBytes }
  current_sync_id TEXT,                        -- the running sync (one per source at a time), else NULL
  last_sync_id TEXT,
  next_sync_at INTEGER,                        -- unix ms when the cron starts the next scheduled sync
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX sources_by_bot ON sources (bot_id, created_at);
CREATE INDEX sources_due ON sources (next_sync_at);

CREATE TABLE source_syncs (
  id TEXT PRIMARY KEY,                         -- sync_<random>
  source_id TEXT NOT NULL,
  bot_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed')),
  trigger TEXT NOT NULL,                       -- 'manual' | 'schedule' | 'create'
  robots TEXT,                                 -- the site's robots.txt as fetched by this sync ('' = none)
  removed INTEGER NOT NULL DEFAULT 0,          -- documents removed at the end (pages gone from the site)
  error TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX source_syncs_by_source ON source_syncs (source_id, started_at);

-- Every URL a source knows: pages and the sitemaps that listed them. `sync_id` is the last sync that
-- claimed the row; `state` is that sync's progress on it. Validators and hashes stay between syncs.
CREATE TABLE source_pages (
  source_id TEXT NOT NULL,
  url TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('page', 'sitemap')),
  depth INTEGER NOT NULL DEFAULT 0,
  sync_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'done')),
  -- indexed | unchanged | duplicate | skipped | failed (for the claiming sync)
  outcome TEXT,
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  etag TEXT,
  last_modified TEXT,
  sitemap_lastmod TEXT,                        -- <lastmod> from the sitemap in this sync
  indexed_lastmod TEXT,                        -- <lastmod> when the page was last indexed
  content_hash TEXT,
  document_ids TEXT,                           -- JSON array of the documents this page produced
  links TEXT,                                  -- JSON array of same-site links (a 304 still lets a crawl go on)
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (source_id, url)
);
CREATE INDEX source_pages_by_sync ON source_pages (source_id, sync_id, state);
