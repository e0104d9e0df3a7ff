import { BOT_ID_PATTERN } from "../bots/bot-config";
import { loadBot } from "../bots/bot-registry";
import type { RouteContext } from "./route-context";

/**
 * GET /b/:id: a hosted full-page chat for a bot, a link a team can share. It is the same script-tag
 * widget, opened, on a page of the worker's own origin (which every bot allows). Bot text is escaped,
 * and the page runs under a strict Content-Security-Policy.
 */
export async function handleHostedPage({ env, params }: RouteContext): Promise<Response> {
  const id = params.id!;
  const bot = BOT_ID_PATTERN.test(id) ? await loadBot(env.DB, id) : undefined;
  const headers = {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy":
      "default-src 'self'; script-src 'self' https://challenges.cloudflare.com; style-src 'self'; img-src 'self' data:; " +
      "connect-src 'self'; frame-src https://challenges.cloudflare.com; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
  if (!bot) {
    return new Response(page("Not found", "<h1>No such bot</h1><p>This chat link does not lead to a bot.</p>", ""), { status: 404, headers: { ...headers, "cache-control": "no-store" } });
  }
  const name = escapeHtml(bot.name);
  // The widget is the page; without JavaScript the visitor still learns what this is.
  const main = `<noscript><h1>${name}</h1><p>${escapeHtml(bot.greeting)}</p><p>This chat needs JavaScript.</p></noscript>`;
  const script = `<script src="/widget.js" data-bot="${escapeHtml(bot.id)}" data-title="${name}" data-open="true" data-layout="page" async></script>`;
  return new Response(page(name, main, script), { headers: { ...headers, "cache-control": "public, max-age=60" } });
}

function page(title: string, main: string, script: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
  </head>
  <body>
    <main>${main}</main>
    ${script}
  </body>
</html>
`;
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
