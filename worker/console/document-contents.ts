import type { DocumentInput } from "../rag/ingest-documents";

/** Characters per stored part: even in UTF-8's worst case a part stays well below D1's 2 MB per value. */
const PART_CHARS = 300_000;

/**
 * Keeps the text of documents as they were last sent for indexing (table `document_contents`), so that
 * "re-index" works without the original file.
 *
 * @example
 * await saveDocumentContents(env.DB, "demo", documents);
 */
export async function saveDocumentContents(db: D1Database, botId: string, documents: readonly Pick<DocumentInput, "id" | "content">[]): Promise<void> {
  if (documents.length === 0) return;
  const statements: D1PreparedStatement[] = [];
  for (const document of documents) {
    statements.push(db.prepare("DELETE FROM document_contents WHERE bot_id = ? AND document_id = ?").bind(botId, document.id));
    for (let start = 0, part = 0; start === 0 || start < document.content.length; start += PART_CHARS, part++) {
      statements.push(
        db.prepare("INSERT INTO document_contents (bot_id, document_id, part, content) VALUES (?, ?, ?, ?)").bind(botId, document.id, part, document.content.slice(start, start + PART_CHARS)),
      );
    }
  }
  await db.batch(statements);
}

/** The stored text of a document, or undefined when none was kept (indexed before contents were stored). */
export async function loadDocumentContent(db: D1Database, botId: string, documentId: string): Promise<string | undefined> {
  const { results } = await db
    .prepare("SELECT content FROM document_contents WHERE bot_id = ? AND document_id = ? ORDER BY part")
    .bind(botId, documentId)
    .all<{ content: string }>();
  return results.length > 0 ? results.map((row) => row.content).join("") : undefined;
}

export async function deleteDocumentContent(db: D1Database, botId: string, documentId: string): Promise<void> {
  await db.prepare("DELETE FROM document_contents WHERE bot_id = ? AND document_id = ?").bind(botId, documentId).run();
}
