/** An error answer of the console API: `{ error: { code, message, fields? } }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Messages by field path, e.g. { "theme.primaryColor": "must be a #rrggbb colour" }. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Called when the API says the session is gone (401), so the app can show the sign-in page. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/**
 * Calls the console API (same origin, the session cookie rides along) and returns its JSON.
 * Errors become an ApiError carrying the server's code, message and per-field messages.
 *
 * @example
 * const { bots } = await consoleApi<{ bots: ConsoleBot[] }>("GET", "/v1/console/bots");
 */
export async function consoleApi<T>(method: string, path: string, body?: unknown, { quiet401 = false } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network_error", "The server could not be reached. Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const payload = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = errorFrom(response.status, payload, response.headers.get("retry-after"));
    if (response.status === 401 && !quiet401) onSignedOut();
    throw error;
  }
  return payload as T;
}

/** Reads an error answer, whatever shape it has, into an ApiError with a sentence for people. */
export function errorFrom(status: number, payload: unknown, retryAfter?: string | null): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | undefined)?.error;
  const code = typeof error?.code === "string" ? error.code : `http_${status}`;
  let message = typeof error?.message === "string" && error.message ? error.message : `The server answered ${status}.`;
  if (status === 429 && retryAfter && /^\d+$/.test(retryAfter)) message += ` Try again in ${retryAfter} s.`;
  const fields: Record<string, string> = {};
  if (error?.fields && typeof error.fields === "object") {
    for (const [path, text] of Object.entries(error.fields as Record<string, unknown>)) if (typeof text === "string") fields[path] = text;
  }
  return new ApiError(status, code, message, fields);
}

/** A sentence for any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
