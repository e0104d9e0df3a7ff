-- Keyword search without reading the full-text tables' stored rows (issue 16, round 2).
--
-- A query such as `… WHERE documents_fts MATCH ?1 AND bot_id = ?2` makes FTS5 read the whole stored row of
-- every match, of every bot, to test bot_id: the long `terms` column included. On the bench's 10k chunks
-- that was 2.5–17 ms a term for whole documents. These narrow tables give each full-text row's bot and
-- document by rowid, so a ranking reads only rowid and bm25() from FTS5 and looks the bot up here
-- (worker/rag/keyword-index.ts; measured in docs/edge-latency.md). The FTS5 rows and these rows are
-- written and deleted together, in the same D1 batch, by KeywordIndex, the only writer of either.
CREATE TABLE keyword_document_rows (
  fts_rowid INTEGER PRIMARY KEY,  -- rowid in documents_fts
  bot_id TEXT NOT NULL,
  document_id TEXT NOT NULL
);
CREATE INDEX keyword_document_rows_by_document ON keyword_document_rows (bot_id, document_id);

CREATE TABLE keyword_chunk_rows (
  fts_rowid INTEGER PRIMARY KEY,  -- rowid in document_chunks_fts
  bot_id TEXT NOT NULL,
  document_id TEXT NOT NULL
);
CREATE INDEX keyword_chunk_rows_by_document ON keyword_chunk_rows (bot_id, document_id);

-- The rows already indexed.
INSERT INTO keyword_document_rows (fts_rowid, bot_id, document_id) SELECT rowid, bot_id, document_id FROM documents_fts;
INSERT INTO keyword_chunk_rows (fts_rowid, bot_id, document_id) SELECT rowid, bot_id, document_id FROM document_chunks_fts;

-- The number of whole-document rows of every bot, which the BM25 weighting of a ranking needs for FTS5's
-- table-wide IDF (worker/rag/keyword-index.ts). `SELECT count(*) FROM documents_fts` reads every stored row
-- (~7 ms on the bench's 10k chunks, twice a turn); this row is read in the ranking's own batch instead. Kept
-- by triggers on keyword_document_rows, which is written in step with documents_fts, so it is exact in every
-- isolate at once (a per-isolate cached count would need a version read, a query, to see other isolates' writes).
CREATE TABLE keyword_index_stats (
  name TEXT PRIMARY KEY,       -- 'documents_fts'
  row_count INTEGER NOT NULL
);
INSERT INTO keyword_index_stats (name, row_count) SELECT 'documents_fts', count(*) FROM keyword_document_rows;
CREATE TRIGGER keyword_document_rows_count_insert AFTER INSERT ON keyword_document_rows BEGIN
  UPDATE keyword_index_stats SET row_count = row_count + 1 WHERE name = 'documents_fts';
END;
CREATE TRIGGER keyword_document_rows_count_delete AFTER DELETE ON keyword_document_rows BEGIN
  UPDATE keyword_index_stats SET row_count = row_count - 1 WHERE name = 'documents_fts';
END;
