import type { Bot } from "../bots/bot";
import { HttpError } from "../http/http-error";

/**
 * Normalises an origin as an admin writes it or a browser sends it: `scheme://host[:port]`, http(s) only,
 * no path, query, credentials or wildcard. Default ports are dropped (`https://a.com:443` is `https://a.com`).
 * Returns undefined for anything else, including the literal `null` a sandboxed page sends.
 *
 * @example
 * parseOrigin("https://Docs.Example.com:443") // "https://docs.example.com"
 * parseOrigin("https://*.example.com")        // undefined
 */
export function parseOrigin(value: string): string | undefined {
  if (!/^https?:\/\/[^/?#*\s]+\/?$/i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username || url.password || (url.protocol !== "http:" && url.protocol !== "https:")) return undefined;
  return url.origin;
}

/**
 * Whether a page at `origin` may use `bot`: an exact match of scheme, host and port against the bot's
 * allowed origins, or the worker's own origin (its hosted page `/b/:id` and demo page). No suffix or
 * prefix matching, no reflection of whatever arrives.
 */
export function isOriginAllowed(origin: string, bot: Bot, selfOrigin: string): boolean {
  const normalised = parseOrigin(origin);
  if (!normalised) return false;
  return normalised === selfOrigin || bot.allowedOrigins.includes(normalised);
}

/**
 * Refuses a request from a page the bot does not allow (403). A request without an Origin header is
 * refused when `originRequired` (browsers always send Origin on POST, so only a non-browser client omits
 * it); GETs carry their own key (a session token) and may come without Origin, as same-origin GETs do.
 */
export function requireAllowedOrigin(request: Request, bot: Bot, selfOrigin: string, originRequired: boolean): void {
  const origin = request.headers.get("origin");
  if (origin === null) {
    if (originRequired) {
      throw new HttpError(403, "origin_required", "This bot only answers pages of its allowed origins, and the request has no Origin header.");
    }
    return;
  }
  if (!isOriginAllowed(origin, bot, selfOrigin)) {
    throw new HttpError(403, "origin_not_allowed", "This bot is not enabled for the page's origin. Add the origin to the bot's allowedOrigins.");
  }
}

/** The CORS headers for a response to an origin that was checked. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "retry-after, content-type, x-vercel-ai-ui-message-stream",
    vary: "Origin",
  };
}

/** Copies a response with CORS headers for `origin` (works for streamed bodies too). */
export function withCors(response: Response, origin: string): Response {
  const copy = new Response(response.body, response);
  for (const [name, value] of Object.entries(corsHeaders(origin))) {
    if (name === "vary") copy.headers.append("vary", value);
    else copy.headers.set(name, value);
  }
  return copy;
}

/**
 * Whether some bot of this deployment allows `origin` (or it is the worker's own): the question a CORS
 * preflight can answer, since it carries no bot id. The route then checks the specific bot.
 */
export async function isKnownOrigin(db: D1Database | undefined, origin: string, selfOrigin: string): Promise<boolean> {
  const normalised = parseOrigin(origin);
  if (!normalised) return false;
  if (normalised === selfOrigin) return true;
  if (!db) return false;
  const row = await db.prepare("SELECT 1 AS found FROM bot_origins WHERE origin = ? LIMIT 1").bind(normalised).first();
  return row !== null;
}

/** Answers a CORS preflight for the visitor-facing endpoints: allowed for known origins only. */
export async function handlePreflight(request: Request, db: D1Database | undefined, selfOrigin: string): Promise<Response> {
  const origin = request.headers.get("origin");
  if (origin === null || !(await isKnownOrigin(db, origin, selfOrigin))) {
    return new HttpError(403, "origin_not_allowed", "No bot of this worker is enabled for the page's origin.").toResponse({ vary: "Origin" });
  }
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "content-type, authorization",
      "access-control-max-age": "600",
    },
  });
}
