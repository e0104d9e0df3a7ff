import { APICallError } from "ai";

/** Bounds of failover: how long to honour Retry-After, and when a silent provider counts as failed. */
export interface FailoverOptions {
  /** Longest wait for a Retry-After before calling the other tier (ms). Default 2000. */
  maxRetryAfterMs: number;
  /** A call that streams no text within this time is abandoned; before any text that means failover (ms). Default 20000. */
  firstTokenTimeoutMs: number;
  /** After text has streamed, a gap this long between chunks ends the turn with an error (ms). Default 30000. */
  idleTimeoutMs: number;
}

export const DEFAULT_FAILOVER: FailoverOptions = Object.freeze({
  maxRetryAfterMs: 2000,
  firstTokenTimeoutMs: 20_000,
  idleTimeoutMs: 30_000,
});

/** The error our own timers abort a model call with. */
export class ModelTimeoutError extends Error {
  constructor(readonly phase: "first-token" | "idle", ms: number) {
    super(`The model sent nothing for ${ms} ms (${phase}).`);
    this.name = "ModelTimeoutError";
  }
}

/**
 * Whether an error before the first token should move the turn to the other tier: rate limits (429),
 * server errors (5xx), timeouts (408 and our own), network and stream failures. Client errors (400, 401,
 * 403, 404, 422) would fail on the other tier too, so they end the turn.
 */
export function isFailoverError(error: unknown): boolean {
  if (error instanceof ModelTimeoutError) return true;
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === undefined) return true; // no response at all: network failure
    return status === 408 || status === 429 || status >= 500;
  }
  // Anything else before the first token is the connection or the stream failing (fetch failed, connection
  // lost, unparseable stream); only the visitor's own abort is not a provider failure.
  return !(error instanceof Error && error.name === "AbortError");
}

/** A short code for the turn's reasons, e.g. "failover-429", "failover-timeout". */
export function failoverReason(error: unknown): string {
  if (error instanceof ModelTimeoutError) return "failover-timeout";
  if (APICallError.isInstance(error) && error.statusCode !== undefined) return `failover-${error.statusCode}`;
  return "failover-network";
}

/**
 * Milliseconds the provider asked us to wait (Retry-After in seconds or as an HTTP date, or
 * retry-after-ms), capped at `maxMs`; 0 when it did not ask.
 *
 * @example
 * retryAfterMs(new APICallError({ …, responseHeaders: { "retry-after": "1" } }), 2000) // 1000
 */
export function retryAfterMs(error: unknown, maxMs: number, now = Date.now()): number {
  if (!APICallError.isInstance(error)) return 0;
  const headers = lowerCaseKeys(error.responseHeaders);
  let ms = 0;
  const precise = headers["retry-after-ms"];
  const header = headers["retry-after"];
  if (precise !== undefined && Number.isFinite(Number(precise))) ms = Number(precise);
  else if (header !== undefined) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) ms = seconds * 1000;
    else {
      const date = Date.parse(header);
      if (Number.isFinite(date)) ms = date - now;
    }
  }
  return Math.max(0, Math.min(ms, maxMs));
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) result[key.toLowerCase()] = value;
  return result;
}
