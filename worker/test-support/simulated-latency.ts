// Production-like latency for `npm run bench` (scripts/bench/worker-bench.mjs): wrappers that make each
// call to D1, a Durable Object, the vector index, the rate limiter, the embedder and the chat model take at
// least its production latency, and record every call as a span, so the bench can report a turn's time to
// first delta and its critical path (the sequence of waits before the model call, by name).
import { AsyncLocalStorage } from "node:async_hooks";
import type { EmbeddingModelV3, LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";

/**
 * Latencies in milliseconds. Defaults: the figures of issue 16 taken from Cloudflare's published
 * figures, or honest estimates where there are none (each with its source in `SIMULATED_LATENCY_SOURCES`).
 */
export interface SimulatedLatency {
  d1: number;
  durableObject: number;
  vectorQuery: number;
  embedding: number;
  firstToken: number;
  /** Between two tokens after the first. */
  interToken: number;
  rateLimit: number;
}

export const DEFAULT_SIMULATED_LATENCY: SimulatedLatency = {
  d1: 10,
  durableObject: 5,
  vectorQuery: 30,
  embedding: 50,
  firstToken: 300,
  interToken: 10,
  rateLimit: 1,
};

export const SIMULATED_LATENCY_SOURCES: Record<keyof SimulatedLatency, string> = {
  d1: "D1 query from a nearby region: 5-20 ms (issue 16, Cloudflare's D1 docs on read replication and regions); 10 ms",
  durableObject: "Durable Object call from a Worker in the same region: 1-10 ms (issue 16); 5 ms",
  vectorQuery: "Vectorize query: ~30 ms (issue 16, Cloudflare's Vectorize launch figures)",
  embedding: "embedding call (Workers AI bge or OpenAI text-embedding-3-small): ~50 ms (issue 16, estimate)",
  firstToken: "model's first token: 300 ms (issue 16, estimate for a small hosted model)",
  interToken: "then ~100 tokens a second: 10 ms between tokens (our estimate for a small hosted model)",
  rateLimit: "Rate Limiting binding: counted in the Cloudflare location itself; 1 ms (our estimate)",
};

/** One call that waited: what it was and when, in ms since the turn started. */
export interface Span {
  name: string;
  start: number;
  end: number;
}

interface TurnRecord {
  id: string;
  startedAt: number;
  spans: Span[];
}

const currentTurn = new AsyncLocalStorage<TurnRecord>();
const turns = new Map<string, TurnRecord>();

/** Runs one request as a recorded turn: every instrumented call it (or its waitUntil work) makes is a span of it. */
export function recordTurn<T>(id: string, run: () => T): T {
  const turn: TurnRecord = { id, startedAt: Date.now(), spans: [] };
  turns.set(id, turn);
  if (turns.size > 100) turns.delete(turns.keys().next().value!);
  return currentTurn.run(turn, run);
}

/** The spans of a recorded turn, in the order they started. */
export function spansOf(id: string): Span[] {
  return [...(turns.get(id)?.spans ?? [])].sort((a, b) => a.start - b.start);
}

/** Waits until at least `ms` have passed since `startedAt`: a call takes max(its own time, its latency). */
async function padTo(startedAt: number, ms: number): Promise<void> {
  const left = ms - (Date.now() - startedAt);
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

/** Times `call` as a span named `name`, taking at least `ms`. */
export async function timed<T>(name: string, ms: number, call: () => PromiseLike<T> | T): Promise<T> {
  const turn = currentTurn.getStore();
  const started = Date.now();
  try {
    const result = await call();
    await padTo(started, ms);
    return result;
  } finally {
    turn?.spans.push({ name, start: started - turn.startedAt, end: Date.now() - turn.startedAt });
  }
}

/**
 * The critical path before the model call: from the model's start, the call that ended last before it,
 * then the one that ended last before that call started, and so on. Its length is the number of
 * sequential waits a visitor sits through before the model is even asked.
 */
export function criticalPath(spans: Span[], modelName = "model"): Span[] {
  const model = spans.find((span) => span.name === modelName);
  if (!model) return [];
  const path: Span[] = [];
  let until = model.start;
  for (;;) {
    const before = spans.filter((span) => span !== model && span.end <= until && span.end > span.start);
    if (before.length === 0) break;
    // The call that ended last; of calls that ended together (the event loop was busy), the one that started
    // last, since an earlier one running beside it did not hold the next call back.
    const last = before.reduce((a, b) => (b.end > a.end + 1 || (b.end >= a.end - 1 && b.start > a.start) ? b : a));
    path.unshift(last);
    until = last.start;
  }
  return path;
}

/** D1 whose every query takes at least `ms`; spans are named after the table (`D1 bots`, `D1 turns`…). */
export function slowD1(db: D1Database, ms: number): D1Database {
  const nameOf = (sql: string) => `D1 ${/\b(?:FROM|INTO|UPDATE)\s+(\w+)/i.exec(sql)?.[1] ?? "query"}`;
  const statement = (inner: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(inner, {
      get(target, property: string) {
        if (property === "bind") return (...values: unknown[]) => statement(target.bind(...values), sql);
        if (["first", "all", "run", "raw"].includes(property)) {
          return (...args: unknown[]) => timed(nameOf(sql), ms, () => (target[property as "all"] as (...a: unknown[]) => Promise<unknown>)(...args));
        }
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return new Proxy(db, {
    get(target, property: string) {
      if (property === "prepare") return (sql: string) => statement(target.prepare(sql), sql);
      if (property === "batch") return (statements: D1PreparedStatement[]) => timed("D1 batch", ms, () => target.batch(statements));
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * A Durable Object namespace whose objects' RPC methods each take at least `ms` (or `latencyOf(method)`),
 * spans named `<label>.<method>`.
 */
export function slowNamespace<T extends object>(namespace: T, label: string, latencyOf: (method: string) => number): T {
  return new Proxy(namespace as T & DurableObjectNamespace, {
    get(target, property: string) {
      if (property !== "get") {
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (id: DurableObjectId) => {
        const stub = (target as DurableObjectNamespace).get(id) as unknown as Record<string, (...args: unknown[]) => unknown>;
        return new Proxy(stub, {
          get(inner, method: string) {
            const value = inner[method];
            if (typeof value !== "function" || method === "then") return value;
            // An RPC stub's method is itself a stub: call it directly (`.apply` would be a remote property).
            return (...args: unknown[]) => timed(`${label}.${method}`, latencyOf(method), () => value(...args) as Promise<unknown>);
          },
        });
      };
    },
  });
}

/** A rate limiter whose checks take at least `ms`. */
export function slowRateLimit(limiter: RateLimit, label: string, ms: number): RateLimit {
  return { limit: (options) => timed(label, ms, () => limiter.limit(options)) };
}

/** An embedding model whose calls take at least `ms`. */
export function slowEmbedding(model: EmbeddingModelV3, ms: number): EmbeddingModelV3 {
  return {
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    maxEmbeddingsPerCall: model.maxEmbeddingsPerCall,
    supportsParallelCalls: model.supportsParallelCalls,
    doEmbed: (options) => timed("embedding", ms, () => model.doEmbed(options)),
  };
}

/**
 * A chat model whose stream starts after `ms` (its first token), then sends a text delta every
 * `interTokenMs`, as a hosted model streams; the span "model" starts when it is asked.
 */
export function slowChatModel(model: LanguageModelV3, ms: number, interTokenMs = 0): LanguageModelV3 {
  return {
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    supportedUrls: model.supportedUrls,
    doGenerate: (options) => model.doGenerate(options),
    doStream: async (options) => {
      const turn = currentTurn.getStore();
      const started = Date.now();
      turn?.spans.push({ name: "model", start: started - turn.startedAt, end: started - turn.startedAt + ms });
      const result = await model.doStream(options);
      await padTo(started, ms);
      let first = true;
      const paced = new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
        async transform(part, controller) {
          if (part.type === "text-delta" && !first && interTokenMs > 0) await new Promise((resolve) => setTimeout(resolve, interTokenMs));
          if (part.type === "text-delta") first = false;
          controller.enqueue(part);
        },
      });
      return { ...result, stream: result.stream.pipeThrough(paced) };
    },
  };
}
