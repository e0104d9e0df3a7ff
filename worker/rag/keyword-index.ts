import { termsOf } from "./text-tokens";

export interface KeywordChunk {
  documentId: string;
  chunkIndex: number;
  title: string;
  url: string;
  heading: string;
  body: string;
}

export interface KeywordHit extends KeywordChunk {
  /** FTS5 bm25() rank: lower is better. */
  rank: number;
}

/**
 * The keyword side of hybrid retrieval: D1's FTS5 over each chunk's stemmed terms, ranked by
 * SQLite's bm25(). Scoped to one bot by a column the caller cannot choose.
 */
export class KeywordIndex {
  constructor(private readonly db: D1Database) {}

  /**
   * Replaces every row of one document with its new chunks (one D1 batch: all or nothing), plus its
   * whole-document row (in documents_fts, with its first chunk for display) so that a document
   * whose words are spread over several chunks is still found as a whole.
   */
  async replaceDocument(botId: string, documentId: string, chunks: readonly KeywordChunk[]): Promise<void> {
    await this.db.batch(this.replaceStatements(botId, documentId, chunks));
  }

  /** Replaces several documents' rows, in D1 batches that never split a document. */
  async replaceDocuments(botId: string, documents: readonly { documentId: string; chunks: readonly KeywordChunk[] }[]): Promise<void> {
    let batch: D1PreparedStatement[] = [];
    for (const { documentId, chunks } of documents) {
      if (batch.length > 0 && batch.length + chunks.length > 500) {
        await this.db.batch(batch);
        batch = [];
      }
      batch.push(...this.replaceStatements(botId, documentId, chunks));
    }
    if (batch.length > 0) await this.db.batch(batch);
  }

  private replaceStatements(botId: string, documentId: string, chunks: readonly KeywordChunk[]): D1PreparedStatement[] {
    const statements = [
      this.db.prepare(`DELETE FROM document_chunks_fts WHERE bot_id = ?1 AND document_id = ?2`).bind(botId, documentId),
      this.db.prepare(`DELETE FROM documents_fts WHERE bot_id = ?1 AND document_id = ?2`).bind(botId, documentId),
    ];
    const first = chunks[0];
    if (first) {
      const allText = chunks.map((chunk) => `${chunk.heading}\n${chunk.body}`).join("\n");
      statements.push(
        this.db
          .prepare(
            `INSERT INTO documents_fts (terms, bot_id, document_id, title, url, heading, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
          )
          .bind(termsOf(`${first.title}\n${allText}`).join(" "), botId, documentId, first.title, first.url, first.heading, first.body),
      );
    }
    for (const chunk of chunks) {
      statements.push(
        this.db
          .prepare(
            `INSERT INTO document_chunks_fts (terms, bot_id, document_id, chunk_index, title, url, heading, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
          )
          .bind(termsOf(`${chunk.title}\n${chunk.heading}\n${chunk.body}`).join(" "), botId, documentId, chunk.chunkIndex, chunk.title, chunk.url, chunk.heading, chunk.body),
      );
    }
    return statements;
  }

  async deleteDocument(botId: string, documentId: string): Promise<void> {
    await this.db.batch([
      this.db.prepare(`DELETE FROM document_chunks_fts WHERE bot_id = ?1 AND document_id = ?2`).bind(botId, documentId),
      this.db.prepare(`DELETE FROM documents_fts WHERE bot_id = ?1 AND document_id = ?2`).bind(botId, documentId),
    ]);
  }

  /**
   * Chunks (or, with level "document", whole documents) of one bot that share words with the
   * query, best first. A document hit carries its first chunk's text and chunkIndex 0.
   */
  async search(botId: string, query: string, limit: number, level: "chunk" | "document" = "chunk"): Promise<KeywordHit[]> {
    const terms = [...new Set(termsOf(query))].slice(0, 32);
    if (terms.length === 0) return [];
    // Every term is quoted, so nothing the visitor types can act as FTS5 query syntax.
    const match = terms.map((term) => `"${term.replace(/"/g, "")}"`).join(" OR ");
    const sql =
      level === "chunk"
        ? `SELECT document_id AS documentId, chunk_index AS chunkIndex, title, url, heading, body, bm25(document_chunks_fts) AS rank
           FROM document_chunks_fts WHERE document_chunks_fts MATCH ?1 AND bot_id = ?2 ORDER BY rank LIMIT ?3`
        : `SELECT document_id AS documentId, 0 AS chunkIndex, title, url, heading, body, bm25(documents_fts) AS rank
           FROM documents_fts WHERE documents_fts MATCH ?1 AND bot_id = ?2 ORDER BY rank LIMIT ?3`;
    const { results } = await this.db.prepare(sql).bind(match, botId, limit).all<KeywordHit>();
    return results;
  }
}
