import { describe, expect, it } from "vitest";
import { testEnv } from "../test-support/bot-fixtures";
import { sessionStub } from "./session-store";

const outcome = (text: string, status: "complete" | "stopped" | "failed" = "complete") => ({
  status,
  text,
  sources: [{ sourceId: "s1", url: "https://docs.example.com/a", title: "A" }],
  files: [],
  metadata: { model: "m" },
});

function freshSession() {
  return sessionStub(testEnv, "unit-bot", `s_${crypto.randomUUID()}`);
}

describe("ChatSession", () => {
  it("belongs to the bot that opened it", async () => {
    const session = freshSession();
    expect(await session.bind("unit-bot")).toBe(true);
    expect(await session.bind("unit-bot")).toBe(true);
    expect(await session.bind("another-bot")).toBe(false);
  });

  it("stores each message once: a user message id once, an answer id once", async () => {
    const session = freshSession();
    expect(await session.beginTurn({ messageId: "u1", text: "Q1", maxUserMessages: 10, now: 1 })).toEqual({ kind: "new" });
    expect(await session.beginTurn({ messageId: "u1", text: "Q1", maxUserMessages: 10, now: 2 })).toEqual({ kind: "busy" });
    expect(await session.recordAnswer({ replyTo: "u1", messageId: "a1", outcome: outcome("A1"), now: 3 })).toBe(true);
    expect(await session.recordAnswer({ replyTo: "u1", messageId: "a1", outcome: outcome("other"), now: 4 })).toBe(false);
    const again = await session.beginTurn({ messageId: "u1", text: "Q1", maxUserMessages: 10, now: 5 });
    expect(again).toMatchObject({ kind: "answered", answer: { id: "a1", text: "A1", sources: [{ url: "https://docs.example.com/a" }] } });
    const messages = await session.messages();
    expect(messages.map((message) => [message.id, message.role, message.text])).toEqual([
      ["u1", "user", "Q1"],
      ["a1", "assistant", "A1"],
    ]);
  });

  it("answers a retried message again after a failed answer, without storing the question twice", async () => {
    const session = freshSession();
    await session.beginTurn({ messageId: "u1", text: "Q", maxUserMessages: 10, now: 1 });
    await session.recordAnswer({ replyTo: "u1", messageId: "a1", outcome: outcome("Par", "failed"), now: 2 });
    expect(await session.beginTurn({ messageId: "u1", text: "Q", maxUserMessages: 10, now: 3 })).toEqual({ kind: "retry" });
    expect((await session.messages()).filter((message) => message.role === "user")).toHaveLength(1);
  });

  it("gives the model a bounded history without failed answers, oldest first, starting with a question", async () => {
    const session = freshSession();
    for (let i = 1; i <= 6; i++) {
      await session.beginTurn({ messageId: `u${i}`, text: `question ${i}`, maxUserMessages: 100, now: i });
      await session.recordAnswer({ replyTo: `u${i}`, messageId: `a${i}`, outcome: outcome(`answer ${i}`, i === 5 ? "failed" : "complete"), now: i });
    }
    await session.beginTurn({ messageId: "u7", text: "question 7", maxUserMessages: 100, now: 7 });
    const history = await session.history({ beforeMessageId: "u7", maxMessages: 5, maxChars: 10_000 });
    expect(history.map((message) => message.text)).toEqual(["question 4", "answer 4", "question 5", "question 6", "answer 6"]);
    const short = await session.history({ beforeMessageId: "u7", maxMessages: 20, maxChars: 25 });
    expect(short.map((message) => message.text)).toEqual(["question 6", "answer 6"]);
    expect(await session.beginTurn({ messageId: "u8", text: "one too many", maxUserMessages: 7, now: 8 })).toEqual({ kind: "full" });
  });
});
