import { HttpError } from "../http/http-error";

/** The window of the `ratelimits` bindings in wrangler.jsonc (60 s): what Retry-After tells the visitor. */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

export interface RateLimiters {
  perSession?: RateLimit;
  perIp?: RateLimit;
}

/**
 * Applies the Workers Rate Limiting bindings, per session and per client IP, both scoped to the bot so
 * one bot's traffic never eats another's allowance. Over a limit: 429 with Retry-After and a message the
 * widget shows as is. A missing binding means no limit of that kind (e.g. an embedder's own worker).
 *
 * @example
 * await enforceRateLimits({ perSession: env.RATE_LIMIT_SESSION, perIp: env.RATE_LIMIT_IP }, { botId, sessionId, ip });
 */
export async function enforceRateLimits(
  limiters: RateLimiters,
  keys: { botId: string; sessionId?: string; ip: string },
): Promise<void> {
  const checks: Promise<boolean>[] = [];
  if (limiters.perIp) checks.push(limiters.perIp.limit({ key: `${keys.botId}|ip|${keys.ip}` }).then((outcome) => outcome.success));
  if (limiters.perSession && keys.sessionId) {
    checks.push(limiters.perSession.limit({ key: `${keys.botId}|session|${keys.sessionId}` }).then((outcome) => outcome.success));
  }
  const results = await Promise.all(checks);
  if (results.includes(false)) {
    throw new HttpError(429, "rate_limited", "You are sending messages too quickly. Please wait a minute and try again.", {
      "retry-after": String(RATE_LIMIT_PERIOD_SECONDS),
    });
  }
}

/**
 * The client's IP as Cloudflare's edge sets it (it overwrites any CF-Connecting-IP a client sends);
 * "local" when there is none (wrangler dev, tests).
 */
export function clientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? "local";
}
