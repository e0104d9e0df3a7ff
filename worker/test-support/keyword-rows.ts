/** One full-text row's bot and document, by rowid. */
export interface KeywordRow {
  rowid: number;
  botId: string;
  documentId: string;
}

/**
 * Test helper: one bot's rows of each full-text table (`fts`) beside its rows of the narrow table that
 * gives their bot and document by rowid (`narrow`, migration 0011). Every writer keeps them equal.
 *
 * @example
 * const rows = await keywordRows(env.DB, "demo");
 * expect(rows.chunks.narrow).toEqual(rows.chunks.fts);
 */
export async function keywordRows(db: D1Database, botId: string): Promise<Record<"documents" | "chunks", { fts: KeywordRow[]; narrow: KeywordRow[] }>> {
  const read = async (sql: string) => (await db.prepare(sql).bind(botId).all<KeywordRow>()).results;
  return {
    documents: {
      fts: await read(`SELECT rowid, bot_id AS botId, document_id AS documentId FROM documents_fts WHERE bot_id = ?1 ORDER BY rowid`),
      narrow: await read(`SELECT fts_rowid AS rowid, bot_id AS botId, document_id AS documentId FROM keyword_document_rows WHERE bot_id = ?1 ORDER BY fts_rowid`),
    },
    chunks: {
      fts: await read(`SELECT rowid, bot_id AS botId, document_id AS documentId FROM document_chunks_fts WHERE bot_id = ?1 ORDER BY rowid`),
      narrow: await read(`SELECT fts_rowid AS rowid, bot_id AS botId, document_id AS documentId FROM keyword_chunk_rows WHERE bot_id = ?1 ORDER BY fts_rowid`),
    },
  };
}
