// Worker: time to the first text delta of a chat turn, in workerd (Miniflare), with zero-latency models
// (worker/test-support/bench-chat-worker.ts), so only edgechat's own work is measured: the bot from D1,
// origin and rate-limit checks, the session object, retrieval over 10k chunks (embed, vector query,
// keyword query, fusion), the grounded prompt and the tee to the session. The baseline is a bare AI SDK
// `streamText(...).toUIMessageStreamResponse()` worker with the same model, in the same workerd.
import { collectDocuments } from "../../bin/commands/ingest.mjs";
import { startRagHarness } from "../support/rag-harness.mjs";
import { readChatStream } from "./read-chat-stream.mjs";
import { figure, pairedRatios } from "./stats.mjs";

const ADMIN_TOKEN = "bench-admin-token";
const ORIGIN = "https://bench.example";
const BOT_ID = "bench";

/**
 * @param {{ chunks?: number, turns?: number, log?: (line: string) => void }} [options]
 */
export async function workerBench({ chunks = 10_000, turns = 30, log = console.error } = {}) {
  const harness = await startRagHarness({
    entry: "worker/test-support/bench-chat-worker.ts",
    miniflare: {
      durableObjects: {
        VECTOR_INDEX: { className: "LocalVectorIndex", useSQLite: true },
        CHAT_SESSIONS: { className: "ChatSession", useSQLite: true },
      },
      // The production limits (wrangler.jsonc); every turn comes from its own address, as from its own visitor.
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
    await admin("/v1/admin/bots", { id: BOT_ID, name: "Bench bot", allowedOrigins: [ORIGIN] });
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
    log(`  worker: ${indexed} chunks indexed; timing ${turns} turns of each kind…`);

    let visitor = 0;
    const edgechatTurn = async (question, prefix = "") => {
      const started = performance.now();
      const response = await fetch(`${harness.url}${prefix}/v1/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "cf-connecting-ip": `10.8.${(++visitor >> 8) & 255}.${visitor & 255}` },
        body: JSON.stringify({ botId: BOT_ID, messages: [{ id: `m${visitor}`, role: "user", parts: [{ type: "text", text: question }] }] }),
      });
      return readChatStream(response, started);
    };
    const baselineTurn = async (question) => {
      const started = performance.now();
      const response = await fetch(`${harness.url}/baseline/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
      return readChatStream(response, started);
    };
    for (let i = 0; i < 3; i++) {
      check(await edgechatTurn(corpus.question(i))); // warm-up: compiled code, loaded index
      check(await baselineTurn(corpus.question(i)));
    }

    const edgechat = [];
    const withoutRetrieval = [];
    const baseline = [];
    let grounded = 0;
    for (let i = 0; i < turns; i++) {
      // Alternate the order so neither kind always runs right after the other.
      const question = corpus.question(100 + i);
      let ours;
      let bare;
      if (i % 2 === 0) {
        ours = check(await edgechatTurn(question));
        bare = check(await baselineTurn(question));
      } else {
        bare = check(await baselineTurn(question));
        ours = check(await edgechatTurn(question));
      }
      if (ours.types.includes("source-url")) grounded++;
      edgechat.push(ours.ttfd);
      baseline.push(bare.ttfd);
      withoutRetrieval.push(check(await edgechatTurn(question, "/no-retrieval")).ttfd);
    }
    // The figure is about a turn with retrieval: the questions are built from the corpus, so they must find sources.
    if (grounded < turns / 2) throw new Error(`only ${grounded} of ${turns} bench turns were grounded in sources`);
    return {
      "worker.firstDelta.edgechat": figure(edgechat, "ms", { label: `time to first text delta, edgechat turn, retrieval over ${Math.round(indexed / 1000)}k chunks` }),
      "worker.firstDelta.withoutRetrieval": figure(withoutRetrieval, "ms", { label: "time to first text delta, edgechat turn without retrieval" }),
      "worker.firstDelta.baseline": figure(baseline, "ms", { label: "time to first text delta, bare streamText worker" }),
      "worker.firstDelta.ratio": figure(pairedRatios(edgechat, baseline), "×", { label: "edgechat / bare streamText, first delta" }),
    };
  } finally {
    await harness.dispose();
  }
}

function check(result) {
  if (!result.ok || result.ttfd === undefined) throw new Error(`a bench turn failed: ${result.error ?? "no text delta"}`);
  return result;
}

/**
 * Documents of five one-chunk sections each, written from the example docs' vocabulary with a seeded
 * generator, until there are `chunks` sections; and questions made of words of one of its sections.
 */
function syntheticCorpus(chunks) {
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
