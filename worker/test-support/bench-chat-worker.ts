// A Worker for `npm run bench` (scripts/bench/worker-bench.mjs), run in workerd through Miniflare:
// the whole edgechat worker with zero-latency models (or production latencies, simulated-latency.ts),
// this tree's and an earlier commit's side by side, next to a bare AI SDK `streamText` worker as the
// baseline. Both answer from the same zero-latency chat model, so the difference between their time to
// the first text delta is edgechat's own work (doors, session store, retrieval, prompt, tee to the session).
import { streamText } from "ai";
import type { LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { createOfflineEmbeddingModel, OFFLINE_EMBEDDING_DIMENSIONS } from "../models/offline-embedding-model";
import { createEdgechatWorkerBefore } from "./bench-before";
import {
  criticalPath,
  DEFAULT_SIMULATED_LATENCY,
  recordTurn,
  slowChatModel,
  slowD1,
  slowEmbedding,
  slowNamespace,
  slowRateLimit,
  spansOf,
  type SimulatedLatency,
} from "./simulated-latency";
import { bundledWordVectors } from "./bundled-word-vectors";

export { ChatSession } from "../sessions/chat-session";
export { ChatSessionBefore } from "./bench-before";
export { LocalVectorIndex } from "../vector/local-vector-index";

/** Words of the answer the zero-latency model streams, one delta each. */
const ANSWER_WORDS = 200;

/**
 * A chat model that answers at once: every part of its stream is already queued when doStream returns.
 * Nothing waits on a network or a clock, so what a turn costs on top of it is the worker's own work.
 */
export function createZeroLatencyChatModel(modelId = "zero-latency"): LanguageModelV3 {
  const parts = (): LanguageModelV3StreamPart[] => [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "t" },
    ...Array.from({ length: ANSWER_WORDS }, (_, i): LanguageModelV3StreamPart => ({ type: "text-delta", id: "t", delta: `word${i} ` })),
    { type: "text-end", id: "t" },
    {
      type: "finish",
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: ANSWER_WORDS, text: ANSWER_WORDS, reasoning: 0 },
      },
    },
  ];
  return {
    specificationVersion: "v3",
    provider: "bench",
    modelId,
    supportedUrls: {},
    async doGenerate() {
      throw new Error("The bench model only streams.");
    },
    async doStream() {
      const queued = parts();
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const part of queued) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  };
}

const embedder = createOfflineEmbeddingModel({ dimensions: OFFLINE_EMBEDDING_DIMENSIONS, wordVectors: bundledWordVectors() });

/**
 * The edgechat worker of one variant ("after": this tree; "before": the commit `--before` names) in one
 * mode: "zero" (zero-latency models; the vector index's query is timed so its local scan can be taken
 * out), "no-retrieval" (no embedder, so no retrieval), "simulated" (production latencies, see
 * simulated-latency.ts). "custom" source: retrieval as in production (vector and keyword search fused,
 * threshold), with the offline embedder standing in for a remote one.
 */
function workerFor(variant: "after" | "before", mode: Mode, latency: SimulatedLatency): ExportedHandler<EdgechatEnv> {
  const create = variant === "after" ? createEdgechatWorker : createEdgechatWorkerBefore;
  const chat = mode === "simulated" ? slowChatModel(createZeroLatencyChatModel(), latency.firstToken, latency.interToken) : createZeroLatencyChatModel();
  if (mode === "no-retrieval") return create({ models: { chat, source: "custom" } });
  const embedding = mode === "simulated" ? slowEmbedding(embedder, latency.embedding) : embedder;
  return create({ models: { chat, embedding, embeddingDimensions: OFFLINE_EMBEDDING_DIMENSIONS, source: "custom" } });
}

type Mode = "zero" | "no-retrieval" | "simulated";

/**
 * The bindings a variant sees in a mode, made once per isolate (a binding is one object for a Worker's
 * lifetime, and edgechat caches per binding). "before" gets its own session class (its ChatSession).
 */
function bindingsFor(env: BenchEnv, variant: "after" | "before", mode: Mode, latency: SimulatedLatency): EdgechatEnv {
  const key = `${variant}/${mode}`;
  const cached = bindingsCache.get(key);
  if (cached) return cached;
  const sessions = variant === "after" ? env.CHAT_SESSIONS! : env.CHAT_SESSIONS_BEFORE;
  // Only the query stands for a Vectorize call: the local stand-in's setup calls have no production twin.
  const vectorLatency = (method: string) => (mode === "simulated" && method === "query" ? latency.vectorQuery : 0);
  const built: EdgechatEnv = { ...env, CHAT_SESSIONS: sessions, VECTOR_INDEX: slowNamespace(env.VECTOR_INDEX!, "vector", vectorLatency) };
  if (mode === "simulated") {
    built.DB = slowD1(env.DB!, latency.d1);
    built.CHAT_SESSIONS = slowNamespace(sessions, "session", () => latency.durableObject);
    if (env.RATE_LIMIT_IP) built.RATE_LIMIT_IP = slowRateLimit(env.RATE_LIMIT_IP, "rate limit (IP)", latency.rateLimit);
    if (env.RATE_LIMIT_SESSION) built.RATE_LIMIT_SESSION = slowRateLimit(env.RATE_LIMIT_SESSION, "rate limit (session)", latency.rateLimit);
  }
  bindingsCache.set(key, built);
  return built;
}

const bindingsCache = new Map<string, EdgechatEnv>();
const workers = new Map<string, ExportedHandler<EdgechatEnv>>();

interface BenchEnv extends EdgechatEnv {
  CHAT_SESSIONS_BEFORE: NonNullable<EdgechatEnv["CHAT_SESSIONS"]>;
  /** JSON of a partial SimulatedLatency. */
  BENCH_LATENCY?: string;
}

const baselineModel = createZeroLatencyChatModel();

/**
 * Routes: `/baseline/chat` and `/simulated/baseline/chat` (bare streamText, zero-latency or simulated);
 * `/<after|before>/<zero|no-retrieval|simulated>/v1/...` (edgechat); `/v1/...` (after, zero) and
 * `/no-retrieval/v1/...` as before; `/__bench/spans?turn=<id>` (the spans and critical path of a turn
 * sent with header `x-bench-turn: <id>`).
 */
export default {
  async fetch(request: Request, env: BenchEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const latency: SimulatedLatency = { ...DEFAULT_SIMULATED_LATENCY, ...(env.BENCH_LATENCY ? JSON.parse(env.BENCH_LATENCY) : {}) };
    if (url.pathname === "/__bench/spans") {
      const spans = spansOf(url.searchParams.get("turn") ?? "");
      return Response.json({ spans, criticalPath: criticalPath(spans) });
    }
    const turnId = request.headers.get("x-bench-turn") ?? crypto.randomUUID();
    return recordTurn(turnId, async () => {
      if (url.pathname === "/baseline/chat" || url.pathname === "/simulated/baseline/chat") {
        // The baseline: the AI SDK's own minimal chat endpoint, nothing else.
        const { question } = (await request.json()) as { question: string };
        const model = url.pathname.startsWith("/simulated/") ? slowChatModel(baselineModel, latency.firstToken, latency.interToken) : baselineModel;
        return streamText({ model, messages: [{ role: "user", content: question }] }).toUIMessageStreamResponse();
      }
      const match = /^\/(?:(after|before)\/)?(?:(zero|no-retrieval|simulated)\/)?(v1\/.*)$/.exec(url.pathname);
      if (!match) return new Response("not found", { status: 404 });
      const variant = (match[1] ?? "after") as "after" | "before";
      const mode = (match[2] ?? "zero") as Mode;
      const key = `${variant}/${mode}`;
      let worker = workers.get(key);
      if (!worker) workers.set(key, (worker = workerFor(variant, mode, latency)));
      const inner = new Request(new URL(`/${match[3]}${url.search}`, url), request);
      return worker.fetch!(inner as Request<unknown, IncomingRequestCfProperties>, bindingsFor(env, variant, mode, latency), ctx);
    });
  },
} satisfies ExportedHandler<BenchEnv>;
