import { KeywordIndex } from "../rag/keyword-index";

/**
 * Test helper: registers each document (one chunk each) in the document registry, as ingestion
 * does (rankDocuments counts the bot's documents there), and in the keyword index.
 *
 * @example
 * const index = await indexKeywordDocuments(env.DB, "demo", { "keys.md": "Rotate an API key." });
 */
export async function indexKeywordDocuments(db: D1Database, botId: string, documents: Record<string, string>): Promise<KeywordIndex> {
  const index = new KeywordIndex(db);
  for (const [id, body] of Object.entries(documents)) {
    await db
      .prepare(
        `INSERT OR REPLACE INTO documents (bot_id, id, title, url, format, content_hash, bytes, chunk_count, status, error, embedding_model, created_at, updated_at)
         VALUES (?1, ?2, ?2, '/', 'text', 'h', 1, 1, 'ready', NULL, 'm', 0, 0)`,
      )
      .bind(botId, id)
      .run();
    await index.replaceDocument(botId, id, [{ documentId: id, chunkIndex: 0, title: "", url: "/", heading: "", body }]);
  }
  return index;
}
