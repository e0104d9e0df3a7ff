import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from "ai";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { callWorker, chatPost, chunksOf, seedBot, sessionRequest, SITE, testEnv, textOf, userMessage } from "../test-support/bot-fixtures";
import { delta, drivenModel, finishDriven, openDrivenChat, readUntil } from "../test-support/driven-model";

/** Starts a chat whose model the test drives, streams `firstText`, and returns once the visitor has read it. */
async function startDrivenChat(question: string, firstText: string) {
  const chat = await openDrivenChat(question);
  await chat.driven.write({ type: "text-start", id: "t" });
  await chat.driven.write(delta(firstText));
  await readUntil(chat.reader, (chunks) => textOf(chunks).includes(firstText));
  return chat;
}

describe("resumable answers", () => {
  it("resumes an answer interrupted by a reload from the session, without a second model call", async () => {
    const { driven, worker, ctx, reader, session } = await startDrivenChat("Long answer please", "The first half, ");
    // The page reloads: its request goes away.
    await reader.cancel();

    // The answer goes on; the reloaded page follows it from the session.
    const resumed = await callWorkerStreaming(worker, sessionRequest(`/v1/sessions/${session.sessionId}/stream`, session.token));
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const follower = resumed.body!.getReader();
    await finishDriven(driven, "then the second half.");
    const replayed = await readUntil(follower, () => false);
    expect(textOf(replayed)).toBe("The first half, then the second half.");
    expect(replayed.filter((chunk) => chunk.type === "start")).toHaveLength(1);
    expect(replayed.at(-1)?.type).toBe("finish");
    await waitOnExecutionContext(ctx);

    expect(driven.model.doStreamCalls).toHaveLength(1);
    expect(driven.wasAborted()).toBe(false);
    const transcript = (await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token))).json()) as {
      messages: { role: string; parts: { text?: string }[]; metadata: { status: string } }[];
    };
    expect(transcript.messages[1]).toMatchObject({ role: "assistant", metadata: { status: "complete" } });
    expect(transcript.messages[1]!.parts[0]!.text).toBe("The first half, then the second half.");
    // Nothing streams any more: 204.
    expect((await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/stream`, session.token))).status).toBe(204);
  });

  it("stops at once on an explicit stop, storing what was streamed as stopped", async () => {
    const { driven, worker, ctx, reader, session } = await startDrivenChat("Stop me", "Partial ");

    const stop = await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/stop`, session.token, "POST"));
    expect(await stop.json()).toEqual({ stopped: true });
    await readUntil(reader, () => false);
    await waitOnExecutionContext(ctx);
    expect(driven.wasAborted()).toBe(true);
    const transcript = (await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token))).json()) as {
      messages: { parts: { text?: string }[]; metadata: { status: string } }[];
    };
    expect(transcript.messages[1]!.metadata.status).toBe("stopped");
    expect(transcript.messages[1]!.parts[0]!.text).toBe("Partial ");
  });

  it("resumes through the AI SDK's own DefaultChatTransport.reconnectToStream (useChat's resume)", async () => {
    const { driven, worker, ctx, reader, session } = await startDrivenChat("Resume me", "Before the reload, ");
    await reader.cancel();

    const transport = new DefaultChatTransport<UIMessage>({
      api: "http://edgechat.test/v1/chat",
      headers: { authorization: `Bearer ${session.token}`, origin: SITE },
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => worker.fetch!(new Request(input, init) as never, testEnv, createExecutionContext())) as typeof fetch,
    });
    const stream = await transport.reconnectToStream({ chatId: session.sessionId });
    expect(stream).not.toBeNull();
    await finishDriven(driven, "after the reload.");
    let last: UIMessage | undefined;
    for await (const message of readUIMessageStream({ stream: stream! })) last = message;
    const text = last!.parts.filter((part) => part.type === "text").map((part) => part.text).join("");
    expect(text).toBe("Before the reload, after the reload.");
    await waitOnExecutionContext(ctx);
    expect(driven.model.doStreamCalls).toHaveLength(1);
    expect(await transport.reconnectToStream({ chatId: session.sessionId })).toBeNull();
  });

  it("refuses another session's token and answers 204 when nothing streams", async () => {
    const { bot } = await seedBot();
    const { bot: other } = await seedBot();
    const worker = createEdgechatWorker({ models: { chat: drivenModel().model, source: "custom" } });
    const { createOfflineLanguageModel } = await import("../models/offline-language-model");
    const offline = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });
    const mine = (await chunksOf(await callWorker(offline, chatPost({ botId: bot.id, messages: [userMessage("a")] })))).find((c) => c.type === "data-session")!
      .data as { sessionId: string; token: string };
    const theirs = (await chunksOf(await callWorker(offline, chatPost({ botId: other.id, messages: [userMessage("b")] })))).find((c) => c.type === "data-session")!
      .data as { sessionId: string; token: string };
    expect((await callWorker(worker, sessionRequest(`/v1/sessions/${mine.sessionId}/stream`, theirs.token))).status).toBe(404);
    expect((await callWorker(worker, sessionRequest(`/v1/sessions/${mine.sessionId}/stop`, theirs.token, "POST"))).status).toBe(404);
    expect((await callWorker(worker, new Request(`http://edgechat.test/v1/sessions/${mine.sessionId}/stream`))).status).toBe(401);
    expect((await callWorker(worker, sessionRequest(`/v1/sessions/${mine.sessionId}/stream`, mine.token))).status).toBe(204);
  });
});

/** Calls the worker and returns the response as is (its body still streaming). */
async function callWorkerStreaming(worker: ExportedHandler<EdgechatEnv>, request: Request) {
  return worker.fetch!(request as never, testEnv, createExecutionContext());
}
