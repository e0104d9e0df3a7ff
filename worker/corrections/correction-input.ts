import { isRecord } from "../chat/chat-request";
import { HttpError } from "../http/http-error";

/** What an editor writes: the question, more phrasings of it, the right answer and optional links. */
export interface CorrectionInput {
  question: string;
  phrasings: string[];
  /** Markdown; the widget renders it as text (never as HTML). */
  answer: string;
  sources: { title: string; url: string }[];
}

export const CORRECTION_LIMITS = {
  maxQuestionLength: 500,
  maxPhrasings: 20,
  maxAnswerLength: 8000,
  maxSources: 5,
  maxSourceTitleLength: 200,
  maxUrlLength: 2048,
  maxCorrectionsPerBot: 2000,
  maxImportLines: 2000,
  maxBodyBytes: 4 * 1024 * 1024,
} as const;

/** Correction ids the server makes (`cor_` and a UUID); a path parameter is checked against this before any query. */
export const CORRECTION_ID = /^cor_[0-9a-f-]{36}$/;

/**
 * Checks one correction from a request body (JSON) or an import line, and returns it trimmed.
 * Throws a 400 `invalid_correction` whose message names the field (`where` prefixes it, e.g. "line 3").
 *
 * @example
 * parseCorrection({ question: "Do you ship to Canada?", answer: "Yes, in 5 days." })
 */
export function parseCorrection(value: unknown, where = "correction"): CorrectionInput {
  if (!isRecord(value)) throw invalid(`${where} must be a JSON object { question, phrasings?, answer, sources? }.`);
  const allowed = new Set(["question", "phrasings", "answer", "sources", "id", "usedCount", "lastUsedAt", "createdAt", "updatedAt"]);
  const unknown = Object.keys(value).find((key) => !allowed.has(key));
  if (unknown !== undefined) throw invalid(`${where} has an unknown field "${unknown.slice(0, 40)}".`);
  const question = text(value.question, `${where}.question`, CORRECTION_LIMITS.maxQuestionLength);
  const phrasingsValue = value.phrasings ?? [];
  if (!Array.isArray(phrasingsValue) || phrasingsValue.length > CORRECTION_LIMITS.maxPhrasings) {
    throw invalid(`${where}.phrasings must be an array of at most ${CORRECTION_LIMITS.maxPhrasings} strings.`);
  }
  const phrasings: string[] = [];
  phrasingsValue.forEach((phrasing, i) => {
    const clean = text(phrasing, `${where}.phrasings[${i}]`, CORRECTION_LIMITS.maxQuestionLength);
    if (clean.toLowerCase() !== question.toLowerCase() && !phrasings.some((p) => p.toLowerCase() === clean.toLowerCase())) phrasings.push(clean);
  });
  const answer = text(value.answer, `${where}.answer`, CORRECTION_LIMITS.maxAnswerLength);
  const sourcesValue = value.sources ?? [];
  if (!Array.isArray(sourcesValue) || sourcesValue.length > CORRECTION_LIMITS.maxSources) {
    throw invalid(`${where}.sources must be an array of at most ${CORRECTION_LIMITS.maxSources} { title, url } links.`);
  }
  const sources = sourcesValue.map((source, i) => {
    const at = `${where}.sources[${i}]`;
    if (!isRecord(source)) throw invalid(`${at} must be an object { title, url }.`);
    const title = text(source.title, `${at}.title`, CORRECTION_LIMITS.maxSourceTitleLength);
    if (typeof source.url !== "string" || source.url.length > CORRECTION_LIMITS.maxUrlLength || !isHttpUrl(source.url)) {
      throw invalid(`${at}.url must be an http:// or https:// URL of at most ${CORRECTION_LIMITS.maxUrlLength} characters.`);
    }
    return { title, url: source.url };
  });
  return { question, phrasings, answer, sources };
}

/**
 * Parses a JSONL import body: one correction per non-empty line. Every line is checked before anything is
 * written; all problems come back at once as a 400 `invalid_import` with `{ line, message }` per bad line.
 */
export function parseCorrectionLines(body: string): CorrectionInput[] {
  const lines = body.split(/\r?\n/);
  const corrections: CorrectionInput[] = [];
  const errors: { line: number; message: string }[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.push({ line: i + 1, message: `${where} is not valid JSON.` });
      return;
    }
    try {
      corrections.push(parseCorrection(value, where));
    } catch (error) {
      errors.push({ line: i + 1, message: error instanceof Error ? error.message : String(error) });
    }
  });
  if (errors.length > 0) throw new ImportError(errors);
  if (corrections.length === 0) throw new HttpError(400, "invalid_import", "The import has no corrections (one JSON object per line).");
  if (corrections.length > CORRECTION_LIMITS.maxImportLines) {
    throw new HttpError(413, "too_many_corrections", `Import at most ${CORRECTION_LIMITS.maxImportLines} corrections at once.`);
  }
  return corrections;
}

/** A rejected import: the per-line problems travel in the error body as `error.lines`; nothing was written. */
export class ImportError extends HttpError {
  constructor(readonly lines: { line: number; message: string }[]) {
    super(400, "invalid_import", `${lines.length} line(s) are invalid; nothing was imported. First: ${lines[0]!.message}`);
  }

  override toResponse(extraHeaders: HeadersInit = {}): Response {
    const response = super.toResponse(extraHeaders);
    const body = { error: { code: this.code, message: this.message, lines: this.lines.slice(0, 100) } };
    return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
  }
}

function text(value: unknown, where: string, maxLength: number): string {
  if (typeof value !== "string" || value.trim() === "" || value.trim().length > maxLength) {
    throw invalid(`${where} must be a non-empty string of at most ${maxLength} characters.`);
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) throw invalid(`${where} contains control characters.`);
  return value.trim();
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "https:" || parsed.protocol === "http:") && !/[\s<>"]/.test(url) && parsed.username === "" && parsed.password === "";
  } catch {
    return false;
  }
}

function invalid(message: string): HttpError {
  return new HttpError(400, "invalid_correction", message);
}
