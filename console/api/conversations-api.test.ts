import { afterEach, describe, expect, it, vi } from "vitest";
import {
  conversationsUrl,
  exportUrl,
  filtersFromSearch,
  getConversation,
  handBack,
  listConversations,
  listHandoffs,
  mergeMessages,
  readMessage,
  readSummary,
  searchFromFilters,
  sendAgentMessage,
  sessionEventsUrl,
  takeOver,
  type TranscriptMessage,
} from "./conversations-api";

/** Answers every fetch with `body` and records the calls. */
function fakeFetch(body: unknown, status = 200) {
  const calls: { url: string; method: string; body?: string }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, method: init.method ?? "GET", body: init.body as string | undefined });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  });
  return calls;
}
afterEach(() => vi.unstubAllGlobals());

describe("the inbox's filters", () => {
  it("round-trip through the page's query string, dropping what is not a filter", () => {
    const filters = filtersFromSearch("?flags=thumbsDown,bogus,needsPerson&from=2026-11-01&to=nope&q=%20refund%20");
    // Flags keep the contract's order whatever the URL's order.
    expect(filters).toEqual({ flags: ["needsPerson", "thumbsDown"], from: "2026-11-01", q: "refund" });
    expect(searchFromFilters(filters)).toBe("?flags=needsPerson,thumbsDown&from=2026-11-01&q=refund");
    expect(filtersFromSearch(searchFromFilters(filters))).toEqual(filters);
    expect(searchFromFilters({ flags: [] })).toBe("");
    expect(filtersFromSearch("")).toEqual({ flags: [] });
  });

  it("become the API's parameters: every flag, whole local days in unix ms (to inclusive), the text, the cursor", () => {
    const url = new URL(conversationsUrl("demo", { flags: ["noSources", "failed"], from: "2026-11-01", to: "2026-11-02", q: "a&b=c" }, "cur/1"), "http://x");
    expect(url.pathname).toBe("/v1/console/bots/demo/conversations");
    expect(url.searchParams.get("flags")).toBe("noSources,failed");
    expect(Number(url.searchParams.get("from"))).toBe(new Date(2026, 10, 1).getTime());
    expect(Number(url.searchParams.get("to"))).toBe(new Date(2026, 10, 3).getTime() - 1);
    expect(url.searchParams.get("q")).toBe("a&b=c");
    expect(url.searchParams.get("cursor")).toBe("cur/1");
    expect(url.searchParams.get("limit")).toBe("25");
    expect(conversationsUrl("a b", { flags: [] })).toBe("/v1/console/bots/a%20b/conversations?limit=25");
  });

  it("carry over to the export links", () => {
    expect(exportUrl("demo", "csv", { flags: ["thumbsDown"] })).toBe("/v1/console/bots/demo/conversations/export?format=csv&flags=thumbsDown");
    expect(exportUrl("demo", "jsonl", { flags: [] })).toBe("/v1/console/bots/demo/conversations/export?format=jsonl");
    const url = new URL(exportUrl("demo", "jsonl", { flags: ["escalated"], from: "2026-01-31", q: "x y" }), "http://x");
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: "jsonl", flags: "escalated", from: String(new Date(2026, 0, 31).getTime()), q: "x y" });
  });
});

describe("reading the answers", () => {
  it("reads a summary, with safe defaults for what is missing or of the wrong type", () => {
    expect(readSummary({ sessionId: "s1", botId: "demo", startedAt: 1, lastActivityAt: 5, firstQuestion: "hi", turns: 2, costUsd: 0.01, flags: { needsPerson: true, failed: "yes" }, handoff: { state: "human", agentName: "Ada", since: 4 } })).toEqual({
      sessionId: "s1",
      botId: "demo",
      startedAt: 1,
      lastActivityAt: 5,
      firstQuestion: "hi",
      turns: 2,
      costUsd: 0.01,
      flags: { needsPerson: true, thumbsDown: false, noSources: false, escalated: false, failed: false },
      handoff: { state: "human", agentName: "Ada", since: 4 },
    });
    expect(readSummary({ sessionId: "s2", handoff: { state: "bogus" }, firstQuestion: 3, costUsd: Number.NaN })).toMatchObject({ firstQuestion: null, costUsd: 0, handoff: { state: "none" } });
  });

  it("reads a message: author from the message or its metadata, parts it can show, metadata fields of the right type", () => {
    const message = readMessage({
      id: "m1",
      role: "assistant",
      createdAt: 10,
      status: "complete",
      text: "See [1]",
      parts: [{ type: "text", text: "See [1]" }, { type: "source-url", url: "https://a.test", title: "A" }, { type: "file", url: "/v1/images/x", mediaType: "image/png" }, { type: "tool-x", input: {} }],
      metadata: { tier: "large", model: "m", escalated: true, routeReasons: ["long", 3], costUsd: 0.002, sources: [{ title: "A", url: "https://a.test", score: 0.81 }, "junk"], curated: true, correctionId: "c1", feedback: "down", author: { kind: "human", name: "Grace" }, unknown: 1 },
    });
    expect(message.author).toEqual({ kind: "human", name: "Grace" });
    expect(message.parts).toHaveLength(3);
    expect(message.metadata).toEqual({ tier: "large", model: "m", escalated: true, routeReasons: ["long"], costUsd: 0.002, sources: [{ title: "A", url: "https://a.test", score: 0.81 }], curated: true, correctionId: "c1", feedback: "down", author: { kind: "human", name: "Grace" } });
    expect(readMessage({ id: "u", role: "user", parts: [{ type: "text", text: "hello" }] })).toMatchObject({ author: { kind: "visitor" }, text: "hello", status: "complete" });
    expect(readMessage({ id: "a", role: "assistant", author: { kind: "human", name: "  " } }).author).toEqual({ kind: "human", name: "A person" });
    expect(readMessage({ id: "a", role: "assistant", metadata: { tier: "huge", feedback: "meh" } }).metadata).toEqual({});
  });

  it("merges live messages once per id, in time order", () => {
    const m = (id: string, createdAt: number, text = id): TranscriptMessage => readMessage({ id, role: "user", createdAt, text });
    let list = mergeMessages([], [m("b", 2), m("a", 1)]);
    expect(list.map((x) => x.id)).toEqual(["a", "b"]);
    list = mergeMessages(list, [m("b", 2, "final"), m("c", 2), m("", 0)]);
    expect(list.map((x) => `${x.id}:${x.text}`)).toEqual(["a:a", "b:final", "c:c"]);
  });
});

describe("the calls", () => {
  it("lists a page and keeps the cursor only when there is one", async () => {
    const calls = fakeFetch({ conversations: [{ sessionId: "s1" }], nextCursor: "" });
    const page = await listConversations("demo", { flags: ["needsPerson"] }, "c1");
    expect(page.nextCursor).toBeNull();
    expect(page.conversations.map((c) => c.sessionId)).toEqual(["s1"]);
    expect(calls).toEqual([{ url: "/v1/console/bots/demo/conversations?flags=needsPerson&limit=25&cursor=c1", method: "GET", body: undefined }]);
  });

  it("reads a transcript in order", async () => {
    fakeFetch({ conversation: { sessionId: "s/1", botId: "demo" }, messages: [{ id: "2", role: "assistant", createdAt: 2 }, { id: "1", role: "user", createdAt: 1 }] });
    const { conversation, messages } = await getConversation("demo", "s/1");
    expect(conversation.sessionId).toBe("s/1");
    expect(messages.map((m) => m.id)).toEqual(["1", "2"]);
  });

  it("takes over, sends and hands back on the session's console routes", async () => {
    const calls = fakeFetch({ handoff: { state: "human", agentName: "Ada" }, message: { id: "h1", role: "assistant", author: { kind: "human", name: "Ada" }, text: "Hi" } });
    expect(await takeOver("s 1")).toEqual({ state: "human", agentName: "Ada" });
    expect((await sendAgentMessage("s 1", "Hi")).author).toEqual({ kind: "human", name: "Ada" });
    await handBack("s 1");
    expect(calls.map((c) => `${c.method} ${c.url} ${c.body ?? ""}`)).toEqual(["POST /v1/console/sessions/s%201/takeover ", 'POST /v1/console/sessions/s%201/messages {"text":"Hi"}', "POST /v1/console/sessions/s%201/release "]);
    expect(sessionEventsUrl("s 1")).toBe("/v1/console/sessions/s%201/events");
  });

  it("reads the open handoff requests, skipping malformed rows", async () => {
    fakeFetch({ handoffs: [{ botId: "demo", sessionId: "s1", requestedAt: 5, firstQuestion: "help" }, { botId: 1 }] });
    expect(await listHandoffs()).toEqual([{ botId: "demo", sessionId: "s1", requestedAt: 5, firstQuestion: "help" }]);
  });

  it("turns an error answer into the server's message", async () => {
    fakeFetch({ error: { code: "conversation_not_found", message: "There is no such conversation." } }, 404);
    await expect(getConversation("demo", "nope")).rejects.toMatchObject({ status: 404, code: "conversation_not_found", message: "There is no such conversation." });
  });
});
