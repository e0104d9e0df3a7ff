import { ApiError, consoleApi, errorFrom } from "./console-api";
import { botUrl } from "./bots-api";

// The corrections endpoints of the console API (worker/routes/console-corrections-route.ts), and the one place
// that reads their answers.

/** What an editor writes: the question, more phrasings, the right answer (Markdown) and optional links. */
export interface CorrectionFields {
  question: string;
  phrasings?: string[];
  answer: string;
  sources?: { title: string; url: string }[];
}

/** A curated answer as the API lists it. */
export interface Correction extends Required<CorrectionFields> {
  id: string;
  usedCount: number;
  lastUsedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A rejected import: what is wrong on each line (nothing was imported). */
export interface ImportLineError {
  line: number;
  message: string;
}

const correctionsUrl = (botId: string) => `${botUrl(botId)}/corrections`;
const correctionUrl = (botId: string, id: string) => `${correctionsUrl(botId)}/${encodeURIComponent(id)}`;

export async function listCorrections(botId: string): Promise<Correction[]> {
  return (await consoleApi<{ corrections: Correction[] }>("GET", correctionsUrl(botId))).corrections;
}

/** Adds a correction (no id) or replaces one (with its id). */
export async function saveCorrection(botId: string, fields: CorrectionFields, id?: string): Promise<Correction> {
  const body = await consoleApi<{ correction: Correction }>(id ? "PUT" : "POST", id ? correctionUrl(botId, id) : correctionsUrl(botId), fields);
  return body.correction;
}

export async function deleteCorrection(botId: string, id: string): Promise<void> {
  await consoleApi("DELETE", correctionUrl(botId, id));
}

/** The JSONL export's URL (a plain link downloads it with the session cookie). */
export const exportCorrectionsUrl = (botId: string) => `${correctionsUrl(botId)}?format=jsonl`;

/**
 * Imports a JSONL file: `{ imported }`, or `{ lines }` with the problem of each bad line (then nothing was
 * imported). Other refusals (413, 409, 401) throw an ApiError.
 */
export async function importCorrections(botId: string, jsonl: string): Promise<{ imported: number } | { lines: ImportLineError[]; message: string }> {
  let response: Response;
  try {
    response = await fetch(`${correctionsUrl(botId)}/import`, { method: "POST", credentials: "same-origin", headers: { accept: "application/json", "content-type": "application/x-ndjson" }, body: jsonl });
  } catch {
    throw new ApiError(0, "network_error", "The server could not be reached. Check your connection and try again.");
  }
  const payload = (await response.json().catch(() => undefined)) as { imported?: number; error?: { lines?: ImportLineError[] } } | undefined;
  if (response.ok) return { imported: payload?.imported ?? 0 };
  const lines = payload?.error?.lines;
  const error = errorFrom(response.status, payload);
  if (Array.isArray(lines)) return { lines, message: error.message };
  throw error;
}
