// The visitor aborts an answer at its start, in its middle and at its end.
//
// What the design promises (ARCHITECTURE.md, "Resumable answers"): closing the connection alone does not
// stop the model; the answer keeps generating for a grace period (25 s) so a reloaded page can resume it,
// and is stored complete if it finishes in time. An explicit `POST /v1/sessions/:id/stop` aborts the
// upstream model call at once and stores the text streamed so far as `stopped`. When the grace period
// runs out with nobody reading, the upstream call is aborted too (worker/sessions/live-turn.test.ts).
// Every ending writes one `turns` row with its usage; the provider reports none for a stopped call, so
// it is estimated (about 4 characters a token of the prompt and the streamed text) and marked.
import { waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { callWorker, sessionRequest, testEnv, textOf } from "../test-support/bot-fixtures";
import { delta, finishDriven, openDrivenChat, readUntil } from "../test-support/driven-model";

type Transcript = { messages: { role: string; parts: { text?: string }[]; metadata: { status: string; usage?: unknown } }[] };

/** Starts a chat whose model the test drives; returns once the visitor has the `start` part, before any text. */
async function startChat(question: string) {
  const { bot, driven, worker, ctx, reader, session } = await openDrivenChat(question);
  const transcript = async () =>
    (await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token))).json()) as Transcript;
  const stop = async () => (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/stop`, session.token, "POST"))).json();
  // The turn's one row in `turns`: how it ended and what it cost (estimated when the provider sent no usage).
  const turns = async () =>
    (
      await testEnv.DB!.prepare("SELECT status, input_tokens, output_tokens, usage_estimated FROM turns WHERE bot_id = ?").bind(bot.id).all<{
        status: string;
        input_tokens: number;
        output_tokens: number;
        usage_estimated: number;
      }>()
    ).results;
  return { driven, ctx, reader, transcript, stop, turns };
}

describe("the visitor aborts an answer", () => {
  it("at the start, with stop: the upstream call is aborted before any text and the answer is stored as stopped, empty", async () => {
    const { driven, ctx, reader, transcript, stop, turns } = await startChat("Stop before you start");
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
    // Usage is recorded once: the prompt was sent, nothing came back; estimated, as the provider reported none.
    expect(await turns()).toEqual([{ status: "stopped", input_tokens: expect.any(Number), output_tokens: 0, usage_estimated: 1 }]);
    expect((await turns())[0]!.input_tokens).toBeGreaterThan(0);
  });

  it("at the start, by disconnecting only: the answer keeps generating and is stored complete, for a reload to show", async () => {
    const { driven, ctx, reader, transcript, turns } = await startChat("Answer even if I leave");
    await reader.cancel();
    await driven.write({ type: "text-start", id: "t" });
    await finishDriven(driven, "The whole answer.");
    await waitOnExecutionContext(ctx);
    expect(driven.wasAborted()).toBe(false);
    const { messages } = await transcript();
    expect(messages[1]).toMatchObject({ role: "assistant", metadata: { status: "complete", usage: { inputTokens: 5, outputTokens: 4 } } });
    expect(messages[1]!.parts[0]!.text).toBe("The whole answer.");
    expect(await turns()).toEqual([{ status: "complete", input_tokens: 5, output_tokens: 4, usage_estimated: 0 }]);
  });

  it("in the middle, disconnect then stop: the upstream call is aborted and the partial answer is stored as stopped", async () => {
    const { driven, ctx, reader, transcript, stop, turns } = await startChat("Stop me halfway");
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
    const [row, ...more] = await turns();
    expect(more).toEqual([]);
    expect(row).toMatchObject({ status: "stopped", usage_estimated: 1 });
    expect(row!.output_tokens).toBeGreaterThan(0); // the streamed half, estimated at ~4 characters a token
  });

  it("at the end, after the last token: nothing is cut, the answer is stored complete with its usage, and a late stop stops nothing", async () => {
    const { driven, ctx, reader, transcript, stop, turns } = await startChat("Stop too late");
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
    expect(await turns()).toEqual([{ status: "complete", input_tokens: 5, output_tokens: 4, usage_estimated: 0 }]);
  });
});
