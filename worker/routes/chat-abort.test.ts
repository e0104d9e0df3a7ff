// The visitor aborts an answer at its start, in its middle and at its end.
//
// What the design promises (ARCHITECTURE.md, "Resumable answers"): closing the connection alone does not
// stop the model; the answer keeps generating for a grace period (25 s) so a reloaded page can resume it,
// and is stored complete if it finishes in time. An explicit `POST /v1/sessions/:id/stop` aborts the
// upstream model call at once and stores the text streamed so far as `stopped`. When the grace period
// runs out with nobody reading, the upstream call is aborted too (worker/sessions/live-turn.test.ts).
import { waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { callWorker, sessionRequest, textOf } from "../test-support/bot-fixtures";
import { delta, finishDriven, openDrivenChat, readUntil } from "../test-support/driven-model";

type Transcript = { messages: { role: string; parts: { text?: string }[]; metadata: { status: string; usage?: unknown } }[] };

/** Starts a chat whose model the test drives; returns once the visitor has the `start` part, before any text. */
async function startChat(question: string) {
  const { driven, worker, ctx, reader, session } = await openDrivenChat(question);
  const transcript = async () =>
    (await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token))).json()) as Transcript;
  const stop = async () => (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/stop`, session.token, "POST"))).json();
  return { driven, ctx, reader, transcript, stop };
}

describe("the visitor aborts an answer", () => {
  it("at the start, with stop: the upstream call is aborted before any text and the answer is stored as stopped, empty", async () => {
    const { driven, ctx, reader, transcript, stop } = await startChat("Stop before you start");
    await reader.cancel();
    expect(await stop()).toEqual({ stopped: true });
    await waitOnExecutionContext(ctx);
    expect(driven.wasAborted()).toBe(true);
    const { messages } = await transcript();
    expect(messages.map((m) => [m.role, m.metadata.status])).toEqual([
      ["user", "complete"],
      ["assistant", "stopped"],
    ]);
    expect(messages[1]!.parts.map((part) => part.text ?? "").join("")).toBe("");
  });

  it("at the start, by disconnecting only: the answer keeps generating and is stored complete, for a reload to show", async () => {
    const { driven, ctx, reader, transcript } = await startChat("Answer even if I leave");
    await reader.cancel();
    await driven.write({ type: "text-start", id: "t" });
    await finishDriven(driven, "The whole answer.");
    await waitOnExecutionContext(ctx);
    expect(driven.wasAborted()).toBe(false);
    const { messages } = await transcript();
    expect(messages[1]).toMatchObject({ role: "assistant", metadata: { status: "complete", usage: { inputTokens: 5, outputTokens: 4 } } });
    expect(messages[1]!.parts[0]!.text).toBe("The whole answer.");
  });

  it("in the middle, disconnect then stop: the upstream call is aborted and the partial answer is stored as stopped", async () => {
    const { driven, ctx, reader, transcript, stop } = await startChat("Stop me halfway");
    await driven.write({ type: "text-start", id: "t" });
    await driven.write(delta("The first half, "));
    expect(textOf(await readUntil(reader, (chunks) => textOf(chunks).includes("first half")))).toBe("The first half, ");
    await reader.cancel();
    expect(await stop()).toEqual({ stopped: true });
    await waitOnExecutionContext(ctx);
    expect(driven.wasAborted()).toBe(true);
    const { messages } = await transcript();
    expect(messages[1]).toMatchObject({ role: "assistant", metadata: { status: "stopped" } });
    expect(messages[1]!.parts[0]!.text).toBe("The first half, ");
  });

  it("at the end, after the last token: nothing is cut, the answer is stored complete with its usage, and a late stop stops nothing", async () => {
    const { driven, ctx, reader, transcript, stop } = await startChat("Stop too late");
    await driven.write({ type: "text-start", id: "t" });
    await finishDriven(driven, "All of it.");
    const all = await readUntil(reader, (chunks) => chunks.some((chunk) => chunk.type === "finish"));
    expect(textOf(all)).toBe("All of it.");
    await reader.cancel();
    await waitOnExecutionContext(ctx);
    expect(await stop()).toEqual({ stopped: false });
    expect(driven.wasAborted()).toBe(false);
    const { messages } = await transcript();
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ metadata: { status: "complete", usage: { inputTokens: 5, outputTokens: 4 } } });
    expect(messages[1]!.parts[0]!.text).toBe("All of it.");
  });
});
