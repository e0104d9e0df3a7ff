/** A bot's image limits (from `bot.images`). */
export interface ImageLimits {
  perSession: number;
  perDay: number;
}

export interface ImageReservation {
  imageId: string;
  botId: string;
  sessionId: string;
  model: string;
  size: string;
  costUsd: number;
  now: Date;
}

export type ReservationResult = { ok: true } | { ok: false; limit: "session" | "day"; max: number };

/** The UTC day of a time, as stored in image_usage.day. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/**
 * Reserves one image against the bot's per-session and per-day quotas in D1, atomically: one
 * INSERT … SELECT … WHERE that only writes while both counts are below their limits, so parallel
 * tool calls and concurrent turns cannot overshoot. Failed images (see `settleImage`) do not count.
 *
 * @example
 * const result = await reserveImage(env.DB, bot.images, { imageId, botId: "demo", sessionId, model, size, costUsd, now: new Date() });
 * if (!result.ok) explain(result.limit, result.max);
 */
export async function reserveImage(db: D1Database, limits: ImageLimits, reservation: ImageReservation): Promise<ReservationResult> {
  const day = utcDay(reservation.now);
  const perDay = Math.max(0, Math.floor(limits.perDay));
  const perSession = Math.max(0, Math.floor(limits.perSession));
  const inserted = await db
    .prepare(
      `INSERT INTO image_usage (image_id, bot_id, session_id, day, model, size, status, cost_usd, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8
       WHERE (SELECT COUNT(*) FROM image_usage WHERE bot_id = ?2 AND day = ?4 AND status != 'failed') < ?9
         AND (SELECT COUNT(*) FROM image_usage WHERE bot_id = ?2 AND session_id = ?3 AND status != 'failed') < ?10`,
    )
    .bind(
      reservation.imageId,
      reservation.botId,
      reservation.sessionId,
      day,
      reservation.model,
      reservation.size,
      reservation.costUsd,
      reservation.now.getTime(),
      perDay,
      perSession,
    )
    .run();
  if (inserted.meta.changes === 1) return { ok: true };
  const used = await db
    .prepare(
      `SELECT
         (SELECT COUNT(*) FROM image_usage WHERE bot_id = ?1 AND day = ?2 AND status != 'failed') AS today,
         (SELECT COUNT(*) FROM image_usage WHERE bot_id = ?1 AND session_id = ?3 AND status != 'failed') AS session`,
    )
    .bind(reservation.botId, day, reservation.sessionId)
    .first<{ today: number; session: number }>();
  if ((used?.session ?? 0) >= perSession) return { ok: false, limit: "session", max: perSession };
  return { ok: false, limit: "day", max: perDay };
}

/** Marks a reserved image as made (it stays counted) or failed (it stops counting, and costs nothing). */
export async function settleImage(db: D1Database, imageId: string, status: "done" | "failed"): Promise<void> {
  await db
    .prepare(`UPDATE image_usage SET status = ?2, cost_usd = CASE WHEN ?2 = 'failed' THEN 0 ELSE cost_usd END WHERE image_id = ?1`)
    .bind(imageId, status)
    .run();
}
