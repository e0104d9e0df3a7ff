import { parseRobotsTxt } from "./robots-txt";
import { CRAWLER_AGENT, processSyncMessage, RetryLaterError, type SyncDependencies } from "./source-sync";
import { SourceStore } from "./source-store";
import type { SyncMessage } from "./source-types";

/** Requests in flight to one host at a time (1 when its robots.txt asks for a crawl delay). */
export const PER_HOST_CONCURRENCY = 4;
/** The longest crawl delay honoured, in seconds; a site asking for more gets this. */
export const MAX_CRAWL_DELAY_SECONDS = 5;

/**
 * The queue consumer: processes a batch of sync messages, at most PER_HOST_CONCURRENCY per host at once (or one
 * at a time with the site's crawl delay between them), acknowledging each message when its page is done and
 * asking for redelivery with backoff when the site answered 429/5xx or something failed on our side.
 */
export async function consumeSyncBatch(deps: SyncDependencies, batch: MessageBatch<SyncMessage>): Promise<void> {
  const byHost = new Map<string, Message<SyncMessage>[]>();
  for (const message of batch.messages) {
    let host = "";
    try {
      host = new URL(message.body.url).host;
    } catch {
      message.ack();
      continue;
    }
    byHost.set(host, [...(byHost.get(host) ?? []), message]);
  }
  await Promise.all(
    [...byHost.values()].map(async (messages) => {
      const sync = await new SourceStore(deps.db).getSync(messages[0]!.body.syncId);
      const delay = sync?.robots ? Math.min(MAX_CRAWL_DELAY_SECONDS, parseRobotsTxt(sync.robots, CRAWLER_AGENT).crawlDelaySeconds ?? 0) : 0;
      const queue = [...messages];
      const worker = async (first: boolean) => {
        for (let message = queue.shift(), started = first; message; message = queue.shift(), started = false) {
          if (delay > 0 && !started) await new Promise((resolve) => setTimeout(resolve, delay * 1000));
          await handle(deps, message);
        }
      };
      await Promise.all(Array.from({ length: delay > 0 ? 1 : Math.min(PER_HOST_CONCURRENCY, messages.length) }, () => worker(true)));
    }),
  );
}

async function handle(deps: SyncDependencies, message: Message<SyncMessage>): Promise<void> {
  try {
    await processSyncMessage(deps, message.body);
    message.ack();
  } catch (error) {
    if (error instanceof RetryLaterError) {
      message.retry({ delaySeconds: error.delaySeconds });
      return;
    }
    console.error(`edgechat: sync message for ${message.body.url} failed (attempt ${message.attempts})`, error);
    message.retry({ delaySeconds: Math.min(300, 5 * 2 ** Math.max(0, message.attempts - 1)) });
  }
}
