import { describe, expect, it } from "vitest";
import { ChatClient } from "./chat-client";
import { followConversation, requestHandoff } from "./live-channel";

const encoder = new TextEncoder();
const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

describe("the live channel", () => {
  it("follows the session's events with its token, adds each message once and stops when the bot has the conversation again", async () => {
    const requests: { url: string; authorization?: string }[] = [];
    const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
    const client = new ChatClient({
      api: "https://w.test/v1/chat",
      fetch: (async (url: string, init?: RequestInit) => {
        requests.push({ url, authorization: (init?.headers as Record<string, string>).authorization });
        return new Response(new ReadableStream<Uint8Array>({ start: (controller) => void streams.push(controller) }));
      }) as typeof fetch,
    });
    const session = { sessionId: "s 1", token: "tok" };
    client.session = session;
    client.setMessages([{ id: "u1", role: "user", parts: [{ type: "text", text: "hello" }] }]);
    const controller = new AbortController();
    const following = followConversation(client, controller.signal, session);
    await new Promise((resolve) => setTimeout(resolve));
    expect(requests).toEqual([{ url: "https://w.test/v1/sessions/s%201/events?after=u1", authorization: "Bearer tok" }]);
    const agent = { id: "h1", role: "assistant", parts: [{ type: "text", text: "Hi, I'm Ana." }], metadata: { author: { kind: "human", name: "Ana" } } };
    streams[0]!.enqueue(event("handoff", { state: "human", agentName: "Ana" }));
    streams[0]!.enqueue(event("message", agent));
    streams[0]!.enqueue(event("message", agent));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(client.snapshot.handoff).toEqual({ state: "human", agentName: "Ana" });
    expect(client.snapshot.messages.map((message) => [message.id, message.metadata])).toEqual([
      ["u1", undefined],
      ["h1", { author: { kind: "human", name: "Ana" } }],
    ]);
    controller.abort();
    await following;
  });

  it("asks for a person, shows the server's message and follows while one is asked for", async () => {
    const calls: string[] = [];
    const client = new ChatClient({
      api: "https://w.test/v1/chat",
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push(`${init?.method ?? "GET"} ${url}`);
        if (url.endsWith("/handoff")) return Response.json({ status: "requested", message: "A person is on the way.", handoff: { state: "requested" } });
        return new Promise(() => {});
      }) as typeof fetch,
    });
    client.session = { sessionId: "s", token: "t" };
    client.chatId = "s";
    await requestHandoff(client);
    expect(client.snapshot.handoff).toEqual({ state: "requested" });
    expect(client.snapshot.messages.at(-1)).toMatchObject({ role: "assistant", parts: [{ type: "text", text: "A person is on the way." }] });
    await new Promise((resolve) => setTimeout(resolve));
    expect(calls).toEqual(["POST https://w.test/v1/sessions/s/handoff", expect.stringMatching(/^GET https:\/\/w.test\/v1\/sessions\/s\/events/)]);
    client.reset();
  });
});
