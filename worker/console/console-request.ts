import { isRecord } from "../chat/chat-request";
import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";

/** Console request bodies are small forms. */
const CONSOLE_BODY_LIMITS = { maxBytes: 64 * 1024, maxDepth: 8 };

/** Reads a console request's JSON object body (400 `invalid_request` for anything but an object). */
export async function readConsoleBody(request: Request): Promise<Record<string, unknown>> {
  const body = await readJsonBody(request, CONSOLE_BODY_LIMITS);
  if (!isRecord(body)) throw new HttpError(400, "invalid_request", "The body must be a JSON object.");
  return body;
}

/** A JSON answer of the console API: never cached, never sniffed, and (like every /v1/console answer) no CORS headers. */
export function consoleJson(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = Response.json(body, { status, headers });
  response.headers.set("cache-control", "no-store");
  response.headers.set("x-content-type-options", "nosniff");
  return response;
}

/** 400 with a message per field, for forms: `{ error: { code, message, fields } }`. */
export function invalidFields(code: string, fields: Record<string, string>): HttpError {
  const [path, message] = Object.entries(fields)[0] ?? ["", "is not valid"];
  const more = Object.keys(fields).length > 1 ? ` (and ${Object.keys(fields).length - 1} more)` : "";
  return new HttpError(400, code, `\`${path}\` ${message}${more}.`, {}, fields);
}
