// Drives knowledge-source syncs in worker tests: a queue that records what the worker sends, a loop that hands
// the recorded messages to the worker's real `queue()` handler in batches (redelivering the ones it retries),
// and an embedding model that counts what it embeds.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import type { EdgechatEnv } from "../env";
import type { SyncMessage, SyncQueue } from "../sources/source-types";

interface Pending {
  id: string;
  body: SyncMessage;
  attempts: number;
}

export class RecordingSyncQueue implements SyncQueue {
  pending: Pending[] = [];
  sent = 0;
  retried = 0;
  private counter = 0;

  async sendBatch(messages: Iterable<MessageSendRequest<SyncMessage>>): Promise<void> {
    for (const message of messages) {
      this.pending.push({ id: `m${++this.counter}`, body: structuredClone(message.body), attempts: 1 });
      this.sent++;
    }
  }

  /** Takes the next `size` messages off the queue, as the Queues service hands a consumer a batch. */
  take(size: number): Pending[] {
    return this.pending.splice(0, size);
  }
}

/** Delivers one batch to the worker's queue handler; returns the messages it asked to retry (put back on the queue). */
export async function deliverBatch(worker: ExportedHandler<EdgechatEnv>, bindings: EdgechatEnv, queue: RecordingSyncQueue, messages: Pending[]): Promise<void> {
  const batch = createMessageBatch<SyncMessage>(
    "edgechat-source-sync",
    messages.map((message) => ({ id: message.id, timestamp: new Date(), body: message.body, attempts: message.attempts })),
  );
  const ctx = createExecutionContext();
  await worker.queue!(batch as MessageBatch<unknown>, bindings, ctx);
  const result = await getQueueResult(batch, ctx);
  const retry = new Set(result.retryMessages.map((message: { msgId: string }) => message.msgId));
  for (const message of messages) {
    if (retry.has(message.id) || (result.retryBatch.retry && !result.explicitAcks.includes(message.id))) {
      queue.retried++;
      queue.pending.push({ ...message, attempts: message.attempts + 1 });
    }
  }
}

/** Delivers batches until the queue is empty (or `maxBatches` were delivered). */
export async function drainSyncQueue(worker: ExportedHandler<EdgechatEnv>, bindings: EdgechatEnv, queue: RecordingSyncQueue, { batchSize = 10, maxBatches = 1000 } = {}): Promise<number> {
  let batches = 0;
  while (queue.pending.length > 0 && batches < maxBatches) {
    await deliverBatch(worker, bindings, queue, queue.take(batchSize));
    batches++;
  }
  return batches;
}

/** Wraps an embedding model and records every value it embedded successfully. */
export function countingEmbeddingModel(model: EmbeddingModelV3, options: { failAfterCalls?: number } = {}): EmbeddingModelV3 & { embedded: string[]; calls: number } {
  const counting = {
    ...model,
    embedded: [] as string[],
    calls: 0,
    async doEmbed(call: Parameters<EmbeddingModelV3["doEmbed"]>[0]) {
      counting.calls++;
      if (options.failAfterCalls !== undefined && counting.calls > options.failAfterCalls) throw new Error("the worker stopped (simulated)");
      const result = await model.doEmbed(call);
      counting.embedded.push(...call.values);
      return result;
    },
  };
  return counting as EmbeddingModelV3 & { embedded: string[]; calls: number };
}
