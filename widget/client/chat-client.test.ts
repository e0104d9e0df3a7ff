import { describe, expect, it } from "vitest";
import { ChatClient } from "./chat-client";

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
});
