// The learned router's labelled training data: one folder per domain under examples/routing-training/,
// each with a set.json `{ domain, description, docs, questions: [files] }` (paths relative to the folder).
// Retrieval signals come from the product's own retrieval over each domain's docs
// (scripts/routing/product-retrieval.mjs), so the router learns from what production would see.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { createProductRetriever } from "./product-retrieval.mjs";
import { readLabelledQuestions } from "./routing-eval.mjs";

export const TRAINING_DIR = "examples/routing-training";

/**
 * The domains of a training folder, sorted by name.
 * @returns {{ name: string, domain: string, docsDir: string | undefined, questions: { question: string, label: string, history: string[] }[] }[]}
 */
export function readTrainingDomains(dir = TRAINING_DIR) {
  if (!existsSync(dir)) throw new Error(`No such training folder: ${dir}`);
  const domains = [];
  for (const name of readdirSync(dir).sort()) {
    const folder = join(dir, name);
    const setFile = join(folder, "set.json");
    if (!existsSync(setFile)) continue;
    const set = JSON.parse(readFileSync(setFile, "utf8"));
    if (!Array.isArray(set.questions) || set.questions.length === 0) throw new Error(`${setFile}: "questions" must list question files.`);
    const docsDir = typeof set.docs === "string" ? resolve(folder, set.docs) : undefined;
    if (docsDir && !existsSync(docsDir)) throw new Error(`${setFile}: no such docs folder ${docsDir}`);
    const questions = set.questions.flatMap((file) => readLabelledQuestions(resolve(folder, file)));
    domains.push({ name, domain: set.domain ?? name, docsDir, questions });
  }
  if (domains.length === 0) throw new Error(`${dir} has no domain folders with a set.json.`);
  return domains;
}

/** One domain made of a plain questions file (`--questions my.jsonl [--docs folder]`). */
export function domainFromFile(file, docsDir) {
  return { name: basename(file).replace(/\.jsonl$/, ""), domain: "given set", docsDir, questions: readLabelledQuestions(file) };
}

/**
 * Adds each question's retrieval signals (and the passages the prompt would hold) from the product's
 * retrieval over its domain's docs; questions of a domain without docs get no retrieval.
 * `retrieverFor(docsDir)` may replace the product retriever (tests).
 */
export async function withRetrieval(domains, { retrieverFor = (docsDir) => createProductRetriever({ docsDir }), onDomain = () => {} } = {}) {
  const result = [];
  for (const domain of domains) {
    onDomain(domain);
    if (!domain.docsDir) {
      result.push({ ...domain, questions: domain.questions.map((item) => ({ ...item, signals: undefined, passages: [] })) });
      continue;
    }
    const retriever = await retrieverFor(domain.docsDir);
    try {
      const questions = [];
      for (const item of domain.questions) {
        const { signals, passages = [] } = await retriever.retrieve(item.question, item.history);
        questions.push({ ...item, signals, passages });
      }
      result.push({ ...domain, questions });
    } finally {
      await retriever.dispose?.();
    }
  }
  return result;
}
