// A small Worker for scripts that measure retrieval (npm run eval:rag) and speed (npm run bench)
// in workerd, through Miniflare: it runs the product's own ingestion, retrieval, BM25 and local
// vector index code, bundled from worker/ by esbuild (scripts/support/rag-harness.mjs).
import type { ModelMessage } from "ai";
import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { createOfflineEmbeddingModel } from "../models/offline-embedding-model";
import { Bm25Ranker } from "../rag/bm25";
import { chunkDocument } from "../rag/chunk-document";
import { groundedPrompt } from "../rag/grounded-prompt";
import { defaultOfflineAnswer } from "../models/offline-language-model";
import { offlineSmallAnswer } from "../models/offline-tier-models";
import { ingestDocuments, type DocumentInput } from "../rag/ingest-documents";
import type { EdgechatEnv } from "../env";
import { retrievalThresholds } from "../rag/retrieval-for-turn";
import { retrievePassages } from "../rag/retrieve-passages";
import { retrievalSignalsFromPassages } from "../routing/retrieval-signals";
import type { FusionWeights } from "../rag/score-fusion";
import { createLocalVectorize } from "../vector/local-vectorize";
import type { LocalVectorIndex } from "../vector/local-vector-index";
import { bundledWordVectors } from "./bundled-word-vectors";
import { createCorrections } from "../corrections/correction-store";
import { correctionMinScore, findCuratedAnswer } from "../corrections/curated-answer";

export { LocalVectorIndex } from "../vector/local-vector-index";

interface HarnessEnv {
  DB: D1Database;
  VECTOR_INDEX: DurableObjectNamespace<LocalVectorIndex>;
}

export default {
  async fetch(request: Request, env: HarnessEnv): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === "POST" ? ((await request.json()) as Record<string, unknown>) : {};
    const dimensions = Number(body.dimensions ?? 384);
    // The thresholds a chat turn with the offline embedder uses (worker/rag/retrieval-for-turn.ts).
    const thresholds = retrievalThresholds({ EDGECHAT_RETRIEVAL_MIN_SCORE: body.minScore === undefined ? undefined : String(body.minScore) } as EdgechatEnv, "offline");
    const embedding = createOfflineEmbeddingModel({ dimensions, semanticWeight: body.semanticWeight as number | undefined, wordVectors: bundledWordVectors() });
    const index = createLocalVectorize(env.VECTOR_INDEX, { name: String(body.indexName ?? "harness"), dimensions, metric: "cosine" });
    switch (url.pathname) {
      case "/ingest": {
        const results = await ingestDocuments({ db: env.DB, index, embedding }, String(body.botId), body.documents as DocumentInput[]);
        return Response.json({ results });
      }
      case "/evaluate": {
        // Ranks documents for every question, with edgechat's retrieval and with plain BM25.
        const documents = body.documents as DocumentInput[];
        const bm25 = new Bm25Ranker(
          documents.map((document) => ({
            id: document.id,
            text: `${document.title}\n${chunkDocument(document.content, document.format).map((chunk) => `${chunk.headingPath.join(" ")}\n${chunk.text}`).join("\n")}`,
          })),
        );
        const rankings = [];
        // Wall time of each edgechat retrieval, measured inside workerd (the clock advances across I/O).
        const retrievalMs: number[] = [];
        for (const question of body.questions as string[]) {
          const before = performance.now();
          const passages = await retrievePassages(
            { index, embedding, db: env.DB },
            { botId: String(body.botId), question, topK: 20, ...thresholds, fusionWeights: body.fusionWeights as FusionWeights | undefined },
          );
          retrievalMs.push(performance.now() - before);
          const edgechat = [...new Set(passages.map((passage) => passage.documentId))];
          const vectorOnly = [...new Set((await retrievePassages({ index, embedding }, { botId: String(body.botId), question, topK: 20, minScore: thresholds.minScore })).map((p) => p.documentId))];
          rankings.push({ edgechat, vectorOnly, bm25: bm25.rank(question) });
        }
        return Response.json({ rankings, retrievalMs });
      }
      case "/answer": {
        // The offline chat model's extractive answer to every question, from the passages a chat turn
        // retrieves (top 5, the product's thresholds), and the documents its [n] citations point at.
        const answers = [];
        for (const question of body.questions as string[]) {
          const passages = await retrievePassages({ index, embedding, db: env.DB }, { botId: String(body.botId), question, ...thresholds });
          const { system, sources } = groundedPrompt("", passages);
          const prompt: LanguageModelV3Prompt = [
            { role: "system", content: system },
            { role: "user", content: [{ type: "text", text: question }] },
          ];
          const text = defaultOfflineAnswer(prompt, bundledWordVectors());
          const cited = [...text.matchAll(/\[(\d+)\]/g)].map((match) => sources[Number(match[1]) - 1]?.documentId).filter((id) => id !== undefined);
          // The small tier's cut of the same answer: what the demo shows for most questions.
          answers.push({ text, small: offlineSmallAnswer(prompt, () => text), cited: [...new Set(cited)] });
        }
        return Response.json({ answers });
      }
      case "/retrieve": {
        // Retrieval for a chat turn, exactly as worker/rag/retrieval-for-turn.ts runs it with the
        // offline embedder, and the router's signals from those passages (as worker/chat/chat-turn.ts).
        const results = [];
        for (const item of body.questions as { question: string; history?: string[] }[]) {
          const history: ModelMessage[] = (item.history ?? []).map((content) => ({ role: "user", content }));
          const passages = await retrievePassages(
            { index, embedding, db: env.DB },
            { botId: String(body.botId), question: item.question, history, ...thresholds },
          );
          results.push({
            signals: retrievalSignalsFromPassages(passages, thresholds.minScore),
            passages: passages.map((p) => ({ documentId: p.documentId, heading: p.heading, score: p.score ?? null, text: p.text })),
          });
        }
        return Response.json({ results });
      }
      case "/corrections": {
        // The curated-answer stage as a chat turn runs it (worker/corrections/curated-answer.ts): the
        // corrections are stored through the product's store, then every question is looked up with no
        // threshold, so the eval sees each question's best match and score and can sweep thresholds.
        // `matcher: false` looks up with the embedder's similarity alone (the path of a real embedder).
        const botId = String(body.botId);
        const created = await createCorrections({ db: env.DB, index, embedding }, botId, body.corrections as Parameters<typeof createCorrections>[2]);
        const wordVectors = body.matcher === false ? undefined : bundledWordVectors();
        const lookups = [];
        const lookupMs: number[] = [];
        for (const question of body.questions as string[]) {
          const before = performance.now();
          const match = await findCuratedAnswer({ db: env.DB, index, embedding, minScore: -1, wordVectors }, botId, question);
          lookupMs.push(performance.now() - before);
          lookups.push({ correctionId: match?.correction.id ?? null, score: match?.score ?? null });
        }
        const thresholdEnv = { EDGECHAT_CORRECTION_MIN_SCORE: body.minScore === undefined ? undefined : String(body.minScore) } as EdgechatEnv;
        const defaultMinScore = correctionMinScore(thresholdEnv, "offline", wordVectors !== undefined);
        return Response.json({ ids: created.map((correction) => correction.id), lookups, lookupMs, defaultMinScore });
      }
      case "/corrections/model-answers": {
        // Design (b): the curated answer handed to the offline chat model as the top, trusted source, and
        // what the model says with it; the eval checks how much of the curated answer survives.
        const answers = [];
        for (const item of body.items as { question: string; curatedQuestion: string; answer: string }[]) {
          const passages = [{ documentId: "curated", chunkIndex: 0, title: item.curatedQuestion, url: "", heading: "Curated answer", text: item.answer }];
          const { system } = groundedPrompt("", passages);
          const prompt: LanguageModelV3Prompt = [
            { role: "system", content: system },
            { role: "user", content: [{ type: "text", text: item.question }] },
          ];
          const text = defaultOfflineAnswer(prompt, bundledWordVectors());
          answers.push({ text, small: offlineSmallAnswer(prompt, () => text), promptCharacters: system.length + item.question.length });
        }
        return Response.json({ answers });
      }
      case "/bench/seed": {
        // Random unit vectors, written through the Vectorize interface in batches of 1000.
        const count = Number(body.count);
        let seed = Number(body.seed ?? 1);
        const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
        for (let start = 0; start < count; start += 1000) {
          const vectors = [];
          for (let i = start; i < Math.min(count, start + 1000); i++) {
            vectors.push({ id: `v${i}`, values: Array.from({ length: dimensions }, random), namespace: "bench" });
          }
          await index.upsert(vectors);
        }
        return Response.json(await index.describe());
      }
      case "/bench/query": {
        // Timed inside workerd: the clock advances across the Durable Object call (I/O), and the
        // batch total gives sub-millisecond resolution for the mean.
        const elapsed: number[] = [];
        const started = performance.now();
        for (const vector of body.vectors as number[][]) {
          const before = performance.now();
          const { matches } = await index.query(vector, { topK: 5, namespace: "bench" });
          if (matches.length !== 5) throw new Error(`query returned ${matches.length} matches`);
          elapsed.push(performance.now() - before);
        }
        return Response.json({ elapsed, total: performance.now() - started });
      }
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
