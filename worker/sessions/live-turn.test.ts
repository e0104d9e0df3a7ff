import { describe, expect, it } from "vitest";
import { streamChatTurn } from "../chat/chat-turn";
import type { TurnOutcome } from "../chat/turn-outcome";
import { DEMO_BOT } from "../bots/bot";
import { attachLiveTurn, startLiveTurn } from "./live-turn";
import type { VisitorSession } from "./visitor-session";
import { delta, drivenModel, readUntil } from "../test-support/driven-model";
import { textOf } from "../test-support/bot-fixtures";

/** A session whose store keeps the live answer in memory (the Durable Object's part is tested in chat-session.test.ts). */
function memorySession() {
  let recorded = "";
  const store = {
    openLiveTurn: async () => {},
    appendLive: async (_turnId: string, text: string) => {
      recorded += text;
      return { stopRequested: false };
    },
  };
  return { session: { botId: "b", sessionId: "s", isNew: true, token: "t", expiresAt: 0, store } as unknown as VisitorSession, recorded: () => recorded };
}

describe("startLiveTurn", () => {
  it("aborts the upstream model call when nobody came back within the grace period, and the turn ends stopped with what streamed", async () => {
    const { session, recorded } = memorySession();
    const pending: Promise<unknown>[] = [];
    const waitUntil = (promise: Promise<unknown>) => void pending.push(promise);
    const live = await startLiveTurn(session, "turn-1", waitUntil, { graceMs: 50, flushMs: 10 });
    const driven = drivenModel();
    const outcomes: TurnOutcome[] = [];
    const response = live.attach(
      streamChatTurn({
        bot: DEMO_BOT,
        question: "Long answer?",
        history: [],
        model: driven.model,
        modelSource: "custom",
        signal: live.signal,
        maxOutputTokens: 100,
        onEnd: (outcome) => void outcomes.push(structuredClone(outcome)),
        waitUntil,
      }),
    );
    const reader = response.body!.getReader();
    await driven.write({ type: "text-start", id: "t" });
    await driven.write(delta("Before the tab closed, "));
    await readUntil(reader, (chunks) => textOf(chunks).includes("tab closed"));
    await reader.cancel();

    // Within the grace period the model keeps going.
    await driven.write(delta("still going. "));
    expect(driven.wasAborted()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await Promise.all(pending);
    expect(driven.wasAborted()).toBe(true);
    expect(outcomes).toEqual([expect.objectContaining({ status: "stopped", text: "Before the tab closed, still going. " })]);
    expect(recorded()).toContain("still going. ");
  });

  it("keeps at most one batch in flight when the session object is slow, and the next batch carries what came meanwhile", async () => {
    const calls: { text: string; done: boolean }[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const store = {
      appendLive: async (_turnId: string, text: string, done: boolean) => {
        calls.push({ text, done });
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        // The first batch hangs until released: a session object slower than many flush intervals.
        if (calls.length === 1) await released;
        inFlight--;
        return { stopRequested: false };
      },
    };
    const session = { botId: "b", sessionId: "s", isNew: false, token: "t", expiresAt: 0, store } as unknown as VisitorSession;
    const pending: Promise<unknown>[] = [];
    let source!: ReadableStreamDefaultController<Uint8Array>;
    const encoder = new TextEncoder();
    const response = attachLiveTurn(session, "turn-1", (promise) => void pending.push(promise), { flushMs: 2 }).attach(
      new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (source = controller) })),
    );
    const visitor = response.body!.getReader();
    source.enqueue(encoder.encode("one "));
    await visitor.read();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first batch is sent and hangs
    for (const word of ["two ", "three "]) {
      source.enqueue(encoder.encode(word));
      await visitor.read();
      await new Promise((resolve) => setTimeout(resolve, 20)); // ten flush intervals each
    }
    expect(calls).toHaveLength(1);
    release();
    source.close();
    await Promise.all(pending);
    expect(mostInFlight).toBe(1);
    expect(calls.map((call) => call.text).join("")).toBe("one two three ");
    expect(calls[1]!.text).toMatch(/two three $/);
    expect(calls.at(-1)!.done).toBe(true);
  });
});
