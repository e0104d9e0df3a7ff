// The worker's own retrieval for `npm run eval:routing`: the docs folder is ingested into the local
// vector index and D1 keyword index in workerd (scripts/support/rag-harness.mjs), and every question
// is retrieved as a chat turn retrieves it with the offline embedder (hybrid search, the offline
// score threshold or EDGECHAT_RETRIEVAL_MIN_SCORE, the conversation for follow-ups). The router's
// signals come from the worker's retrievalSignalsFromPassages, the function the chat turn calls.
import { collectDocuments } from "../../bin/commands/ingest.mjs";
import { startRagHarness } from "../support/rag-harness.mjs";

const BOT_ID = "routing-eval";

/**
 * Starts workerd, ingests `docsDir` and returns `{ retrieve, dispose }`, where
 * `retrieve(question, history)` resolves to `{ signals, passages }` (passages: the texts that would go
 * into the prompt, best first). Call `dispose()` when done.
 */
export async function createProductRetriever({ docsDir, dimensions = Number(process.env.EDGECHAT_EMBEDDING_DIMENSIONS ?? 384), minScore = process.env.EDGECHAT_RETRIEVAL_MIN_SCORE }) {
  const { documents, skipped } = collectDocuments([docsDir]);
  for (const skip of skipped) console.error(`eval:routing: skipped ${skip.path}: ${skip.reason}`);
  if (documents.length === 0) throw new Error(`No documents (md, mdx, html, txt) found in ${docsDir}.`);
  const harness = await startRagHarness();
  try {
    const { results } = await harness.post("/ingest", { botId: BOT_ID, documents, dimensions });
    const failed = results.filter((result) => result.status === "failed");
    if (failed.length > 0) throw new Error(`Could not index ${failed.map((f) => `${f.id} (${f.error})`).join(", ")}.`);
  } catch (error) {
    await harness.dispose();
    throw error;
  }
  return {
    async retrieve(question, history = []) {
      const { results } = await harness.post("/retrieve", { botId: BOT_ID, dimensions, minScore, questions: [{ question, history }] });
      return { signals: results[0].signals, passages: results[0].passages.map((passage) => passage.text) };
    },
    dispose: () => harness.dispose(),
  };
}
