import { describe, expect, it } from "vitest";
import { ChatClient, type ChatMessage } from "./chat-client";
import { syncTabs } from "./tab-sync";

const answer = 'data: {"type":"data-session","data":{"sessionId":"s1","token":"t1"}}\n\ndata: {"type":"text-start","id":"t"}\n\ndata: {"type":"text-delta","id":"t","delta":"hello"}\n\ndata: [DONE]\n\n';

describe("syncTabs", () => {
  it("shows one tab's conversation and session in the other tabs, which never send it again", async () => {
    let sent = 0;
    const fetcher = (async () => (sent++, new Response(answer))) as unknown as typeof fetch;
    const tabA = new ChatClient({ api: "https://w.test/v1/chat", fetch: fetcher });
    const tabB = new ChatClient({ api: "https://w.test/v1/chat", fetch: fetcher });
    const stopA = syncTabs(tabA, "edgechat-test", 10);
    const stopB = syncTabs(tabB, "edgechat-test", 10);
    await tabA.send("question");
    const seen = () => tabB.snapshot.messages.map((m: ChatMessage) => m.parts.map((p) => (p.type === "text" ? p.text : "")).join(""));
    await expect.poll(seen).toEqual(["question", "hello"]);
    expect(tabB.session).toEqual({ sessionId: "s1", token: "t1" });
    expect(tabB.chatId).toBe("s1");
    expect(sent).toBe(1);
    tabA.reset();
    await expect.poll(() => tabB.snapshot.messages.length).toBe(0);
    expect(tabB.session).toBeUndefined();
    stopA();
    stopB();
  });
});
