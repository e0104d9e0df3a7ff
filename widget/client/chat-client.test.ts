import { afterEach, describe, expect, it, vi } from "vitest";
import { ChatClient, RESUME_RETRY_MS } from "./chat-client";

function sse(chunks: unknown[], done = true): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("") + (done ? "data: [DONE]\n\n" : "");
}

function fakeFetch(body: string | (() => ReadableStream<Uint8Array>), status = 200, requests: unknown[] = []): typeof fetch {
  return (async (_input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(JSON.parse(String(init?.body)));
    const stream = typeof body === "string" ? body : body();
    return new Response(stream, { status, headers: { "content-type": status === 200 ? "text/event-stream" : "application/json" } });
  }) as typeof fetch;
}

describe("ChatClient", () => {
  it("keeps a sentence whole when a data part (an image placeholder) arrives between its deltas", async () => {
    const client = new ChatClient({
      api: "https://bot.test/v1/chat",
      botId: "demo",
      fetch: fakeFetch(
        sse([
          { type: "text-start", id: "note" },
          { type: "text-delta", id: "note", delta: "I'll draw a " },
          { type: "data-image", id: "img", data: { state: "generating", prompt: "a robot" } },
          { type: "text-delta", id: "note", delta: "robot for you." },
          { type: "text-end", id: "note" },
          { type: "text-start", id: "after" },
          { type: "text-delta", id: "after", delta: "Here it is." },
        ]),
      ),
    });
    await client.send("Draw a robot");
    expect(client.snapshot.messages[1]?.parts).toEqual([
      { type: "text", text: "I'll draw a robot for you." },
      { type: "data", name: "image", id: "img", data: { state: "generating", prompt: "a robot" } },
      { type: "text", text: "Here it is." },
    ]);
  });

  it("sends the newest user message the way DefaultChatTransport does and streams the answer", async () => {
    const requests: unknown[] = [];
    const client = new ChatClient({
      api: "https://bot.test/v1/chat",
      botId: "demo",
      chatId: "chat-1",
      fetch: fakeFetch(
        sse([
          { type: "start", messageId: "srv-1", messageMetadata: { model: "m" } },
          { type: "text-start", id: "t" },
          { type: "text-delta", id: "t", delta: "Hello " },
          { type: "text-delta", id: "t", delta: "world" },
          { type: "text-end", id: "t" },
          { type: "source-url", sourceId: "s1", url: "https://docs.test/a", title: "A" },
          { type: "data-tier", id: "x", data: { tier: "small" } },
          { type: "finish", messageMetadata: { usage: 3 } },
        ]),
        200,
        requests,
      ),
    });
    const statuses: string[] = [];
    client.subscribe((state) => statuses.push(state.status));
    await client.send("  Hi  ");

    expect(requests).toEqual([
      {
        id: "chat-1",
        botId: "demo",
        trigger: "submit-message",
        messages: [{ id: expect.any(String), role: "user", parts: [{ type: "text", text: "Hi" }] }],
      },
    ]);
    const [user, assistant] = client.snapshot.messages;
    expect(user?.role).toBe("user");
    expect(assistant).toMatchObject({
      id: "srv-1",
      role: "assistant",
      state: "done",
      metadata: { model: "m", usage: 3 },
      parts: [
        { type: "text", text: "Hello world" },
        { type: "source-url", url: "https://docs.test/a", title: "A" },
        { type: "data", name: "tier", data: { tier: "small" } },
      ],
    });
    expect(statuses[0]).toBe("submitted");
    expect(statuses).toContain("streaming");
    expect(statuses.at(-1)).toBe("ready");
  });

  it("shows the server's JSON error message and can retry", async () => {
    let calls = 0;
    const client = new ChatClient({
      api: "/v1/chat",
      fetch: (async () => {
        calls++;
        if (calls === 1) return Response.json({ error: { code: "rate_limited", message: "Slow down, please." } }, { status: 429 });
        return new Response(sse([{ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "ok" }]));
      }) as typeof fetch,
    });
    await client.send("hi");
    expect(client.snapshot.status).toBe("error");
    expect(client.snapshot.error).toBe("Slow down, please.");
    await client.retry();
    expect(client.snapshot.status).toBe("ready");
    expect(client.snapshot.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(client.snapshot.messages[1]!.parts).toEqual([{ type: "text", text: "ok" }]);
  });

  it("keeps the partial text and marks the message failed on an error chunk", async () => {
    const client = new ChatClient({
      api: "/v1/chat",
      fetch: fakeFetch(sse([{ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "Part" }, { type: "error", errorText: "Model failed." }])),
    });
    await client.send("hi");
    expect(client.snapshot.status).toBe("error");
    expect(client.snapshot.error).toBe("Model failed.");
    expect(client.snapshot.messages[1]).toMatchObject({ state: "error", parts: [{ type: "text", text: "Part" }] });
  });

  it("stop() aborts the stream and keeps what arrived", async () => {
    let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
    const client = new ChatClient({
      api: "/v1/chat",
      fetch: fakeFetch(
        () =>
          new ReadableStream<Uint8Array>({
            start(controller) {
              controllerRef = controller;
              controller.enqueue(new TextEncoder().encode(sse([{ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "Half" }], false)));
            },
          }),
      ),
    });
    const sending = client.send("hi");
    await new Promise((resolve) => setTimeout(resolve, 20));
    client.stop();
    await sending;
    expect(controllerRef).toBeDefined();
    expect(client.snapshot.status).toBe("ready");
    expect(client.snapshot.messages[1]).toMatchObject({ state: "stopped", parts: [{ type: "text", text: "Half" }] });
  });

  it("ignores empty messages and a second send while streaming", async () => {
    const requests: unknown[] = [];
    const client = new ChatClient({ api: "/v1/chat", fetch: fakeFetch(sse([]), 200, requests) });
    await client.send("   ");
    expect(requests).toHaveLength(0);
    const first = client.send("one");
    const second = client.send("two");
    await Promise.all([first, second]);
    expect(requests).toHaveLength(1);
  });

  it("stores the data-session part (not as a message part) and sends the session in the next turn", async () => {
    const requests: Record<string, unknown>[] = [];
    const sessions: unknown[] = [];
    const session = { sessionId: "sess-9", token: "tok-9", expiresAt: 123 };
    const client = new ChatClient({
      api: "https://w.test/v1/chat",
      botId: "demo",
      fetch: fakeFetch(sse([{ type: "data-session", data: session, transient: true }, { type: "data-note", data: 1, transient: true }, { type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "ok" }]), 200, requests),
      onSession: (s) => sessions.push(s),
    });
    await client.send("one");
    await client.send("two");
    expect(sessions).toEqual([session, session]);
    expect(client.snapshot.messages[1]!.parts).toEqual([{ type: "text", text: "ok" }]);
    expect(requests[0]).not.toHaveProperty("sessionToken");
    expect(requests[1]).toMatchObject({ id: "sess-9", sessionToken: "tok-9" });
  });

  it("resumes a session from the history endpoint with the bearer token, converting UIMessages", async () => {
    const calls: { url: string; authorization?: string }[] = [];
    const client = new ChatClient({
      api: "https://w.test/v1/chat",
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push({ url, authorization: (init?.headers as Record<string, string> | undefined)?.authorization });
        return Response.json({
          messages: [
            { id: "u", role: "user", parts: [{ type: "text", text: "q" }] },
            { id: "a", role: "assistant", parts: [{ type: "step-start" }, { type: "text", text: "a" }, { type: "data-image", id: "c", data: { state: "done" } }, { type: "tool-x", state: "done" }] },
          ],
        });
      }) as typeof fetch,
    });
    expect(await client.resume({ sessionId: "s 1", token: "tok" })).toBe(true);
    expect(calls).toEqual([{ url: "https://w.test/v1/sessions/s%201/messages", authorization: "Bearer tok" }]);
    expect(client.chatId).toBe("s 1");
    expect(client.snapshot.messages).toEqual([
      { id: "u", role: "user", parts: [{ type: "text", text: "q" }], metadata: undefined, state: undefined },
      { id: "a", role: "assistant", parts: [{ type: "text", text: "a" }, { type: "data", name: "image", id: "c", data: { state: "done" } }], metadata: undefined, state: "done" },
    ]);
  });

  it("does not resume an expired or unknown session", async () => {
    let called = 0;
    const notFound = (async () => (called++, Response.json({ error: { code: "not_found" } }, { status: 404 }))) as unknown as typeof fetch;
    const client = new ChatClient({ api: "https://w.test/v1/chat", chatId: "c", fetch: notFound });
    expect(await client.resume({ sessionId: "old", token: "t", expiresAt: new Date(Date.now() - 1000).toISOString() })).toBe(false);
    expect(called).toBe(0);
    expect(await client.resume({ sessionId: "gone", token: "t" })).toBe(false);
    expect(client.session).toBeUndefined();
    expect(client.chatId).not.toBe("gone");
  });

  afterEach(() => vi.useRealTimers());

  it("asks for the history again with growing pauses after a network or server error, then keeps the session", async () => {
    vi.useFakeTimers();
    let calls = 0;
    const failing = (async () => (++calls === 2 ? Response.json({}, { status: 503 }) : Promise.reject(new TypeError("offline")))) as unknown as typeof fetch;
    const offline = new ChatClient({ api: "https://w.test/v1/chat", fetch: failing });
    const resumed = offline.resume({ sessionId: "kept", token: "t" });
    for (const pause of RESUME_RETRY_MS) {
      await vi.advanceTimersByTimeAsync(pause - 1);
      const before = calls;
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(before + 1);
    }
    expect(await resumed).toBe(true);
    expect(calls).toBe(RESUME_RETRY_MS.length + 1);
    expect(offline.chatId).toBe("kept");

    // Back online at the third attempt: the history arrives.
    let attempts = 0;
    const flaky = (async () =>
      ++attempts < 3 ? Promise.reject(new TypeError("offline")) : Response.json({ messages: [{ id: "u", role: "user", parts: [{ type: "text", text: "q" }] }] })) as unknown as typeof fetch;
    const client = new ChatClient({ api: "https://w.test/v1/chat", fetch: flaky });
    const back = client.resume({ sessionId: "s", token: "t" });
    await vi.advanceTimersByTimeAsync(RESUME_RETRY_MS[0]! + RESUME_RETRY_MS[1]!);
    expect(await back).toBe(true);
    expect(client.snapshot.messages.map((message) => message.id)).toEqual(["u"]);
  });

  it("merges the resumed history before messages that arrived first (another tab, a send), never dropping it", async () => {
    let release: (response: Response) => void = () => {};
    const client = new ChatClient({ api: "https://w.test/v1/chat", fetch: (() => new Promise<Response>((resolve) => (release = resolve))) as unknown as typeof fetch });
    const resumed = client.resume({ sessionId: "s", token: "t" });
    // Meanwhile (the panel is open) a message shows up, e.g. synced from another tab.
    client.setMessages([{ id: "u2", role: "user", parts: [{ type: "text", text: "second" }] }]);
    release(
      Response.json({
        messages: [
          { id: "u1", role: "user", parts: [{ type: "text", text: "first" }] },
          { id: "a1", role: "assistant", parts: [{ type: "text", text: "answer" }] },
          { id: "u2", role: "user", parts: [{ type: "text", text: "second" }] },
        ],
        handoff: { state: "none" },
      }),
    );
    expect(await resumed).toBe(true);
    expect(client.snapshot.messages.map((message) => message.id)).toEqual(["u1", "a1", "u2"]);
    expect(client.snapshot.handoff).toEqual({ state: "none" });
  });

  it("while a person has the conversation: shows the message as sent (no empty answer) and tells the server", async () => {
    const requests: Record<string, unknown>[] = [];
    const takeover = { state: "human", agentName: "Ana" };
    const client = new ChatClient({
      api: "https://w.test/v1/chat",
      fetch: (async (url: string, init?: RequestInit) => {
        // The live channel is loaded when a person has the conversation: keep it waiting here.
        if (String(url).includes("/events")) return new Promise(() => {});
        requests.push(JSON.parse(String(init?.body)));
        return new Response(
          sse([
            { type: "data-session", data: { sessionId: "s", token: "t" }, transient: true },
            { type: "start", messageId: "x", messageMetadata: { source: "takeover", takeover } },
            { type: "finish", messageMetadata: { source: "takeover", takeover } },
          ]),
          { headers: { "content-type": "text/event-stream" } },
        );
      }) as typeof fetch,
    });
    await client.send("Hello?");
    expect(client.snapshot.messages).toMatchObject([{ role: "user", parts: [{ type: "text", text: "Hello?" }] }]);
    expect(client.snapshot).toMatchObject({ status: "ready", handoff: takeover });
    await client.send("Still there?");
    expect(requests[0]).not.toHaveProperty("handoff");
    expect(requests[1]).toMatchObject({ handoff: "human" });
    // A person's message from the live channel is added once, a second copy replaces it.
    const agent = { id: "h1", role: "assistant", parts: [{ type: "text", text: "Hi, Ana here." }], metadata: { author: { kind: "human", name: "Ana" } } };
    client.receive(agent);
    client.receive(agent);
    expect(client.snapshot.messages.map((message) => message.id).filter((id) => id === "h1")).toHaveLength(1);
    client.reset();
    expect(client.snapshot.handoff).toEqual({ state: "none" });
  });

  it("posts feedback with the session and resets to a new conversation", async () => {
    const posted: { url: string; body: unknown; authorization?: string }[] = [];
    const client = new ChatClient({
      api: "https://w.test/v1/chat",
      botId: "demo",
      fetch: (async (url: string, init?: RequestInit) => {
        if (url.endsWith("/v1/feedback")) {
          posted.push({ url, body: JSON.parse(String(init?.body)), authorization: (init?.headers as Record<string, string>).authorization });
          return Response.json({ ok: true });
        }
        return new Response(sse([{ type: "start", messageId: "m1" }, { type: "data-session", data: { sessionId: "s", token: "t" } }, { type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "x" }]));
      }) as typeof fetch,
    });
    await client.send("hi");
    expect(await client.feedback("m1", "down")).toBe(true);
    expect(posted).toEqual([{ url: "https://w.test/v1/feedback", body: { botId: "demo", sessionId: "s", messageId: "m1", rating: "down" }, authorization: "Bearer t" }]);
    client.reset();
    expect(client.snapshot.messages).toEqual([]);
    expect(client.session).toBeUndefined();
    expect(client.chatId).not.toBe("s");
  });
});
