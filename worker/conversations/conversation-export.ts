import type { EdgechatEnv } from "../env";
import { sessionStub } from "../sessions/session-store";
import { listConversations } from "./conversation-index";
import { decodeCursor, type ConversationFilters } from "./conversation-query";
import { answerRecords, transcriptMessages } from "./conversation-transcript";
import type { TranscriptMessage } from "./conversation-types";

export type ExportFormat = "jsonl" | "csv";

/** One row per message, in this column order (the CSV header). */
export const EXPORT_COLUMNS = ["sessionId", "time", "role", "author", "text", "tier", "model", "costUsd", "sources", "feedback"] as const;

export interface ExportRow {
  sessionId: string;
  /** ISO 8601 (UTC). */
  time: string;
  role: "user" | "assistant";
  /** "visitor", "ai", or the name of the person who wrote it. */
  author: string;
  text: string;
  tier: string | null;
  model: string | null;
  costUsd: number | null;
  sources: { title?: string; url?: string }[];
  feedback: "up" | "down" | null;
}

/** How much one step of the export holds: conversations per batch, session objects read at once. */
export const EXPORT_BATCH = { conversations: 50, concurrency: 10 } as const;

/**
 * A bot's conversations as a stream of JSONL or CSV rows, one per message, with the inbox's filters. It pages
 * through the inbox index in batches and reads each batch's session objects only when the reader asks for
 * more (pull with no read-ahead), so memory holds one batch whatever the size of the export.
 *
 * @example
 * return new Response(exportConversations(env, "demo", { flags: [] }, "csv"), { headers: { "content-type": "text/csv" } });
 */
export function exportConversations(
  env: EdgechatEnv,
  botId: string,
  filters: ConversationFilters,
  format: ExportFormat,
  batch: { conversations: number; concurrency: number } = EXPORT_BATCH,
): ReadableStream<Uint8Array> {
  const db = env.DB!;
  const encoder = new TextEncoder();
  let cursor: string | null | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (format === "csv") controller.enqueue(encoder.encode(csvLine(EXPORT_COLUMNS)));
      },
      async pull(controller) {
        const page = await listConversations(db, botId, { ...filters, limit: batch.conversations, ...(cursor ? { cursor: decodeCursor(cursor) } : {}) });
        const ids = page.conversations.map((conversation) => conversation.sessionId);
        const [records, transcripts] = await Promise.all([
          answerRecords(db, botId, ids),
          mapWithConcurrency(ids, batch.concurrency, (sessionId) => sessionStub(env, botId, sessionId).messages()),
        ]);
        let text = "";
        ids.forEach((sessionId, i) => {
          for (const row of exportRows(sessionId, transcriptMessages(transcripts[i]!, records))) {
            text += format === "csv" ? csvLine(EXPORT_COLUMNS.map((column) => csvValue(row[column]))) : `${JSON.stringify(row)}\n`;
          }
        });
        if (text) controller.enqueue(encoder.encode(text));
        cursor = page.nextCursor;
        if (!cursor) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The export rows of one conversation's transcript. */
export function exportRows(sessionId: string, messages: TranscriptMessage[]): ExportRow[] {
  return messages.map((message) => ({
    sessionId,
    time: new Date(message.createdAt).toISOString(),
    role: message.role,
    author: message.author.kind === "human" ? message.author.name : message.author.kind,
    text: message.text,
    tier: message.metadata?.tier ?? null,
    model: message.metadata?.model ?? null,
    costUsd: message.metadata?.costUsd ?? null,
    sources: message.metadata?.sources ?? [],
    feedback: message.metadata?.feedback ?? null,
  }));
}

/**
 * One CSV record (RFC 4180: CRLF line end; a field with a comma, quote, CR or LF is quoted, quotes doubled).
 * A text cell starting with = + - @ (or a tab or CR) gets a leading `'`, so a spreadsheet never runs visitor
 * or model text as a formula (CSV injection).
 *
 * @example
 * csvLine(["=HYPERLINK(\"x\")", "a,b", 3]) // "\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",3\r\n"
 */
export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A row's value as a CSV cell: sources become their URLs separated by spaces. */
function csvValue(value: ExportRow[keyof ExportRow]): string | number | null {
  if (Array.isArray(value)) return value.map((source) => source.url ?? source.title ?? "").join(" ");
  return value;
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
