import { startSync, type SyncDependencies } from "./source-sync";
import { enqueuePages, SourceStore } from "./source-store";

/** Queued pages untouched this long had their message lost (e.g. a restart of local dev): sent again. */
export const STALLED_AFTER_MS = 5 * 60 * 1000;

/** `EDGECHAT_SYNC_STALLED_AFTER_SECONDS` (1 s … 1 day) in ms, else STALLED_AFTER_MS. */
export function stalledAfterMsFromEnv(env: { EDGECHAT_SYNC_STALLED_AFTER_SECONDS?: string }): number {
  const seconds = Number(env.EDGECHAT_SYNC_STALLED_AFTER_SECONDS);
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= 86_400 ? seconds * 1000 : STALLED_AFTER_MS;
}

/**
 * The Cron Trigger's work: starts the scheduled syncs that are due, and re-sends the messages of pages that a
 * running sync claimed but nobody processed (a worker restart lost them). Resending is safe: a page already
 * done by its sync is acknowledged without work.
 */
export async function runScheduledSyncs(deps: SyncDependencies, stalledAfterMs = STALLED_AFTER_MS): Promise<{ started: number; resent: number }> {
  const store = new SourceStore(deps.db);
  const now = (deps.now ?? Date.now)();
  let started = 0;
  for (const source of await store.due(now)) if (await startSync(deps, source, "schedule")) started++;
  const stalled = await store.stalledPages(now - stalledAfterMs);
  const bySync = new Map<string, typeof stalled>();
  for (const page of stalled) bySync.set(page.sync_id, [...(bySync.get(page.sync_id) ?? []), page]);
  for (const pages of bySync.values()) {
    const { bot_id: botId, source_id: sourceId, sync_id: syncId } = pages[0]!;
    const urls = pages.map((page) => page.url);
    await store.touch(sourceId, urls, now);
    await enqueuePages(deps.queue, { botId, sourceId, syncId }, urls);
  }
  return { started, resent: stalled.length };
}
