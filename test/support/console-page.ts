import { mkdirSync } from "node:fs";
import type { BrowserContext, Page, Route } from "playwright-core";
import { axeSource } from "./widget-page";

/**
 * Helpers for browser tests of the owner console (/admin): the real worker serves the shell and the
 * bundle; `installFakeConsoleApi` may answer /v1/console/* with canned data, so pages can be drawn in
 * every state (and with hostile text) without the identity backend.
 */

export interface FakeConsoleData {
  member: Record<string, unknown> | null;
  bots: Record<string, unknown>[];
  bot: Record<string, unknown>;
  documents: Record<string, unknown>[];
  analytics: Record<string, unknown>;
  members: Record<string, unknown>[];
  keys: Record<string, unknown>[];
  invitation?: Record<string, unknown>;
}

export interface FakeConsoleApi {
  data: FakeConsoleData;
  /** Every request made to /v1/console/*, as "METHOD /path". */
  requests: string[];
  /** JSON bodies of writes, by "METHOD /path". */
  bodies: Map<string, unknown>;
  /** Answers to use once for "METHOD /path" instead of the canned ones. */
  overrides: Map<string, { status: number; json?: unknown }>;
}

/** A friendly, realistic data set: what screenshots show. */
export function friendlyConsoleData(): FakeConsoleData {
  const today = new Date();
  const days = Array.from({ length: 7 }, (_, i) => {
    const date = new Date(today.getTime() - (6 - i) * 86_400_000).toISOString().slice(0, 10);
    return { date, conversations: [3, 5, 4, 8, 6, 9, 7][i]!, answers: { small: [5, 8, 6, 12, 9, 14, 10][i]!, large: [1, 2, 1, 3, 2, 2, 3][i]!, escalated: [0, 1, 0, 1, 1, 0, 2][i]! }, costUsd: [0.12, 0.2, 0.15, 0.41, 0.3, 0.38, 0.33][i]!, groundedShare: [0.8, 0.75, 0.9, 0.7, 0.85, 0.92, 0.88][i]!, feedback: { up: [2, 3, 1, 4, 2, 5, 3][i]!, down: [0, 1, 0, 1, 0, 0, 1][i]! } };
  });
  return {
    member: { id: "m-1", name: "ada", displayName: "Ada Lovelace", role: "admin", bots: "all" },
    bots: [
      { id: "demo", name: "Acme Cloud help", config: {}, today: { conversations: 7, costUsd: 0.33 } },
      { id: "billing", name: "Billing questions", config: {}, today: { conversations: 0, costUsd: 0 } },
    ],
    bot: {
      id: "demo",
      name: "Acme Cloud help",
      config: {
        systemPrompt: "You are the support assistant of Acme Cloud.",
        greeting: "Hi! Ask me anything about Acme Cloud.",
        starterQuestions: ["How do I reset my password?", "What plans exist?"],
        theme: { mode: "auto" },
        allowedOrigins: ["https://docs.acme.test"],
        models: {},
        routing: { policy: "auto" },
        images: { enabled: true, perSession: 3, perDay: 50 },
        limits: { dailyBudgetUsd: 5 },
      },
    },
    documents: [
      { id: "getting-started.md", title: "Getting started", url: "/docs/getting-started", format: "markdown", status: "ready", chunks: 6, updatedAt: Date.now() - 3_600_000 },
      { id: "billing.html", title: "Billing and plans", url: "/docs/billing", format: "html", status: "ready", chunks: 4, updatedAt: Date.now() - 86_400_000 },
      { id: "broken.txt", title: "broken.txt", url: "", format: "text", status: "failed", chunks: 0, updatedAt: Date.now(), error: "The file is empty." },
    ],
    analytics: { days, dailySpendingCapUsd: 0.5, unansweredQuestions: [{ question: "Do you have an on-premise version?", count: 4 }, { question: "Can I pay by invoice?", count: 2 }] },
    members: [
      { id: "m-1", name: "ada", displayName: "Ada Lovelace", role: "admin", bots: "all", createdAt: Date.now() - 10 * 86_400_000, status: "active" },
      { id: "m-2", name: "grace", displayName: "Grace Hopper", role: "editor", bots: ["demo"], createdAt: Date.now() - 86_400_000, status: "active" },
      { id: "m-3", name: "linus", role: "agent", bots: ["billing"], createdAt: Date.now(), status: "invited" },
    ],
    keys: [
      { id: "k-1", name: "docs-ci", role: "editor", bots: ["demo"], createdAt: Date.now() - 5 * 86_400_000, lastUsedAt: Date.now() - 3_600_000, revokedAt: null, prefix: "ec_3f9a" },
      { id: "k-2", name: "old-script", role: "admin", bots: "all", createdAt: Date.now() - 40 * 86_400_000, lastUsedAt: null, revokedAt: Date.now() - 2 * 86_400_000, prefix: "ec_77b1" },
    ],
    invitation: { name: "grace", role: "editor", bots: ["demo"], expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  };
}

/** Answers /v1/console/* of `baseUrl` from `data` (the rest goes to the real worker). */
export async function installFakeConsoleApi(context: BrowserContext, baseUrl: string, data: FakeConsoleData): Promise<FakeConsoleApi> {
  const fake: FakeConsoleApi = { data, requests: [], bodies: new Map(), overrides: new Map() };
  await context.route(`${baseUrl}/v1/console/**`, async (route: Route) => {
    const request = route.request();
    const path = new URL(request.url()).pathname;
    const key = `${request.method()} ${path}`;
    fake.requests.push(key);
    if (request.method() !== "GET" && !request.headers()["content-type"]?.startsWith("multipart/")) fake.bodies.set(key, request.postDataJSON());
    const override = fake.overrides.get(key);
    if (override) {
      fake.overrides.delete(key);
      return route.fulfill({ status: override.status, json: override.json });
    }
    const json = (body: unknown, status = 200) => route.fulfill({ status, json: body });
    if (key === "GET /v1/console/me") return data.member ? json({ member: data.member }) : json({ error: { code: "unauthorized", message: "Sign in first." } }, 401);
    if (key === "POST /v1/console/sign-in") return json({ member: data.member });
    if (key === "POST /v1/console/sign-out") return route.fulfill({ status: 204 });
    if (/^GET \/v1\/console\/invitations\/[^/]+$/.test(key)) return data.invitation ? json(data.invitation) : json({ error: { code: "invitation_not_found", message: "No such invitation." } }, 404);
    if (key === "POST /v1/console/invitations/accept") return json({ member: data.member });
    if (key === "GET /v1/console/bots") return json({ bots: data.bots });
    if (key === "POST /v1/console/bots") return json({ bot: request.postDataJSON() }, 201);
    if (/^GET \/v1\/console\/bots\/[^/]+$/.test(key)) return json({ bot: data.bot, handoffSecret: "whsec_0123456789abcdef" });
    if (/^PUT \/v1\/console\/bots\/[^/]+$/.test(key)) return json({ bot: { id: data.bot.id, ...(request.postDataJSON() as object) } });
    if (/^GET \/v1\/console\/bots\/[^/]+\/documents$/.test(key)) return json({ documents: data.documents });
    if (/^POST \/v1\/console\/bots\/[^/]+\/files$/.test(key)) {
      const body = request.postDataBuffer()?.toString("latin1") ?? "";
      const file = /filename="([^"]+)"/.exec(body)?.[1] ?? "file";
      if (file.endsWith(".exe")) return json({ results: [{ file, status: "failed", chunks: 0, error: { code: "unsupported_type", message: `${file}: only .md, .mdx, .markdown, .html, .htm and .txt files can be indexed.` } }] });
      if (file.startsWith("huge")) return json({ error: { code: "payload_too_large", message: "The upload is larger than 5 MB." } }, 413);
      data.documents = [...data.documents, { id: file, title: file, url: "", format: "markdown", status: "ready", chunks: 2, updatedAt: Date.now() }];
      return json({ results: [{ file, id: file, status: "indexed", chunks: 2 }] });
    }
    if (/^DELETE /.test(key) || /\/reindex$/.test(key)) return route.fulfill({ status: key.startsWith("DELETE") ? 204 : 200, json: key.startsWith("DELETE") ? undefined : { result: { status: "indexed" } } });
    if (/^GET \/v1\/console\/bots\/[^/]+\/analytics$/.test(key)) return json(data.analytics);
    if (key === "GET /v1/console/members") return json({ members: data.members });
    if (key === "POST /v1/console/members/invitations") return json({ invitation: { url: `${baseUrl}/admin/invite#inv_${"x".repeat(32)}`, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } }, 201);
    if (/^PATCH \/v1\/console\/members\//.test(key)) return json({ member: {} });
    if (key === "GET /v1/console/api-keys") return json({ keys: data.keys });
    if (key === "POST /v1/console/api-keys") return json({ key: { id: "k-new", name: "new", role: "editor", bots: "all", secret: `ec_${"s".repeat(40)}` } }, 201);
    return json({ error: { code: "not_found", message: `fake: ${key}` } }, 404);
  });
  return fake;
}

/** Collects Content-Security-Policy violations of every page in the context (window.__cspViolations). */
export async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const list: string[] = [];
    Object.defineProperty(window, "__cspViolations", { value: list });
    addEventListener("securitypolicyviolation", (event) => list.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

/** Runs axe-core on a console page (served same-origin, so the strict CSP allows it): serious and critical violations. */
export async function consoleAxeViolations(page: Page, baseUrl: string): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.context().route(`${baseUrl}/__axe.js`, (route) => route.fulfill({ body: axeSource(), contentType: "text/javascript" }));
  await page.addScriptTag({ url: `${baseUrl}/__axe.js` });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  });
}

/**
 * Holds the `method` requests to `url` (a route pattern) until `release()`, then lets them go on to the routes
 * registered before (a fake API): what a page does while an answer is on its way can be tested without timing.
 */
export async function holdRequests(context: BrowserContext, url: string, method: string): Promise<{ held: () => number; release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await context.route(url, async (route) => {
    if (route.request().method() !== method) return route.fallback();
    held++;
    await released;
    return route.fallback();
  });
  return { held: () => held, release };
}

/**
 * Resolves once `count` frames have been drawn and a task has run after them: whatever the page put off to its
 * next frames (requestAnimationFrame, effects that run after paint) has happened by then.
 */
export function afterFrames(page: Page, count = 4): Promise<void> {
  return page.evaluate(
    (frames) =>
      new Promise<void>((resolve) => {
        const next = (left: number) => (left === 0 ? setTimeout(resolve) : requestAnimationFrame(() => next(left - 1)));
        next(frames);
      }),
    count,
  );
}

/** Where console screenshots go for review. */
export function consoleScreenshotDir(): string {
  mkdirSync("test-results/screenshots/console", { recursive: true });
  return "test-results/screenshots/console";
}

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };
