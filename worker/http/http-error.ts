/**
 * The one error type of the worker's HTTP surface. It renders itself as
 * `{ "error": { "code", "message", "fields"? } }` with its status, so every endpoint
 * answers bad input the same way. `fields` maps a field path (e.g. "theme.primaryColor") to what is wrong
 * with it, for forms that show the message next to the field.
 *
 * @example
 * throw new HttpError(413, "message_too_long", "The message is longer than 8192 bytes.");
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
  }

  toResponse(extraHeaders: HeadersInit = {}): Response {
    const headers = new Headers(extraHeaders);
    headers.set("content-type", "application/json; charset=utf-8");
    headers.set("cache-control", "no-store");
    for (const [name, value] of Object.entries(this.headers)) headers.set(name, value);
    return new Response(JSON.stringify({ error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } }), {
      status: this.status,
      headers,
    });
  }
}

/**
 * Turns anything thrown by a route into a response: an HttpError renders itself,
 * everything else is logged and answered with a generic 500 that reveals no internals.
 */
export function errorToResponse(error: unknown, log: (message: string, error: unknown) => void = logError): Response {
  if (error instanceof HttpError) return error.toResponse();
  log("edgechat: unhandled error", error);
  return new HttpError(500, "internal_error", "Something went wrong on our side. Please try again.").toResponse();
}

function logError(message: string, error: unknown): void {
  console.error(message, error instanceof Error ? (error.stack ?? error.message) : error);
}
