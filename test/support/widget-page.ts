import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, BrowserContextOptions, Page, Route } from "playwright-core";

/**
 * Helpers for browser tests of the widget against canned worker responses: a fake site origin
 * served entirely by playwright's `route` interception (page, widget.js from dist/, chat SSE,
 * bot config, session history, feedback, images). Every request to any other host is recorded
 * and aborted, so a test can prove that nothing was fetched from a foreign host.
 */
export const SITE = "http://widget.test";

/** A 1×1 PNG. */
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/** SSE body of a UI message stream made of `chunks`. */
export function sse(chunks: unknown[]): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("") + "data: [DONE]\n\n";
}

/** The chunks of a simple answer: start, the text in `pieces`, optional extra chunks, finish. */
export function answerChunks(pieces: string[], extra: unknown[] = [], messageId = `m-${Math.random().toString(36).slice(2)}`): unknown[] {
  return [
    { type: "start", messageId, messageMetadata: { model: "offline-small", tier: "small", costUsd: 0.00012 } },
    ...extra,
    { type: "text-start", id: "t" },
    ...pieces.map((delta) => ({ type: "text-delta", id: "t", delta })),
    { type: "text-end", id: "t" },
    { type: "finish", messageMetadata: { usage: { inputTokens: 10, outputTokens: 20 } } },
  ];
}

export interface FakeWorker {
  /** Bodies of every POST /v1/chat. */
  chatRequests: Record<string, unknown>[];
  feedback: { body: Record<string, unknown>; authorization?: string }[];
  historyRequests: { url: string; authorization?: string }[];
  /** Every URL requested from a host other than the fake site. */
  foreignRequests: string[];
  /** The next chat answers, served in order (the last one repeats). */
  answers: unknown[][];
  /** Messages returned by the history endpoint, per session id. */
  history: Map<string, unknown[]>;
  config: Record<string, unknown> | undefined;
  /** Headers added to the page's HTML response (e.g. a Content-Security-Policy). */
  pageHeaders: Record<string, string>;
  /** HTML of the pages, by path. */
  pages: Map<string, string>;
}

const widgetScript = () => readFileSync("dist/public/widget.js");

/** Installs the fake site and worker on a browser context. */
export async function installFakeWorker(context: BrowserContext): Promise<FakeWorker> {
  const fake: FakeWorker = {
    chatRequests: [],
    feedback: [],
    historyRequests: [],
    foreignRequests: [],
    answers: [],
    history: new Map(),
    config: undefined,
    pageHeaders: {},
    pages: new Map(),
  };
  await context.route(
    (url) => url.origin !== SITE,
    (route) => {
      fake.foreignRequests.push(route.request().url());
      return route.abort();
    },
  );
  await context.route(`${SITE}/**`, async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    const path = url.pathname;
    if (path === "/widget.js") return route.fulfill({ body: widgetScript(), contentType: "text/javascript" });
    if (path === "/axe.js") return route.fulfill({ body: axeSource(), contentType: "text/javascript" });
    if (path.startsWith("/v1/images/")) return route.fulfill({ body: PNG, contentType: "image/png" });
    if (path === "/v1/chat") {
      fake.chatRequests.push(request.postDataJSON() as Record<string, unknown>);
      const chunks = fake.answers.length > 1 ? fake.answers.shift()! : (fake.answers[0] ?? answerChunks(["Hello."]));
      return route.fulfill({ body: sse(chunks), headers: { "content-type": "text/event-stream", "x-vercel-ai-ui-message-stream": "v1" } });
    }
    if (/^\/v1\/bots\/[^/]+\/config$/.test(path)) {
      if (!fake.config) return route.fulfill({ status: 404, json: { error: { code: "not_found", message: "No such bot." } } });
      return route.fulfill({ json: fake.config });
    }
    const history = /^\/v1\/sessions\/([^/]+)\/messages$/.exec(path);
    if (history) {
      const authorization = request.headers().authorization;
      fake.historyRequests.push({ url: request.url(), authorization });
      const messages = fake.history.get(decodeURIComponent(history[1]!));
      if (!messages) return route.fulfill({ status: 404, json: { error: { code: "not_found", message: "No such session." } } });
      return route.fulfill({ json: { messages } });
    }
    if (path === "/v1/feedback") {
      fake.feedback.push({ body: request.postDataJSON() as Record<string, unknown>, authorization: request.headers().authorization });
      return route.fulfill({ json: { ok: true } });
    }
    const page = fake.pages.get(path);
    if (page !== undefined) return route.fulfill({ body: page, contentType: "text/html", headers: fake.pageHeaders });
    return route.fulfill({ status: 404, body: "not found" });
  });
  return fake;
}

/** A minimal host page with one script tag carrying `attributes`. */
export function scriptTagPage(attributes: string, { lang = "en", body = "" } = {}): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>host</title></head><body><main><h1>Host page</h1><p>Some content.</p>${body}</main><script src="/widget.js" ${attributes} async></script></body></html>`;
}

let axe: string | undefined;
/** The axe-core source, served to the page as a same-origin script (works under a strict CSP). */
export function axeSource(): string {
  axe ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axe;
}

/** Runs axe-core on the page and returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.addScriptTag({ url: `${SITE}/axe.js` });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  });
}

/** The widget's shadow root content, as seen through a locator prefix. */
export const W = "[data-edgechat]";

/** Where the browser tests save their screenshots for review (created on first use). */
export function screenshotDir(): string {
  mkdirSync("test-results/screenshots", { recursive: true });
  return "test-results/screenshots";
}

/** A fresh context and page with a shorter default timeout and the page's uncaught errors collected. */
export async function newTestPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, errors };
}
