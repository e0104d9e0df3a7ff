-- RAG: the document registry and the keyword (full-text) index of document chunks.
-- Vectors live in Vectorize (or the LocalVectorIndex stand-in); vector ids are derived from
-- (bot_id, id, chunk index), so chunk_count is enough to find every vector of a document.
CREATE TABLE documents (
  bot_id TEXT NOT NULL,
  id TEXT NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('markdown', 'html', 'text')),
  content_hash TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  -- Vectors that may exist for this document: ids 0 .. chunk_count - 1.
  chunk_count INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('indexing', 'ready', 'failed')),
  error TEXT,
  embedding_model TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (bot_id, id)
);

-- Keyword search. `terms` holds stemmed words (worker/rag/text-tokens.ts), so keyword search stems
-- exactly as the embedder and the BM25 baseline do; the other columns are for display.
-- One row per chunk:
CREATE VIRTUAL TABLE document_chunks_fts USING fts5(
  terms,
  bot_id UNINDEXED,
  document_id UNINDEXED,
  chunk_index UNINDEXED,
  title UNINDEXED,
  url UNINDEXED,
  heading UNINDEXED,
  body UNINDEXED,
  tokenize = 'unicode61'
);

-- One row per whole document (display columns: its first chunk), in its own table so that
-- document-length statistics of bm25() are not mixed with those of chunks.
CREATE VIRTUAL TABLE documents_fts USING fts5(
  terms,
  bot_id UNINDEXED,
  document_id UNINDEXED,
  title UNINDEXED,
  url UNINDEXED,
  heading UNINDEXED,
  body UNINDEXED,
  tokenize = 'unicode61'
);
