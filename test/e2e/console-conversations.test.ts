import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { BrowserContext, Page, Route } from "playwright-core";
import { launchChromium } from "../support/browser";
import { DESKTOP, PHONE, afterFrames, consoleAxeViolations, consoleScreenshotDir, cspViolations, friendlyConsoleData, holdRequests, installFakeConsoleApi, recordCspViolations, type FakeConsoleData } from "../support/console-page";
import { signInConsoleMember } from "../support/console-member";
import { XSS_PAYLOADS } from "../support/xss-payloads";

// The conversation pages of the console (issue 13) in Chromium, served by the real worker (shell, CSP, bundle),
// with the console API answered by a small in-test conversations backend that keeps to the contract
// (filters, cursor pages, transcript, live events, takeover, handoff requests, erasure), so every state and
// hostile text can be drawn. The real backends are driven by takeover-journey.test.ts.
const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

const FLAGS = ["needsPerson", "thumbsDown", "noSources", "escalated", "failed"] as const;
type Flag = (typeof FLAGS)[number];
type Summary = { sessionId: string; botId: string; startedAt: number; lastActivityAt: number; firstQuestion: string | null; turns: number; costUsd: number; flags: Record<Flag, boolean>; handoff: Record<string, unknown> };
type Message = Record<string, unknown> & { id: string };

const QUESTIONS = [
  "How do I reset my password?",
  "What plans do you offer?",
  "Can I pay by invoice?",
  "Is there an on-premise version?",
  "How do I export my data?",
  "Why was my card declined?",
  "Can I talk to a person please?",
  "Where are your servers?",
  "How do I add a teammate?",
  "Does the API have rate limits?",
];
const HOUR = 3_600_000;
const NOW = Date.now();

/** 30 conversations, newest first, with flags spread so every filter and pair of filters matches some and not others. */
function friendlyConversations(): Summary[] {
  return Array.from({ length: 30 }, (_, i) => ({
    sessionId: `sess-${String(i).padStart(2, "0")}`,
    botId: "demo",
    startedAt: NOW - i * 5 * HOUR - HOUR,
    lastActivityAt: NOW - i * 5 * HOUR,
    firstQuestion: QUESTIONS[i % QUESTIONS.length]!,
    turns: 1 + (i % 4),
    costUsd: 0.0004 * (i + 1),
    flags: { needsPerson: i % 10 === 6 || i === 0, thumbsDown: i % 3 === 0, noSources: i % 4 === 3, escalated: i % 5 === 2, failed: i % 7 === 5 },
    handoff: i === 0 ? { state: "requested", requestedAt: NOW - 60_000 } : i === 6 ? { state: "human", agentName: "Grace Hopper", since: NOW - 30 * HOUR } : { state: "none" },
  }));
}

/** A transcript that uses what the page must show: Markdown, a citation, an image, an agent's message, every answer detail. */
function friendlyTranscript(sessionId: string): Message[] {
  const t = NOW - 40 * 60_000;
  return [
    { id: `${sessionId}-1`, role: "user", author: { kind: "visitor" }, createdAt: t, status: "complete", text: "What plans do you offer? I need *something* for 12 people." },
    {
      id: `${sessionId}-2`,
      role: "assistant",
      author: { kind: "ai" },
      createdAt: t + 4_000,
      status: "complete",
      text: "Acme Cloud has three plans [1]:\n\n| Plan | Price |\n|---|---|\n| Free | $0 |\n| **Pro** | $12 per seat |\n| Business | $30 per seat |\n\nFor 12 people, **Pro** fits:\n\n- unlimited projects\n- `SSO` on request",
      parts: [
        { type: "text", text: "…" },
        { type: "source-url", sourceId: "s1", url: "https://docs.acme.test/billing", title: "Billing and plans" },
      ],
      metadata: { tier: "large", model: "gpt-5-mini", escalated: true, routeReasons: ["comparison question", "long answer expected"], costUsd: 0.0021, sources: [{ title: "Billing and plans", url: "https://docs.acme.test/billing", score: 0.83 }, { title: "Getting started", url: "https://docs.acme.test/start", score: 0.41 }], feedback: "up" },
    },
    { id: `${sessionId}-3`, role: "user", author: { kind: "visitor" }, createdAt: t + 60_000, status: "complete", text: "Draw me the Acme mascot" },
    {
      id: `${sessionId}-4`,
      role: "assistant",
      author: { kind: "ai" },
      createdAt: t + 70_000,
      status: "complete",
      text: "Here is the Acme mascot, a friendly cloud.",
      parts: [{ type: "file", url: "/v1/images/demo/mascot.png", mediaType: "image/png" }],
      metadata: { tier: "small", model: "gpt-5-nano", costUsd: 0.04, failoverReasons: ["primary image model timed out"], feedback: "down" },
    },
    { id: `${sessionId}-5`, role: "user", author: { kind: "visitor" }, createdAt: t + 120_000, status: "complete", text: "Can I talk to a person please?" },
    { id: `${sessionId}-6`, role: "assistant", author: { kind: "ai" }, createdAt: t + 121_000, status: "complete", text: "Our team answers on weekdays. Shall I ask a person to join?", metadata: { tier: "none", model: "none", curated: true, correctionId: "corr-7", costUsd: 0 } },
    { id: `${sessionId}-7`, role: "assistant", author: { kind: "human", name: "Grace Hopper" }, createdAt: t + 180_000, status: "complete", text: "Hi, I'm Grace from Acme. I can set up **Pro** for your team today.", metadata: { author: { kind: "human", name: "Grace Hopper" } } },
  ];
}

interface FakeConversations {
  list: Summary[];
  transcripts: Map<string, Message[]>;
  handoffs: { botId: string; sessionId: string; requestedAt: number; firstQuestion: string | null }[];
  /** Events the next events request answers with (then the stream ends, as a server restart would). */
  events: { event: "message" | "handoff"; data: Record<string, unknown> }[];
  requests: string[];
  bodies: Map<string, unknown>;
}

/** The conversations part of the console API, to the contract, over `fake` (registered after the general fake, so it answers first). */
async function installFakeConversations(context: BrowserContext, fake: FakeConversations): Promise<void> {
  await context.route(`${baseUrl}/v1/images/**`, (route) => route.fulfill({ status: 200, contentType: "image/png", body: PNG }));
  await context.route(`${baseUrl}/v1/console/**`, async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    const key = `${request.method()} ${url.pathname}`;
    const json = (body: unknown, status = 200) => route.fulfill({ status, json: body });
    let match: RegExpExecArray | null;
    if (key === "GET /v1/console/handoffs") {
      fake.requests.push(`${key}`);
      return json({ handoffs: fake.handoffs });
    }
    if ((match = /^(GET|DELETE) \/v1\/console\/bots\/demo\/conversations(?:\/([^/]+))?$/.exec(key))) {
      fake.requests.push(`${key}${url.search}`);
      const sessionId = match[2] ? decodeURIComponent(match[2]) : undefined;
      if (!sessionId) return json(page(fake.list, url.searchParams));
      const conversation = fake.list.find((c) => c.sessionId === sessionId);
      if (!conversation) return json({ error: { code: "conversation_not_found", message: "There is no such conversation." } }, 404);
      if (match[1] === "DELETE") {
        fake.list = fake.list.filter((c) => c !== conversation);
        return json({ erased: { messages: (fake.transcripts.get(sessionId) ?? friendlyTranscript(sessionId)).length, turns: conversation.turns, feedback: 2, images: 1 } });
      }
      return json({ conversation, messages: fake.transcripts.get(sessionId) ?? friendlyTranscript(sessionId) });
    }
    if ((match = /^(GET|POST) \/v1\/console\/sessions\/([^/]+)\/(events|takeover|messages|release)$/.exec(key))) {
      fake.requests.push(key);
      const sessionId = decodeURIComponent(match[2]!);
      const conversation = fake.list.find((c) => c.sessionId === sessionId)!;
      if (match[3] === "events") {
        // Starts with the current handoff state, as the contract says; a queued handoff event becomes the state.
        const events = [{ event: "handoff", data: conversation.handoff }, ...fake.events.splice(0)];
        for (const event of events) if (event.event === "handoff") conversation.handoff = event.data;
        const body = `retry: 300\n\n${events.map((event) => `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`).join("")}`;
        return route.fulfill({ status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-store" }, body });
      }
      if (match[3] === "takeover") conversation.handoff = { state: "human", agentName: "Ada Lovelace", since: Date.now() };
      if (match[3] === "release") conversation.handoff = { state: "none" };
      if (match[3] === "messages") {
        const { text } = request.postDataJSON() as { text: string };
        fake.bodies.set(key, { text });
        const message = { id: `agent-${Date.now()}`, role: "assistant", author: { kind: "human", name: "Ada Lovelace" }, createdAt: Date.now(), status: "complete", text, metadata: { author: { kind: "human", name: "Ada Lovelace" } } };
        fake.transcripts.set(sessionId, [...(fake.transcripts.get(sessionId) ?? friendlyTranscript(sessionId)), message]);
        return json({ message }, 201);
      }
      return json({ handoff: conversation.handoff });
    }
    return route.fallback();
  });
}

/** What the contract's list endpoint answers: flags ANDed, from/to in unix ms on the last activity, q over the questions, cursor pages. */
function page(list: Summary[], params: URLSearchParams) {
  const flags = (params.get("flags") ?? "").split(",").filter(Boolean) as Flag[];
  const from = Number(params.get("from") ?? -Infinity);
  const to = Number(params.get("to") ?? Infinity);
  const q = params.get("q")?.toLowerCase();
  const matching = list.filter((c) => flags.every((flag) => c.flags[flag]) && c.lastActivityAt >= from && c.lastActivityAt <= to && (!q || (c.firstQuestion ?? "").toLowerCase().includes(q)));
  const offset = Number(params.get("cursor")?.slice("o:".length) ?? 0);
  const limit = Number(params.get("limit") ?? 25);
  const conversations = matching.slice(offset, offset + limit);
  return { conversations, nextCursor: offset + limit < matching.length ? `o:${offset + limit}` : null };
}

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGPQqLiDFTEMLQkA8eRfATA3bycAAAAASUVORK5CYII=", "base64");

function freshFake(): FakeConversations {
  return { list: friendlyConversations(), transcripts: new Map(), handoffs: [{ botId: "demo", sessionId: "sess-00", requestedAt: NOW - 60_000, firstQuestion: "How do I reset my password?" }], events: [], requests: [], bodies: new Map() };
}

async function open(path: string, { data = friendlyConsoleData(), fake = freshFake(), viewport = DESKTOP, colorScheme = "light" as "light" | "dark" } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  context.setDefaultTimeout(15_000);
  await recordCspViolations(context);
  await installFakeConsoleApi(context, baseUrl, data);
  await installFakeConversations(context, fake);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => (dialogs.push(dialog.message()), void dialog.accept()));
  await page.goto(`${baseUrl}${path}`);
  return { context, page, fake, errors, dialogs };
}

const rowQuestions = (page: Page) => page.locator(".conversations-table tbody th.question").allTextContents();
const listRequests = (fake: FakeConversations) => fake.requests.filter((r) => r.startsWith("GET /v1/console/bots/demo/conversations?"));

describe("the console's conversation pages", () => {
  it("inbox: newest first, filters that combine and stay in the URL, Load more by cursor, exports with the same filters", async () => {
    const { context, page, fake, errors } = await open("/admin/bots/demo/conversations");
    await page.locator(".conversations-table").waitFor();
    // Newest first, 25 a page, each row: question (a link to the transcript), turns, last activity, cost, flags.
    await expect.poll(() => page.locator(".conversations-table tbody tr").count()).toBe(25);
    const first = page.locator(".conversations-table tbody tr").first();
    expect(await first.locator("th a").getAttribute("href")).toBe("/admin/bots/demo/conversations/sess-00");
    expect(await first.locator("td").allTextContents()).toEqual(["1", expect.stringMatching(/\d/), "$0.0004", "Person requestedNeeds a personThumbs down"]);
    expect(await page.locator("nav[aria-label='Bot pages'] a[aria-current=page]").textContent()).toBe("Conversations");

    await page.click("button:text('Load more')");
    await expect.poll(() => page.locator(".conversations-table tbody tr").count()).toBe(30);
    expect(await page.locator("button:text('Load more')").count()).toBe(0);
    expect(listRequests(fake).at(-1)).toContain("cursor=o%3A25");
    expect(await rowQuestions(page)).toEqual(friendlyConversations().map((c) => c.firstQuestion));

    // Two flags combine (AND); the page asks for both and shows exactly the matching conversations.
    await page.check("#flag-thumbsDown");
    await page.check("#flag-escalated");
    const both = friendlyConversations().filter((c) => c.flags.thumbsDown && c.flags.escalated);
    expect(both.length).toBeGreaterThan(0);
    expect(both.length).toBeLessThan(friendlyConversations().filter((c) => c.flags.thumbsDown).length);
    await expect.poll(() => rowQuestions(page)).toEqual(both.map((c) => c.firstQuestion));
    expect(listRequests(fake).at(-1)).toContain("flags=thumbsDown,escalated");
    expect(new URL(page.url()).search).toBe("?flags=thumbsDown,escalated");

    // The text search joins them; a reload keeps every filter.
    await page.uncheck("#flag-escalated");
    await page.fill("#filter-q", "plans");
    await page.press("#filter-q", "Enter");
    const plans = friendlyConversations().filter((c) => c.flags.thumbsDown && c.firstQuestion!.includes("plans"));
    await expect.poll(() => rowQuestions(page)).toEqual(plans.map((c) => c.firstQuestion));
    await page.reload();
    await expect.poll(() => rowQuestions(page)).toEqual(plans.map((c) => c.firstQuestion));
    expect(await page.isChecked("#flag-thumbsDown")).toBe(true);
    expect(await page.inputValue("#filter-q")).toBe("plans");

    // Export links carry the same filters to the export endpoint.
    const jsonl = new URL((await page.getAttribute("a:text('Export JSONL')", "href"))!, baseUrl);
    const csv = new URL((await page.getAttribute("a:text('Export CSV')", "href"))!, baseUrl);
    expect(jsonl.pathname).toBe("/v1/console/bots/demo/conversations/export");
    expect(Object.fromEntries(jsonl.searchParams)).toEqual({ format: "jsonl", flags: "thumbsDown", q: "plans" });
    expect(Object.fromEntries(csv.searchParams)).toEqual({ format: "csv", flags: "thumbsDown", q: "plans" });

    // A date range: whole local days, `to` inclusive.
    await page.click("button:text('Clear filters')");
    await expect.poll(() => page.locator(".conversations-table tbody tr").count()).toBe(25);
    const day = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
    const target = friendlyConversations()[12]!;
    await page.fill("#filter-from", day(target.lastActivityAt));
    await page.fill("#filter-to", day(target.lastActivityAt));
    const start = new Date(`${day(target.lastActivityAt)}T00:00:00`).getTime();
    const sameDay = friendlyConversations().filter((c) => c.lastActivityAt >= start && c.lastActivityAt < start + 24 * HOUR);
    await expect.poll(() => rowQuestions(page)).toEqual(sameDay.map((c) => c.firstQuestion));
    const params = new URL(listRequests(fake).at(-1)!, baseUrl).searchParams;
    expect([Number(params.get("from")), Number(params.get("to"))]).toEqual([start, new Date(start).setDate(new Date(start).getDate() + 1) - 1]);

    // Nothing matches: a sentence, not an empty table.
    await page.goto(`${baseUrl}/admin/bots/demo/conversations?q=zebra`);
    await page.locator("text=No conversation matches these filters.").waitFor();
    await page.screenshot({ path: `${consoleScreenshotDir()}/conversations-empty-filter.png`, animations: "disabled" });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("transcript: every message as the visitor saw it, each answer's tier, model, reasons, cost, sources with scores, feedback, curated", async () => {
    const { context, page, errors } = await open("/admin/bots/demo/conversations");
    await page.click("a:text('What plans do you offer?')");
    await page.locator(".turns").waitFor();
    expect(new URL(page.url()).pathname).toBe("/admin/bots/demo/conversations/sess-01");
    const turns = page.locator(".turns > li");
    expect(await turns.count()).toBe(7);
    expect(await page.locator(".turn-author").allTextContents()).toEqual(["Visitor", "AI", "Visitor", "AI", "Visitor", "AI", "Grace Hopper (person)"]);
    // The visitor's text is text (no Markdown), the answer's Markdown is rendered: table, strong, list, code.
    expect(await turns.nth(0).locator(".visitor-text").textContent()).toBe("What plans do you offer? I need *something* for 12 people.");
    const answer = turns.nth(1);
    expect(await answer.locator(".md table tbody tr").count()).toBe(3);
    expect(await answer.locator(".md strong").first().textContent()).toBe("Pro");
    expect(await answer.locator(".md li code").textContent()).toBe("SSO");
    // The citation links to the message's source, as in the widget.
    expect(await answer.locator(".cite a").getAttribute("href")).toBe("https://docs.acme.test/billing");
    expect(await answer.locator(".answer-badges li").allTextContents()).toEqual(["Large model", "gpt-5-mini", "Escalated", "$0.0021", "Thumbs up"]);
    expect(await answer.locator(".reasons").textContent()).toBe("Routing: comparison question; long answer expected");
    expect(await answer.locator(".answer-sources li").allTextContents()).toEqual(["Billing and plans score 0.83", "Getting started score 0.41"]);
    // The generated image, loaded from this worker.
    const image = turns.nth(3).locator(".turn-image img");
    expect(await image.getAttribute("src")).toBe(`${baseUrl}/v1/images/demo/mascot.png`);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(8);
    expect(await turns.nth(3).locator(".answer-badges li").allTextContents()).toEqual(["Small model", "gpt-5-nano", "$0.04", "Thumbs down"]);
    expect(await turns.nth(3).locator(".reasons").textContent()).toBe("Failover: primary image model timed out");
    expect(await turns.nth(5).locator(".badge.curated").textContent()).toBe("Curated answer · corr-7");
    // An agent's message: the name, no AI details.
    expect(await turns.nth(6).locator(".answer-details").count()).toBe(0);
    expect(await turns.nth(6).locator(".md strong").textContent()).toBe("Pro");
    await page.screenshot({ path: `${consoleScreenshotDir()}/conversation-desktop-light.png`, fullPage: true, animations: "disabled" });

    // "Correct this" opens the correction editor with the visitor's question, the answer and its sources.
    expect(await page.locator(".turn.ai .correct-this").count()).toBe(3);
    expect(await page.locator(".turn.human .correct-this").count()).toBe(0);
    await answer.locator("button:text('Correct this')").click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("correction-new-question");
    expect(await page.inputValue("#correction-new-question")).toBe("What plans do you offer? I need *something* for 12 people.");
    expect(await page.inputValue("#correction-new-answer")).toContain("Acme Cloud has three plans [1]:");
    expect(await page.inputValue("#correction-new-sources")).toBe("Billing and plans | https://docs.acme.test/billing\nGetting started | https://docs.acme.test/start");
    await page.screenshot({ path: `${consoleScreenshotDir()}/conversation-correct-this.png`, fullPage: true, animations: "disabled" });
    await page.click("button:text('Cancel')");
    await expect.poll(() => page.locator(".correction-editor").count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe("correct-this");
    expect(await cspViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("Correct this: what is typed stays where it was typed, through the stream connecting, refetches and new live messages", async () => {
    const fake = freshFake();
    const { context, page, errors } = await open("/admin/bots/demo/conversations/sess-01", { fake });
    const answer = page.locator('[data-message-id="sess-01-2"]');
    await answer.locator(".correct-this").waitFor();
    // The editor opens with the focus in its question. The person clicks into the answer before the next frame is
    // drawn (a slow machine's frames come late): nothing the page put off to a later frame may take the focus back.
    const openedOn = await page.evaluate(async () => {
      document.querySelector<HTMLButtonElement>('[data-message-id="sess-01-2"] .correct-this')!.click();
      for (let i = 0; i < 1000 && !document.querySelector("#correction-new-answer"); i++) await Promise.resolve();
      const focused = document.activeElement?.id;
      const field = document.querySelector<HTMLTextAreaElement>("#correction-new-answer")!;
      field.focus();
      field.select();
      return focused;
    });
    await afterFrames(page);
    await page.keyboard.type("Pro fits a team of 12.");
    const question = "What plans do you offer? I need *something* for 12 people.";
    expect(await page.inputValue("#correction-new-answer")).toBe("Pro fits a team of 12.");
    expect(await page.inputValue("#correction-new-question")).toBe(question);
    expect(openedOn).toBe("correction-new-question");

    // The fake ends each event stream: the page connects again and refetches the transcript, again and again.
    const transcriptLoads = () => fake.requests.filter((r) => r === "GET /v1/console/bots/demo/conversations/sess-01").length;
    const loadsBefore = transcriptLoads();
    await expect.poll(transcriptLoads).toBeGreaterThanOrEqual(loadsBefore + 2);
    // A new message arrives live: it shows, and the open editor stays as the person left it, focus included.
    fake.events.push({ event: "message", data: { id: "live-q", role: "user", author: { kind: "visitor" }, createdAt: Date.now(), status: "complete", text: "Hello again?" } });
    await expect.poll(() => page.locator(".turns > li").count()).toBe(8);
    expect(await page.locator(".turns > li").last().locator(".visitor-text").textContent()).toBe("Hello again?");
    // and the summary refresh that follows live messages.
    const loadsAfterMessage = transcriptLoads();
    await expect.poll(transcriptLoads).toBeGreaterThanOrEqual(loadsAfterMessage + 1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("correction-new-answer");
    await page.keyboard.type(" SSO on request.");
    expect(await page.inputValue("#correction-new-answer")).toBe("Pro fits a team of 12. SSO on request.");
    expect(await page.inputValue("#correction-new-question")).toBe(question);
    expect(await page.locator(".correction-editor").count()).toBe(1);

    // While it saves, the fields take no typing (the editor closes with what was sent, and would take it along).
    const posted: unknown[] = [];
    await context.route(`${baseUrl}/v1/console/bots/demo/corrections`, (route) => (posted.push(route.request().postDataJSON()), route.fulfill({ status: 201, json: { correction: { id: "cor-1", ...(route.request().postDataJSON() as object) } } })));
    const saving = await holdRequests(context, `${baseUrl}/v1/console/bots/demo/corrections`, "POST");
    await page.click("form.correction-editor button[type=submit]");
    await expect.poll(saving.held).toBe(1);
    await page.focus("#correction-new-answer");
    await page.keyboard.type(" Typed while saving.");
    expect(await page.inputValue("#correction-new-answer")).toBe("Pro fits a team of 12. SSO on request.");
    saving.release();
    await page.locator(".notice.success", { hasText: "Saved as a curated answer" }).waitFor();
    expect(posted).toEqual([expect.objectContaining({ question, answer: "Pro fits a team of 12. SSO on request." })]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("takeover reply box: what the agent types while a message is on its way or live events arrive stays; a message that fails comes back", async () => {
    const fake = freshFake();
    const { context, page, errors } = await open("/admin/bots/demo/conversations/sess-00", { fake });
    await page.locator("button:text('Take over')").click();
    await page.locator("#agent-message").waitFor();
    const sending = await holdRequests(context, `${baseUrl}/v1/console/sessions/sess-00/messages`, "POST");
    await page.fill("#agent-message", "Hello, I am Ada.");
    await page.press("#agent-message", "Enter");
    await expect.poll(sending.held).toBe(1);
    // The agent goes on typing while it is on its way (the box emptied as it went).
    await page.keyboard.type("What is your order number?");
    sending.release();
    await expect.poll(() => page.locator(".turn.human").count()).toBe(2);
    expect(await page.locator(".turn.human").last().locator(".md").textContent()).toBe("Hello, I am Ada.");
    expect(await page.inputValue("#agent-message")).toBe("What is your order number?");
    // Live messages and refetches leave the box as it is.
    fake.events.push({ event: "message", data: { id: "live-v", role: "user", author: { kind: "visitor" }, createdAt: Date.now() + 1_000, status: "complete", text: "Thanks!" } });
    await expect.poll(() => page.locator(".turn.visitor").last().locator(".visitor-text").textContent()).toBe("Thanks!");
    expect(await page.inputValue("#agent-message")).toBe("What is your order number?");
    // A message the server refuses comes back into the box, before what was typed since.
    await context.route(`${baseUrl}/v1/console/sessions/sess-00/messages`, (route) => route.fulfill({ status: 503, json: { error: { code: "unavailable", message: "The conversation could not be reached." } } }));
    const failing = await holdRequests(context, `${baseUrl}/v1/console/sessions/sess-00/messages`, "POST");
    await page.press("#agent-message", "Enter");
    await expect.poll(failing.held).toBe(1);
    await page.keyboard.type("Please hurry.");
    failing.release();
    await page.locator(".takeover .notice.error", { hasText: "could not be reached" }).waitFor();
    expect(await page.inputValue("#agent-message")).toBe("What is your order number?\nPlease hurry.");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("transcript is live: messages and handoff changes from the events stream show without a reload, and a closed stream reconnects", async () => {
    const fake = freshFake();
    const later = NOW + 1000;
    const question = { id: "live-1", role: "user", author: { kind: "visitor" }, createdAt: later, status: "complete", text: "Are you still there?" };
    fake.events.push(
      { event: "message", data: question },
      { event: "message", data: { id: "live-2", role: "assistant", author: { kind: "ai" }, createdAt: later + 1, status: "complete", text: "Yes, **still here**.", metadata: { tier: "small", model: "gpt-5-nano" } } },
      // The same message again (e.g. after a reconnect) shows once.
      { event: "message", data: question },
      { event: "handoff", data: { state: "requested", requestedAt: later } },
    );
    const { context, page, errors } = await open("/admin/bots/demo/conversations/sess-03", { fake });
    await expect.poll(() => page.locator(".turns > li").count()).toBe(9);
    expect(await page.locator(".turns > li").nth(7).locator(".visitor-text").textContent()).toBe("Are you still there?");
    expect(await page.locator(".turns > li").nth(8).locator(".md strong").textContent()).toBe("still here");
    await expect.poll(() => page.locator(".takeover-state").textContent()).toContain("The visitor asked for a person");
    // The fake ends each stream (like a restarted server): the page connects again and refetches the transcript
    // (once at load, once per connection).
    await expect.poll(() => fake.requests.filter((r) => r.endsWith("/events")).length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => fake.requests.filter((r) => r.startsWith("GET /v1/console/bots/demo/conversations/sess-03")).length).toBeGreaterThanOrEqual(3);
    expect(await page.locator(".turns > li").count()).toBe(9);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("takeover panel: take over, send (Enter), hand back; a member without the right sees who has it but no buttons", async () => {
    const { context, page, fake, errors } = await open("/admin/bots/demo/conversations/sess-00");
    await page.locator("button:text('Take over')").click();
    await page.locator("#agent-message").waitFor();
    expect(await page.locator(".takeover-state").textContent()).toContain("Ada Lovelace has this conversation");
    await page.fill("#agent-message", "Hello, I am Ada. How can I help?");
    await page.press("#agent-message", "Enter");
    await expect.poll(() => page.locator(".turn.human").count()).toBe(2);
    expect(await page.locator(".turn.human .turn-author").last().textContent()).toBe("Ada Lovelace (person)");
    expect(await page.inputValue("#agent-message")).toBe("");
    expect(fake.bodies.get("POST /v1/console/sessions/sess-00/messages")).toEqual({ text: "Hello, I am Ada. How can I help?" });
    await page.screenshot({ path: `${consoleScreenshotDir()}/conversation-takeover.png`, fullPage: true, animations: "disabled" });
    await page.click("button:text('Hand back to the bot')");
    await page.locator("button:text('Take over')").waitFor();
    expect(await page.locator(".takeover-state").textContent()).toBe("The bot answers this conversation.");
    expect(fake.requests.filter((r) => r.startsWith("POST"))).toEqual(["POST /v1/console/sessions/sess-00/takeover", "POST /v1/console/sessions/sess-00/messages", "POST /v1/console/sessions/sess-00/release"]);
    expect(errors).toEqual([]);
    await context.close();

    // An editor reads, but may not take over (the API would refuse): no panel, no notices; the erase button instead.
    const data = friendlyConsoleData();
    data.member = { id: "m-2", name: "grace", displayName: "Grace Hopper", role: "editor", bots: ["demo"] };
    const editor = await open("/admin/bots/demo/conversations/sess-06", { data });
    await editor.page.locator(".turns").waitFor();
    expect(await editor.page.locator("button:text('Take over')").count()).toBe(0);
    expect(await editor.page.locator(".takeover-state").textContent()).toContain("Grace Hopper has this conversation");
    expect(await editor.page.locator("button:text('Erase conversation')").count()).toBe(1);
    expect(editor.fake.requests.filter((r) => r.includes("handoffs"))).toEqual([]);
    await editor.context.close();

    // An agent takes over but may not erase.
    data.member = { id: "m-3", name: "linus", role: "agent", bots: ["demo"] };
    const agent = await open("/admin/bots/demo/conversations/sess-06", { data });
    await agent.page.locator(".turns").waitFor();
    expect(await agent.page.locator("#agent-message").count()).toBe(1);
    expect(await agent.page.locator("button:text('Erase conversation')").count()).toBe(0);
    await agent.context.close();
  });

  it("erases a conversation after a confirmation, and says what was deleted", async () => {
    const { context, page, fake, dialogs } = await open("/admin/bots/demo/conversations/sess-02");
    await page.click("button:text('Erase conversation')");
    await page.locator(".notice.success", { hasText: "Erased: 7 messages, 3 turns, 2 feedback, 1 images." }).waitFor();
    expect(dialogs).toEqual([expect.stringContaining("Erase this conversation?")]);
    expect(fake.list.some((c) => c.sessionId === "sess-02")).toBe(false);
    await page.click(".notice a:text('Back to the conversations')");
    await page.locator(".conversations-table").waitFor();
    const links = await page.locator(".conversations-table tbody th a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toContain("/admin/bots/demo/conversations/sess-01");
    expect(links).not.toContain("/admin/bots/demo/conversations/sess-02");
    await context.close();
  });

  it("shows a notice for each visitor waiting for a person, polling every 5 s and no faster, in a polite live region", async () => {
    const fake = freshFake();
    fake.handoffs = [];
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(15_000);
    await installFakeConsoleApi(context, baseUrl, friendlyConsoleData());
    await installFakeConversations(context, fake);
    const page = await context.newPage();
    // The page's clock: real time until the first poll, then it stands still unless the test moves it.
    await page.clock.install();
    await page.goto(`${baseUrl}/admin`);
    await page.locator(".bots-table").waitFor();
    const polls = () => fake.requests.filter((r) => r === "GET /v1/console/handoffs").length;
    await expect.poll(polls).toBe(1);
    const region = page.locator(".handoff-notice");
    expect(await region.getAttribute("aria-live")).toBe("polite");
    expect(await region.textContent()).toBe("");
    // Jumping 5.5 s fires the pending poll; the next one is then due exactly 5 s after the pause.
    await page.clock.pauseAt(Date.now() + 5_500);
    await page.waitForTimeout(500);
    const before = polls();
    expect(before).toBeGreaterThanOrEqual(2);
    fake.handoffs = [{ botId: "demo", sessionId: "sess-00", requestedAt: NOW - 60_000, firstQuestion: "How do I reset my password?" }];
    // Every 5 s, one at a time, never faster.
    for (let n = 1; n <= 3; n++) {
      await page.clock.runFor(4_990);
      await page.waitForTimeout(400);
      expect(polls()).toBe(before + n - 1);
      await page.clock.runFor(10);
      await expect.poll(polls).toBe(before + n);
      await page.waitForTimeout(300);
    }
    await region.locator("a:text('How do I reset my password?')").waitFor();
    expect(await region.locator("h2").textContent()).toBe("A visitor asks for a person");
    await page.screenshot({ path: `${consoleScreenshotDir()}/handoff-notice.png`, animations: "disabled" });
    await region.locator("a").click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/admin/bots/demo/conversations/sess-00");
    // Taken: the next poll finds no request, and the notice goes.
    fake.handoffs = [];
    await page.waitForTimeout(300);
    await page.clock.runFor(5_000);
    await expect.poll(() => region.textContent()).toBe("");
    await context.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    for (const [width, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      it(`draws the inbox and a transcript, ${colorScheme}, ${width}: no serious axe issue, no CSP violation, no overflow`, async () => {
        for (const [name, path, ready] of [
          ["conversations", "/admin/bots/demo/conversations", ".conversations-table"],
          ["conversation", "/admin/bots/demo/conversations/sess-00", ".turns"],
        ] as const) {
          const { context, page, errors } = await open(path, { viewport, colorScheme });
          await page.locator(ready).waitFor();
          await page.locator(".handoff-notice a").waitFor();
          await page.waitForTimeout(250);
          await page.screenshot({ path: `${consoleScreenshotDir()}/${name}-${width}-${colorScheme}.png`, fullPage: true, animations: "disabled" });
          expect(await consoleAxeViolations(page, baseUrl), name).toEqual([]);
          expect(await cspViolations(page), name).toEqual([]);
          expect(errors, name).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${name} horizontal overflow`).toBeLessThanOrEqual(0);
          await context.close();
        }
      });
    }
  }

  it("shows hostile text as text everywhere: questions, messages, Markdown links and images, sources, names, reasons", async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(40);
    const fake = freshFake();
    fake.list = fake.list.map((c, i) => ({ ...c, firstQuestion: XSS_PAYLOADS[i % XSS_PAYLOADS.length]!, handoff: i === 1 ? { state: "human", agentName: XSS_PAYLOADS[2] } : c.handoff }));
    fake.handoffs = XSS_PAYLOADS.slice(0, 5).map((firstQuestion, i) => ({ botId: "demo", sessionId: `sess-0${i}`, requestedAt: NOW, firstQuestion }));
    fake.transcripts.set(
      "sess-01",
      XSS_PAYLOADS.flatMap((payload, i) => [
        { id: `u${i}`, role: "user", author: { kind: "visitor" }, createdAt: NOW + i * 10, status: "complete", text: payload },
        {
          id: `a${i}`,
          role: "assistant",
          author: i % 5 === 4 ? { kind: "human", name: payload } : { kind: "ai" },
          createdAt: NOW + i * 10 + 1,
          status: i % 6 === 5 ? payload : "complete",
          text: `${payload} [1]`,
          parts: [{ type: "source-url", url: i % 2 ? "javascript:window.__pwned('src')" : payload, title: payload }, { type: "file", url: i % 2 ? "https://evil.test/x.png" : payload, mediaType: "image/png" }],
          metadata: { model: payload, tier: payload, routeReasons: [payload], failoverReasons: [payload], sources: [{ title: payload, url: i % 2 ? "javascript:window.__pwned('meta-src')" : payload, score: 0.5 }], correctionId: payload, curated: true },
        },
      ]),
    );
    const { context, page, dialogs } = await open("/admin", { fake });
    await page.addInitScript(() => {
      const pwned: string[] = [];
      Object.defineProperty(window, "__pwned", { value: (what: string) => pwned.push(what) });
      Object.defineProperty(window, "__pwnedList", { value: pwned });
    });
    const foreign: string[] = [];
    page.on("request", (request) => void (new URL(request.url()).origin !== baseUrl && foreign.push(request.url())));
    for (const [path, ready] of [
      ["/admin/bots/demo/conversations", ".conversations-table"],
      ["/admin/bots/demo/conversations/sess-01", ".turns"],
    ] as const) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator(ready).waitFor();
      await page.locator(".handoff-notice a").first().waitFor();
      await page.waitForTimeout(300);
      const report = await page.evaluate(() => {
        const roots = [document.querySelector("main")!, document.querySelector(".handoff-notice")!];
        const all = roots.flatMap((root) => [...root.querySelectorAll("*")]);
        return {
          pwned: (window as unknown as { __pwnedList: string[] }).__pwnedList,
          dangerous: all
            .filter((e) => /^(script|iframe|object|embed|style|link|meta|base|img|video|math|template|noscript|body|form|input|details|svg)$/i.test(e.localName))
            // The page's own: the filter and composer forms, and images of this worker's /v1/images/.
            .filter((e) => !(e.closest("form.conversation-filters, form.composer") && /^(form|input)$/.test(e.localName)))
            .filter((e) => !(e.localName === "img" && (e as HTMLImageElement).src.startsWith(`${location.origin}/v1/images/`)))
            .map((e) => e.outerHTML.slice(0, 80)),
          handlers: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.localName}[${a.name}]`)),
          hrefs: roots.flatMap((root) => [...root.querySelectorAll("a")].map((a) => a.getAttribute("href")!)),
          styled: all.filter((e) => e.hasAttribute("style")).length,
          text: roots.map((root) => root.textContent).join(" "),
        };
      });
      expect(report.pwned, path).toEqual([]);
      expect(report.dangerous, path).toEqual([]);
      expect(report.handlers, path).toEqual([]);
      expect(report.styled, path).toBe(0);
      // Links only to the console, the export, or plain http(s) pages (a link is not a request: `foreign` checks those).
      for (const href of report.hrefs) expect(href, path).toMatch(/^(\/admin\/|\/v1\/console\/bots\/demo\/conversations\/export\?|https?:\/\/[^\s"<>]+$)/);
      expect(report.text, path).toContain(XSS_PAYLOADS[0]);
      expect(report.text, path).toContain(XSS_PAYLOADS[2]);
      expect(await cspViolations(page), path).toEqual([]);
    }
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });
});

/** A visitor asks `question` on the bot's hosted page (a new browser context: a new conversation); returns the page. */
async function visitorAsks(question: string) {
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/b/demo`);
  const widget = page.locator("[data-edgechat]");
  await widget.locator("textarea").fill(question);
  await widget.locator("textarea").press("Enter");
  await widget.locator(".msg.assistant:not(.greeting)[data-state=done]").waitFor();
  return { context, page, widget };
}

describe("the conversation pages against the real conversations API", () => {
  it("finds a visitor's conversation by its words and its thumbs down, shows its transcript, exports it and erases it", async () => {
    const mark = `quokka${Date.now().toString(36)}`;
    const rated = await visitorAsks(`How do I reset my password ${mark}?`);
    await rated.widget.locator("button[aria-label='Not helpful']").click();
    await rated.widget.locator("text=Thanks for your feedback").waitFor();
    await rated.context.close();
    const other = await visitorAsks(`What plans exist ${mark}?`);
    await other.context.close();

    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(20_000);
    await recordCspViolations(context);
    await signInConsoleMember(context, { baseUrl, adminToken, role: "admin", displayName: "Ada Lovelace" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("dialog", (dialog) => void dialog.accept());

    // Both conversations carry the word; only one has a thumbs down.
    await page.goto(`${baseUrl}/admin/bots/demo/conversations?q=${mark}`);
    await expect.poll(() => rowQuestions(page)).toEqual([`What plans exist ${mark}?`, `How do I reset my password ${mark}?`]);
    await page.check("#flag-thumbsDown");
    await expect.poll(() => rowQuestions(page)).toEqual([`How do I reset my password ${mark}?`]);
    expect(await page.locator(".conversations-table tbody td.flags").textContent()).toContain("Thumbs down");
    await page.screenshot({ path: `${consoleScreenshotDir()}/conversations-real.png`, fullPage: true, animations: "disabled" });

    // Its transcript: the question, the answer with how it was made, the rating.
    await page.click(`a:text('How do I reset my password ${mark}?')`);
    await page.locator(".turns").waitFor();
    expect(await page.locator(".turn-author").allTextContents()).toEqual(["Visitor", "AI"]);
    expect(await page.locator(".turn.visitor .visitor-text").textContent()).toBe(`How do I reset my password ${mark}?`);
    const answer = page.locator(".turn.ai");
    expect((await answer.locator(".md").textContent())!.length).toBeGreaterThan(20);
    expect(await answer.locator(".answer-badges li").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/model$/), "Thumbs down"]));
    await page.screenshot({ path: `${consoleScreenshotDir()}/conversation-real.png`, fullPage: true, animations: "disabled" });

    // "Correct this" → a curated answer that the next visitor asking the same gets (then removed, so other tests
    // of the demo bot keep their answers).
    await answer.locator("button:text('Correct this')").click();
    expect(await page.inputValue("#correction-new-question")).toBe(`How do I reset my password ${mark}?`);
    const corrected = `Open Settings, then Security, then choose Reset password (${mark}).`;
    await page.fill("#correction-new-answer", corrected);
    expect(await page.inputValue("#correction-new-answer")).toBe(corrected);
    expect(await page.inputValue("#correction-new-question")).toBe(`How do I reset my password ${mark}?`);
    await page.click("button:text('Add correction')");
    await page.locator(".notice.success", { hasText: "Saved as a curated answer" }).waitFor();
    const corrections = await fetch(`${baseUrl}/v1/admin/bots/demo/corrections`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.json() as Promise<{ corrections: { id: string; answer: string }[] }>);
    expect(corrections.corrections.map((c) => c.answer)).toContain(corrected);
    const correction = corrections.corrections.find((c) => c.answer === corrected);
    try {
      const again = await visitorAsks(`How do I reset my password ${mark}?`);
      expect(await again.widget.locator(".msg.assistant:not(.greeting)[data-state=done]").textContent()).toContain(corrected);
      await again.context.close();
    } finally {
      await fetch(`${baseUrl}/v1/admin/bots/demo/corrections/${correction!.id}`, { method: "DELETE", headers: { authorization: `Bearer ${adminToken}` } });
    }

    // The export link of the filtered inbox downloads exactly that conversation's messages.
    await page.goto(`${baseUrl}/admin/bots/demo/conversations?q=${mark}&flags=thumbsDown`);
    await expect.poll(() => rowQuestions(page)).toEqual([`How do I reset my password ${mark}?`]);
    const csv = await context.request.get(new URL((await page.getAttribute("a:text('Export CSV')", "href"))!, baseUrl).href);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toContain(`How do I reset my password ${mark}?`);
    expect(text).not.toContain(`What plans exist ${mark}?`);

    await page.goBack();
    await page.locator(".turns").waitFor();

    // Erased: gone from the inbox (the visitor who got the curated answer has a conversation of their own).
    const erasedPath = new URL(page.url()).pathname;
    await page.click("button:text('Erase conversation')");
    await page.locator(".notice.success", { hasText: "Erased:" }).waitFor();
    await page.goto(`${baseUrl}/admin/bots/demo/conversations?q=${mark}`);
    await expect.poll(() => rowQuestions(page)).toEqual([`How do I reset my password ${mark}?`, `What plans exist ${mark}?`]);
    expect(await page.locator(".conversations-table tbody th a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).not.toContain(erasedPath);
    expect(await cspViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

export type { FakeConsoleData };
