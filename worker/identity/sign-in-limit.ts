import { HttpError } from "../http/http-error";

/** Sign-in attempts allowed per window: per member name, and per client IP. */
export const SIGN_IN_LIMITS = { perName: 10, perIp: 30, windowMs: 15 * 60 * 1000 } as const;

/**
 * Counts a sign-in attempt against the client's IP and the name tried (known or not), in fixed 15-minute
 * windows kept in D1 (works the same locally and in production, and survives isolates). Over either
 * limit: 429 `rate_limited` with Retry-After, before any password is checked. Counting happens before
 * the check, atomically, so parallel guesses cannot slip through.
 *
 * @example
 * await countSignInAttempt(env.DB, { ip: clientIp(request), name });
 */
export async function countSignInAttempt(db: D1Database, keys: { ip: string; name: string }, now = Date.now()): Promise<void> {
  const count = (key: string) =>
    db
      .prepare(
        `INSERT INTO console_sign_in_attempts (key, window_start, count) VALUES (?1, ?2, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE count + 1 END,
           window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
         RETURNING count, window_start`,
      )
      .bind(key, now, SIGN_IN_LIMITS.windowMs);
  const [byIp, byName] = await db.batch<{ count: number; window_start: number }>([count(`ip:${keys.ip}`), count(`name:${keys.name.slice(0, 200)}`)]);
  const ip = byIp!.results[0]!;
  const name = byName!.results[0]!;
  const over = [ip.count > SIGN_IN_LIMITS.perIp ? ip.window_start : undefined, name.count > SIGN_IN_LIMITS.perName ? name.window_start : undefined].filter(
    (start): start is number => start !== undefined,
  );
  if (over.length > 0) {
    const retryAfter = Math.max(1, Math.ceil((Math.max(...over) + SIGN_IN_LIMITS.windowMs - now) / 1000));
    throw new HttpError(429, "rate_limited", "Too many sign-in attempts. Please wait and try again.", { "retry-after": String(retryAfter) });
  }
}

/**
 * After a successful sign-in the name's count starts again and the attempt no longer counts against the IP,
 * so the limits count failures (many people behind one office IP can still sign in).
 */
export async function forgiveSuccessfulAttempt(db: D1Database, keys: { ip: string; name: string }): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM console_sign_in_attempts WHERE key = ?").bind(`name:${keys.name.slice(0, 200)}`),
    db.prepare("UPDATE console_sign_in_attempts SET count = MAX(count - 1, 0) WHERE key = ?").bind(`ip:${keys.ip}`),
  ]);
}
