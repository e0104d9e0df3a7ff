import { HttpError } from "./http-error";

export interface JsonBodyLimits {
  /** Largest accepted body in bytes. */
  maxBytes: number;
  /** Deepest accepted nesting of arrays and objects. */
  maxDepth: number;
}

/**
 * Reads a request body as JSON with hard limits, before anything else looks at it:
 * content type, size (counted while reading, so a lying content-length does not help),
 * valid UTF-8, no lone surrogates or NUL characters, bounded nesting.
 */
export async function readJsonBody(request: Request, limits: JsonBodyLimits): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new HttpError(415, "unsupported_media_type", "Send the request body as JSON with content-type: application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
  const bytes = await readAtMost(request, limits.maxBytes);

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new HttpError(400, "invalid_utf8", "The request body is not valid UTF-8.");
  }
  if (text.includes("\u0000") || /\\u0000/i.test(text)) {
    throw new HttpError(400, "invalid_characters", "The request body contains NUL characters.");
  }
  if (hasLoneSurrogateEscape(text)) {
    throw new HttpError(400, "invalid_characters", "The request body contains an unpaired UTF-16 surrogate.");
  }
  if (nestingDepth(text) > limits.maxDepth) {
    throw new HttpError(400, "too_deeply_nested", `The request body is nested deeper than ${limits.maxDepth} levels.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, "body_too_large", `The request body is larger than ${maxBytes} bytes.`);
}

/**
 * Reads a request body, counting bytes as they arrive: 413 `body_too_large` as soon as it passes `maxBytes`
 * (a lying or missing content-length does not help).
 */
export function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array> {
  return readStreamAtMost(request.body, maxBytes, () => tooLarge(maxBytes));
}

/**
 * Reads a body stream (a request's or a fetched response's) into bytes, cancelling it and throwing
 * `tooLarge()` as soon as it passes `maxBytes`.
 *
 * @example
 * const bytes = await readStreamAtMost(response.body, 5_000_000, () => new Error("too large"));
 */
export async function readStreamAtMost(body: ReadableStream<Uint8Array> | null, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Depth of brackets outside strings, without parsing: cheap and safe on hostile input. */
export function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) deepest = Math.max(deepest, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

/** A `\uD800`-style escape that is not part of a surrogate pair (raw lone surrogates cannot survive UTF-8 decoding). */
function hasLoneSurrogateEscape(json: string): boolean {
  const pattern = /\\u([dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}/g;
  for (const match of json.matchAll(pattern)) {
    if (match[1] === undefined || match[2] === undefined) {
      // A backslash-escaped backslash before "u" is literal text, not an escape.
      const before = json.slice(0, match.index);
      const backslashes = before.length - before.replace(/\\+$/, "").length;
      if (backslashes % 2 === 0) return true;
    }
  }
  return false;
}
