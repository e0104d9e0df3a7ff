import type { EdgechatEnv } from "../env";
import { fetchPolicyFromEnv } from "../fetch/fetch-policy-from-env";
import type { ModelSet } from "../models/model-set";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import type { SyncDependencies } from "./source-sync";
import type { PdfTextExtractor } from "./pdf-text-types";

/** Why syncs cannot run in this deployment, or the dependencies they run with. */
export function syncDependenciesFromEnv(env: EdgechatEnv, models: ModelSet, pdfText?: PdfTextExtractor): SyncDependencies | { missing: string } {
  if (!env.DB) return { missing: "the D1 binding DB" };
  if (!env.SOURCE_SYNC_QUEUE) return { missing: "the queue binding SOURCE_SYNC_QUEUE (see wrangler.jsonc)" };
  if (!models.embedding || !models.embeddingDimensions) return { missing: "an embedding model" };
  const index = vectorIndexFromEnv(env, models.embeddingDimensions);
  if (!index) return { missing: "a vector index (VECTORIZE or VECTOR_INDEX)" };
  const site = env.EDGECHAT_PUBLIC_URL ?? "https://www.npmjs.com/package/edgechat";
  return {
    db: env.DB,
    queue: env.SOURCE_SYNC_QUEUE,
    index,
    embedding: models.embedding,
    policy: fetchPolicyFromEnv(env),
    userAgent: `edgechat/0.1 (knowledge sync; +${site})`,
    ...(pdfText ? { pdfText } : {}),
  };
}
