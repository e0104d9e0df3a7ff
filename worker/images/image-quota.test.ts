import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { reserveImage, settleImage, utcDay, type ImageReservation } from "./image-quota";
import { newImageId } from "./image-store";

const db = (env as unknown as { DB: D1Database }).DB;
const now = new Date("2026-05-06T23:59:00.000Z");

function reservation(sessionId: string, overrides: Partial<ImageReservation> = {}): ImageReservation {
  return { imageId: newImageId(), botId: "quota-test", sessionId, model: "m", size: "1024x1024", costUsd: 0.01, now, ...overrides };
}

afterEach(async () => {
  await db.prepare("DELETE FROM image_usage").run();
});

describe("image quotas in D1", () => {
  it("never lets parallel reservations overshoot the per-session limit", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => reserveImage(db, { perSession: 2, perDay: 100 }, reservation("s"))));
    expect(results.filter((result) => result.ok)).toHaveLength(2);
    expect(results.find((result) => !result.ok)).toEqual({ ok: false, limit: "session", max: 2 });
  });

  it("counts the daily limit per bot and per UTC day", async () => {
    const limits = { perSession: 10, perDay: 1 };
    expect(await reserveImage(db, limits, reservation("a"))).toEqual({ ok: true });
    expect(await reserveImage(db, limits, reservation("b"))).toEqual({ ok: false, limit: "day", max: 1 });
    expect(await reserveImage(db, limits, reservation("b", { botId: "other-bot" }))).toEqual({ ok: true });
    const tomorrow = new Date(now.getTime() + 2 * 60_000);
    expect(utcDay(tomorrow)).toBe("2026-05-07");
    expect(await reserveImage(db, limits, reservation("b", { now: tomorrow }))).toEqual({ ok: true });
  });

  it("stops counting a failed image and keeps its cost at zero", async () => {
    const first = reservation("s");
    const limits = { perSession: 1, perDay: 1 };
    expect((await reserveImage(db, limits, first)).ok).toBe(true);
    await settleImage(db, first.imageId, "failed");
    const row = await db.prepare("SELECT status, cost_usd FROM image_usage WHERE image_id = ?").bind(first.imageId).first();
    expect(row).toEqual({ status: "failed", cost_usd: 0 });
    const second = reservation("s");
    expect((await reserveImage(db, limits, second)).ok).toBe(true);
    await settleImage(db, second.imageId, "done");
    expect(await db.prepare("SELECT status, cost_usd FROM image_usage WHERE image_id = ?").bind(second.imageId).first()).toEqual({
      status: "done",
      cost_usd: 0.01,
    });
  });

  it("allows nothing with a limit of zero", async () => {
    expect(await reserveImage(db, { perSession: 0, perDay: 5 }, reservation("s"))).toEqual({ ok: false, limit: "session", max: 0 });
  });
});
