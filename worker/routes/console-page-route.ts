import { HttpError } from "../http/http-error";
import type { RouteContext } from "./route-context";

/** Where the console's built files live, under the static assets (scripts/build.mjs, console/vite.config.ts). */
export const CONSOLE_ASSETS_PATH = "/admin/assets/";

/**
 * The console pages' Content-Security-Policy: scripts and styles of the worker's own origin only
 * (no inline script, no style attribute), no framing, no foreign connections.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * GET /admin and /admin/*: the owner console. Every page is the same HTML shell (the app routes on
 * the client with the History API); its script and stylesheet are static assets under /admin/assets/.
 * The shell holds no data and no inline code, so it is the same for everyone and safe to serve signed out.
 */
export async function handleConsolePage({ request, env, url }: RouteContext): Promise<Response> {
  if (url.pathname.startsWith(CONSOLE_ASSETS_PATH)) {
    if (!env.ASSETS) throw new HttpError(404, "not_found", "The console's files are not deployed (build with `npm run build`).");
    return env.ASSETS.fetch(request);
  }
  return new Response(request.method === "HEAD" ? null : CONSOLE_SHELL, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": CONSOLE_CSP,
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
    },
  });
}

const CONSOLE_SHELL = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <meta name="robots" content="noindex" />
    <title>edgechat console</title>
    <link rel="stylesheet" href="${CONSOLE_ASSETS_PATH}console.css" />
    <script type="module" src="${CONSOLE_ASSETS_PATH}console.js"></script>
  </head>
  <body>
    <div id="app"><noscript><p>The edgechat console needs JavaScript.</p></noscript></div>
  </body>
</html>
`;
