// Worker: time to the first text delta of a chat turn, in workerd (Miniflare).
// - Zero-latency (worker/test-support/bench-chat-worker.ts): models that answer at once, so only edgechat's
//   own work is measured (the bot, doors, the session object, retrieval over 10k chunks, prompt, tee), against
//   a bare AI SDK `streamText(...).toUIMessageStreamResponse()` worker with the same model. The ratio with
//   retrieval leaves out the local vector index's own scan (timed inside workerd on each turn and taken off
//   that turn's time): Vectorize replaces it in production, and the simulated figures charge its latency.
// - Simulated: every D1 query, Durable Object call, vector query, rate-limit check, embedding and first token
//   takes at least its production latency (worker/test-support/simulated-latency.ts, sources there); reports
//   the time to first delta and the critical path (the sequence of waits before the model call, by name).
// Measured turns are a returning visitor's second turn (the common case). With `before` (a git ref) the same
// turns run against that commit's worker too, in the same workerd, interleaved: before/after back to back.
import { rmSync } from "node:fs";
import { collectDocuments } from "../../bin/commands/ingest.mjs";
import { startRagHarness } from "../support/rag-harness.mjs";
import { workerTreeAt } from "../support/worker-tree-at.mjs";
import { readChatStream } from "./read-chat-stream.mjs";
import { figure, pairedRatios } from "./stats.mjs";

const ADMIN_TOKEN = "bench-admin-token";
const ORIGIN = "https://bench.example";
const BOT_ID = "bench";

/**
 * @param {{ chunks?: number, turns?: number, simulatedTurns?: number, before?: string, log?: (line: string) => void }} [options]
 *   `before`: a git ref whose worker/ runs beside this one (e.g. the merge base), for before/after figures.
 */
export async function workerBench({ chunks = 10_000, turns = 20, simulatedTurns = 10, before, log = console.error } = {}) {
  const beforeTree = before ? workerTreeAt(before) : undefined;
  const harness = await startRagHarness({
    entry: "worker/test-support/bench-chat-worker.ts",
    esbuild: beforeTree ? beforeTree.esbuild : {},
    miniflare: {
      durableObjects: {
        VECTOR_INDEX: { className: "LocalVectorIndex", useSQLite: true },
        CHAT_SESSIONS: { className: "ChatSession", useSQLite: true },
        CHAT_SESSIONS_BEFORE: { className: "ChatSessionBefore", useSQLite: true },
      },
      // The production limits (wrangler.jsonc); every visitor comes from its own address.
      ratelimits: {
        RATE_LIMIT_SESSION: { simple: { limit: 20, period: 60 } },
        RATE_LIMIT_IP: { simple: { limit: 60, period: 60 } },
      },
      bindings: { ADMIN_TOKEN, SESSION_SECRET: "bench-session-secret-of-enough-length" },
    },
  });
  try {
    const admin = (path, body) =>
      fetch(`${harness.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then(async (response) => {
        if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return response.json();
      });
    await admin("/v1/admin/bots", { id: BOT_ID, name: "Bench bot", allowedOrigins: [ORIGIN], limits: { dailyBudgetUsd: 1000 } });
    const corpus = syntheticCorpus(chunks);
    log(`  worker: ingesting ${corpus.documents.length} documents (~${chunks} chunks)…`);
    let indexed = 0;
    for (let start = 0; start < corpus.documents.length; start += 100) {
      const { results } = await admin(`/v1/admin/bots/${BOT_ID}/documents`, { documents: corpus.documents.slice(start, start + 100) });
      for (const result of results) {
        if (result.status !== "indexed") throw new Error(`${result.id}: ${result.error}`);
        indexed += result.chunks;
      }
    }
    log(`  worker: ${indexed} chunks indexed; timing ${turns} zero-latency and ${simulatedTurns} simulated turns of each kind${before ? `, this tree and ${before}` : ""}…`);

    let visitor = 0;
    let turnIds = 0;
    /** A turn's spans and critical path, as recorded inside workerd. */
    const spansOf = (turnId) => fetch(`${harness.url}/__bench/spans?turn=${turnId}`).then((response) => response.json());
    const post = (path, body, ip, turnId) =>
      fetch(`${harness.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "cf-connecting-ip": ip, "x-bench-turn": turnId },
        body: JSON.stringify(body),
      });
    /** A returning visitor's turn on `prefix` (e.g. "/after/zero"): an opening turn, then the measured one. */
    const edgechatTurn = async (prefix, question, opening) => {
      const ip = `10.8.${(++visitor >> 8) & 255}.${visitor & 255}`;
      const message = (id, text) => ({ id, role: "user", parts: [{ type: "text", text }] });
      const first = check(await readChatStream(await post(`${prefix}/v1/chat`, { botId: BOT_ID, messages: [message(`o${visitor}`, opening)] }, ip, `o${++turnIds}`), performance.now()));
      const turnId = `t${++turnIds}`;
      const started = performance.now();
      const body = { botId: BOT_ID, id: first.session.sessionId, sessionToken: first.session.token, messages: [message(`m${visitor}`, question)] };
      const result = check(await readChatStream(await post(`${prefix}/v1/chat`, body, ip, turnId), started));
      return { ...result, ...(await spansOf(turnId)) };
    };
    const baselineTurn = async (prefix, question) => {
      const started = performance.now();
      return check(await readChatStream(await post(`${prefix}/baseline/chat`, { question }, "10.9.0.1", `b${++turnIds}`), started));
    };
    const vectorScanMs = (turn) => turn.spans.filter((span) => span.name === "vector.query").reduce((sum, span) => sum + span.end - span.start, 0);
    const variants = before ? ["after", "before"] : ["after"];
    for (let i = 0; i < 3; i++) {
      // Warm-up: compiled code, loaded index, cached bot.
      for (const variant of variants) await edgechatTurn(`/${variant}/zero`, corpus.question(i), corpus.question(i + 50));
      await baselineTurn("", corpus.question(i));
    }

    const zero = Object.fromEntries(variants.map((variant) => [variant, { withRetrieval: [], scan: [], withoutRetrieval: [], grounded: 0 }]));
    const bare = [];
    for (let i = 0; i < turns; i++) {
      // Rotate the order so no kind always runs right after another.
      const question = corpus.question(100 + i);
      const kinds = [
        ...variants.map((variant) => async () => {
          const turn = await edgechatTurn(`/${variant}/zero`, question, corpus.question(300 + i));
          if (turn.types.includes("source-url")) zero[variant].grounded++;
          zero[variant].withRetrieval.push(turn.ttfd);
          zero[variant].scan.push(vectorScanMs(turn));
        }),
        ...variants.map((variant) => async () => zero[variant].withoutRetrieval.push((await edgechatTurn(`/${variant}/no-retrieval`, question, "Hello there")).ttfd)),
        async () => bare.push((await baselineTurn("", question)).ttfd),
      ];
      for (let k = 0; k < kinds.length; k++) await kinds[(k + i) % kinds.length]();
    }
    // The figure is about a turn with retrieval: the questions are built from the corpus, so they must find sources.
    for (const variant of variants) {
      if (zero[variant].grounded < turns / 2) throw new Error(`only ${zero[variant].grounded} of ${turns} ${variant} bench turns were grounded in sources`);
    }

    const simulated = Object.fromEntries(variants.map((variant) => [variant, { ttfd: [], waits: [], paths: [] }]));
    const simulatedBare = [];
    for (let i = 0; i < simulatedTurns; i++) {
      const question = corpus.question(200 + i);
      const kinds = [
        ...variants.map((variant) => async () => {
          const turn = await edgechatTurn(`/${variant}/simulated`, question, corpus.question(400 + i));
          simulated[variant].ttfd.push(turn.ttfd);
          simulated[variant].waits.push(turn.criticalPath.length);
          simulated[variant].paths.push(turn.criticalPath.map((span) => span.name).join(" → "));
        }),
        async () => simulatedBare.push((await baselineTurn("/simulated", question)).ttfd),
      ];
      for (let k = 0; k < kinds.length; k++) await kinds[(k + i) % kinds.length]();
    }

    const figures = {};
    for (const variant of variants) {
      const prefix = variant === "after" ? "worker" : "worker.before";
      const name = variant === "after" ? "edgechat" : `edgechat at ${before}`;
      const { withRetrieval, scan, withoutRetrieval } = zero[variant];
      const withoutScan = withRetrieval.map((ttfd, i) => ttfd - scan[i]);
      if (variant === "after") {
        figures["worker.firstDelta.edgechat"] = figure(withRetrieval, "ms", { label: `time to first text delta, edgechat turn, retrieval over ${Math.round(indexed / 1000)}k chunks` });
        figures["worker.firstDelta.withoutRetrieval"] = figure(withoutRetrieval, "ms", { label: "time to first text delta, edgechat turn without retrieval" });
        figures["worker.firstDelta.baseline"] = figure(bare, "ms", { label: "time to first text delta, bare streamText worker" });
        figures["worker.firstDelta.ratio"] = figure(pairedRatios(withRetrieval, bare), "×", { label: "edgechat / bare streamText, first delta (with the local index's scan)" });
        figures["worker.firstDelta.vectorScan"] = figure(scan, "ms", { label: "local vector index query (exact scan) inside a turn: left out of ratioToBare.withRetrieval" });
      }
      figures[`${prefix}.firstDelta.ratioToBare.withoutRetrieval`] = figure(pairedRatios(withoutRetrieval, bare), "×", {
        label: `${name} / bare, first delta, zero latency, no retrieval (paired)`,
        ...(variant === "after" ? { target: { max: 2 } } : {}),
      });
      figures[`${prefix}.firstDelta.ratioToBare.withRetrieval`] = figure(pairedRatios(withoutScan, bare), "×", {
        label: `${name} / bare, first delta, zero latency, retrieval without the local scan (paired)`,
        ...(variant === "after" ? { target: { max: 3 } } : {}),
      });
      figures[`${prefix}.firstDelta.simulated.edgechat`] = figure(simulated[variant].ttfd, "ms", { label: `${name}, first delta with production latencies` });
      figures[`${prefix}.criticalPathWaits`] = figure(simulated[variant].waits, "waits", {
        label: `${name}: waits before the model call: ${mostCommon(simulated[variant].paths)} → model`,
        ...(variant === "after" ? { target: { max: 3 } } : {}),
      });
    }
    figures["worker.firstDelta.simulated.bare"] = figure(simulatedBare, "ms", { label: "bare streamText, first delta with production latencies (first token only)" });
    return figures;
  } finally {
    await harness.dispose();
    if (beforeTree) rmSync(beforeTree.dir, { recursive: true, force: true });
  }
}

function mostCommon(values) {
  const counts = new Map();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

function check(result) {
  if (!result.ok || result.ttfd === undefined) throw new Error(`a bench turn failed: ${result.error ?? "no text delta"}`);
  return result;
}

/**
 * Documents of five one-chunk sections each, written from the example docs' vocabulary with a seeded
 * generator, until there are `chunks` sections; and questions made of words of one of its sections.
 */
export function syntheticCorpus(chunks) {
  const { documents } = collectDocuments(["examples/support-bot/docs"]);
  const vocabulary = [...new Set(documents.flatMap((document) => document.content.toLowerCase().match(/[a-z]{4,}/g) ?? []))];
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const word = () => vocabulary[Math.floor(random() * vocabulary.length)];
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(random() * 10) }, word);
    return `${words.join(" ")}.`.replace(/^./, (c) => c.toUpperCase());
  };
  const sections = [];
  const result = [];
  const perDocument = 5;
  for (let d = 0; d * perDocument < chunks; d++) {
    const parts = [`# Topic ${d}: ${word()} ${word()}`];
    for (let s = 0; s < perDocument; s++) {
      const heading = `${word()} ${word()}`;
      const paragraph = Array.from({ length: 6 }, sentence).join(" ");
      sections.push({ heading, paragraph });
      parts.push(`## ${heading}`, paragraph);
    }
    result.push({ id: `topic-${d}`, title: `Topic ${d}`, url: `/docs/topic-${d}`, format: "markdown", content: parts.join("\n\n") });
  }
  return {
    documents: result,
    question(i) {
      const section = sections[(i * 7919) % sections.length];
      const words = section.paragraph.toLowerCase().match(/[a-z]+/g);
      return `How do I ${words.slice(3, 9).join(" ")} with ${section.heading}?`;
    },
  };
}
