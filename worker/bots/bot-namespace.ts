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
