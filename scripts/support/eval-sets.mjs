// The retrieval eval sets: the shipped one (examples/support-bot) and every folder of
// examples/eval-sets/ with a questions.jsonl and a set.json naming its docs folder. Used by
// `npm run eval:rag` and `npm run calibrate:retrieval`.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

export const SHIPPED = { name: "support-bot", docs: "examples/support-bot/docs", questions: "examples/support-bot/eval/rag-questions.jsonl" };
const EVAL_SETS = "examples/eval-sets";

/** Every set with questions: the shipped one first, then examples/eval-sets/<name>/. */
export function knownSets() {
  const sets = [SHIPPED];
  if (!existsSync(EVAL_SETS)) return sets;
  for (const name of readdirSync(EVAL_SETS).sort()) {
    const folder = join(EVAL_SETS, name);
    if (!existsSync(join(folder, "set.json")) || !existsSync(join(folder, "questions.jsonl"))) continue;
    const { docs } = JSON.parse(readFileSync(join(folder, "set.json"), "utf8"));
    if (typeof docs !== "string") throw new Error(`${folder}/set.json needs a "docs" folder path.`);
    sets.push({ name, docs: resolve(folder, docs), questions: join(folder, "questions.jsonl") });
  }
  return sets;
}

/**
 * A questions file: one `{"question", "source"}` per line, `source` relative to the docs folder, and
 * optionally `answerContains`: a crisp fact (text) the answer must hold.
 */
export function readQuestions(path) {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const parsed = JSON.parse(line);
      if (typeof parsed.question !== "string" || typeof parsed.source !== "string") {
        throw new Error(`${path}:${i + 1}: each line needs "question" and "source" strings.`);
      }
      if (parsed.answerContains !== undefined && (typeof parsed.answerContains !== "string" || parsed.answerContains.trim() === "")) {
        throw new Error(`${path}:${i + 1}: "answerContains" must be a non-empty string.`);
      }
      return { question: parsed.question, source: parsed.source.replace(/^\.\//, "").replace(/\\/g, "/"), answerContains: parsed.answerContains };
    });
}

