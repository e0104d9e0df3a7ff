// What `npm start` says about the models: read from the running worker's GET /v1/health (the truth,
// whatever .dev.vars, wrangler.jsonc or the shell set), never guessed from the shell's environment.

const NAMES = { offline: "offline", openai: "OpenAI", "workers-ai": "Workers AI" };

/**
 * Lines describing which source and model serve each tier, the embedder and the image model.
 * @param {{ sources?: Record<string, { source: string, model: string, dimensions?: number }>, aiGateway?: boolean }} health
 * @returns {string[]}
 */
export function modelSourceLines(health) {
  const parts = [
    ["small tier", health.sources?.small],
    ["large tier", health.sources?.large],
    ["embeddings", health.sources?.embedding],
    ["images", health.sources?.image],
  ];
  const lines = parts
    .filter(([, part]) => part)
    .map(([label, part]) => `  ${`${label}:`.padEnd(12)} ${NAMES[part.source] ?? part.source} (${part.model}${part.dimensions ? `, ${part.dimensions} dimensions` : ""})`);
  if (health.aiGateway) lines.push("  all calls go through Cloudflare AI Gateway (AI_GATEWAY_ID)");
  if (parts.every(([, part]) => !part || part.source === "offline")) {
    lines.push("  (offline models: set OPENAI_API_KEY in .dev.vars for OpenAI; see docs/workers-ai.md for Workers AI)");
  }
  return lines;
}
