import type { DocumentFormat } from "./chunk-document";

export type DocumentStatus = "indexing" | "ready" | "failed";

/** One document of a bot as the registry records it. */
export interface DocumentRecord {
  id: string;
  title: string;
  url: string;
  format: DocumentFormat;
  contentHash: string;
  bytes: number;
  chunkCount: number;
  status: DocumentStatus;
  error: string | null;
  embeddingModel: string;
  /** The knowledge source the document came from (worker/sources), or null when pushed by API or CLI. */
  sourceId: string | null;
  createdAt: number;
  updatedAt: number;
}

const COLUMNS = `id, title, url, format, content_hash AS contentHash, bytes, chunk_count AS chunkCount, status, error,
  embedding_model AS embeddingModel, source_id AS sourceId, created_at AS createdAt, updated_at AS updatedAt`;

/** The D1 table `documents` (migrations/0001_documents.sql): each bot's documents and their indexing state. */
export class DocumentRegistry {
  constructor(private readonly db: D1Database) {}

  async get(botId: string, documentId: string): Promise<DocumentRecord | null> {
    return this.db.prepare(`SELECT ${COLUMNS} FROM documents WHERE bot_id = ?1 AND id = ?2`).bind(botId, documentId).first<DocumentRecord>();
  }

  /** The records of several documents of one bot, by id (missing ids are absent). */
  async getMany(botId: string, documentIds: readonly string[]): Promise<Map<string, DocumentRecord>> {
    const { results } = await this.db
      .prepare(`SELECT ${COLUMNS} FROM documents WHERE bot_id = ?1 AND id IN (SELECT value FROM json_each(?2))`)
      .bind(botId, JSON.stringify(documentIds))
      .all<DocumentRecord>();
    return new Map(results.map((record) => [record.id, record]));
  }

  async list(botId: string): Promise<DocumentRecord[]> {
    const { results } = await this.db.prepare(`SELECT ${COLUMNS} FROM documents WHERE bot_id = ?1 ORDER BY id`).bind(botId).all<DocumentRecord>();
    return results;
  }

  async put(botId: string, record: DocumentRecord): Promise<void> {
    await this.putMany(botId, [record]);
  }

  /** Inserts or updates several records in one D1 batch. */
  async putMany(botId: string, records: readonly DocumentRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.batch(records.map((record) => this.upsertStatement(botId, record)));
  }

  private upsertStatement(botId: string, record: DocumentRecord): D1PreparedStatement {
    return this.db
      .prepare(
        `INSERT INTO documents (bot_id, id, title, url, format, content_hash, bytes, chunk_count, status, error, embedding_model, created_at, updated_at, source_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (bot_id, id) DO UPDATE SET title = excluded.title, url = excluded.url, format = excluded.format,
           content_hash = excluded.content_hash, bytes = excluded.bytes, chunk_count = excluded.chunk_count, status = excluded.status,
           error = excluded.error, embedding_model = excluded.embedding_model, updated_at = excluded.updated_at, source_id = excluded.source_id`,
      )
      .bind(
        botId,
        record.id,
        record.title,
        record.url,
        record.format,
        record.contentHash,
        record.bytes,
        record.chunkCount,
        record.status,
        record.error,
        record.embeddingModel,
        record.createdAt,
        record.updatedAt,
        record.sourceId,
      );
  }

  async delete(botId: string, documentId: string): Promise<void> {
    await this.db.prepare(`DELETE FROM documents WHERE bot_id = ?1 AND id = ?2`).bind(botId, documentId).run();
  }
}
