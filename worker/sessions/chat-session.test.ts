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

  describe("openTurn: the one call of a chat turn", () => {
    const open = (session: ReturnType<typeof freshSession>, messageId: string, now: number, extra: Record<string, unknown> = {}) =>
      session.openTurn({
        botId: "unit-bot",
        messageId,
        text: `question ${messageId}`,
        maxUserMessages: 10,
        now,
        verification: "none",
        history: { maxMessages: 20, maxChars: 10_000 },
        recentAnswers: 2,
        ...extra,
      });

    it("stores the message exactly once under retries, concurrent or after a failed answer, and replays a complete one", async () => {
      const session = freshSession();
      const [first, concurrent] = await Promise.all([open(session, "u1", 1), open(session, "u1", 1)]);
      expect([first.kind, concurrent.kind].sort()).toEqual(["busy", "new"]);
      await session.recordAnswer({ replyTo: "u1", messageId: "a1", outcome: outcome("Par", "failed"), now: 2 });
      expect(await open(session, "u1", 3)).toMatchObject({ kind: "retry", history: [] });
      await session.recordAnswer({ replyTo: "u1", messageId: "a2", outcome: outcome("Done"), now: 4 });
      expect(await open(session, "u1", 5)).toMatchObject({ kind: "answered", answer: { id: "a2", text: "Done" } });
      const users = (await session.messages()).filter((message) => message.role === "user");
      expect(users.map((message) => message.id)).toEqual(["u1"]);
    });

    it("returns the history and recent answers, and opens the live turn of a message to answer", async () => {
      const session = freshSession();
      await open(session, "u1", 1);
      await session.recordAnswer({ replyTo: "u1", messageId: "a1", outcome: outcome("answer 1"), now: 2 });
      const next = await open(session, "u2", 3);
      expect(next).toMatchObject({ kind: "new", history: [{ role: "user", text: "question u1" }, { role: "assistant", text: "answer 1" }] });
      expect(next.kind === "new" && next.recentAnswers.map((answer) => answer.status)).toEqual(["complete"]);
      expect(await session.followLive()).not.toBeNull();
    });

    it("stores nothing for another bot's session or an unverified one that must be verified", async () => {
      const session = freshSession();
      expect(await open(session, "u1", 1, { verification: "required" })).toEqual({ kind: "unverified" });
      expect(await open(session, "u1", 1, { botId: "another-bot", verification: "passed" })).toEqual({ kind: "wrong_bot" });
      expect(await session.messages()).toEqual([]);
      expect(await open(session, "u1", 2, { verification: "passed" })).toMatchObject({ kind: "new", verified: true });
      expect(await open(session, "u2", 3, { verification: "required" })).toMatchObject({ kind: "new", verified: true });
    });
  });
});
