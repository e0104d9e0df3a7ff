/**
 * The Vectorize namespace that holds a bot's document vectors. It is derived from the bot's
 * server-side id only, so no request can choose another bot's namespace.
 *
 * @example
 * namespaceForBot("demo") // "bot:demo"
 */
export function namespaceForBot(botId: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(botId)) throw new Error(`Not a valid bot id: ${JSON.stringify(botId)}`);
  return `bot:${botId}`;
}

/**
 * The Vectorize namespace of a bot's curated answers (worker/corrections/): apart from its documents', so
 * retrieval never returns a correction as a passage and a correction lookup never sees a document.
 *
 * @example
 * correctionNamespaceForBot("demo") // "corrections:demo"
 */
export function correctionNamespaceForBot(botId: string): string {
  return `corrections:${namespaceForBot(botId).slice("bot:".length)}`;
}
