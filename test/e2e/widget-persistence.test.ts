import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium } from "../support/browser";
import { SITE, W, answerChunks, installFakeWorker, scriptTagPage } from "../support/widget-page";

// Persistence (session in storage, transcript from GET /v1/sessions/:id/messages), multi-tab
// sync over BroadcastChannel, "new conversation", and blocked storage, against canned endpoints.
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

const session = { sessionId: "sess-1", token: "tok-1", expiresAt: Date.now() + 3_600_000 };
const sessionChunk = { type: "data-session", data: session, transient: true };

async function ask(page: Page, question: string, answers = 1) {
  await page.locator(`${W} >> textarea`).fill(question);
  await page.locator(`${W} >> textarea`).press("Enter");
  await expect.poll(() => page.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).count()).toBe(answers);
}

const transcript = (page: Page) => page.locator(`${W} >> .msg:not(.greeting)`).allTextContents();

describe("conversation persistence and tabs", () => {
  it("keeps the conversation across a reload, syncs two tabs without sending twice, and starts over on request", async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const fake = await installFakeWorker(context);
    fake.pages.set("/", scriptTagPage('data-bot="demo"'));
    fake.pages.set("/other", scriptTagPage('data-bot="demo"', { body: "<p>Another page of the site.</p>" }));
    fake.answers = [answerChunks(["First answer."], [sessionChunk], "a1"), answerChunks(["Second answer."], [sessionChunk], "a2"), answerChunks(["Third answer."], [sessionChunk], "a3")];
    const tabA = await context.newPage();
    await tabA.goto(`${SITE}/`);
    await tabA.locator(`${W} >> .launcher`).click();
    await ask(tabA, "First question");
    expect(JSON.parse((await tabA.evaluate(() => localStorage.getItem(`edgechat:${location.origin}:demo`)))!)).toMatchObject({ sessionId: "sess-1", token: "tok-1" });
    await ask(tabA, "Second question", 2);
    // The second turn carries the session: id = session id, token in the body.
    expect(fake.chatRequests[0]).not.toHaveProperty("sessionToken");
    expect(fake.chatRequests[1]).toMatchObject({ id: "sess-1", sessionToken: "tok-1", botId: "demo" });

    // The server's history of that session, as the hosted-bot endpoint returns it (UIMessages).
    fake.history.set("sess-1", [
      { id: "u1", role: "user", parts: [{ type: "text", text: "First question" }] },
      { id: "a1", role: "assistant", parts: [{ type: "step-start" }, { type: "text", text: "First answer. [1]" }, { type: "source-url", sourceId: "s", url: "https://docs.test/a", title: "Doc A" }, { type: "source-url", sourceId: "s2", url: "https://docs.test/b", title: "Doc B, retrieved but not cited" }], metadata: { model: "m" } },
      { id: "u2", role: "user", parts: [{ type: "text", text: "Second question" }] },
      { id: "a2", role: "assistant", parts: [{ type: "text", text: "Second answer." }] },
    ]);
    const historyBefore = fake.historyRequests.length;
    await tabA.reload();
    // The widget resumes the stored session as it mounts; open the panel once that request has been made.
    await expect.poll(() => fake.historyRequests.length).toBe(historyBefore + 1);
    await tabA.locator(`${W} >> .launcher`).click();
    await expect.poll(() => transcript(tabA)).toEqual(["You: First question", expect.stringContaining("First answer."), "You: Second question", expect.stringContaining("Second answer.")]);
    expect(fake.historyRequests.at(-1)).toMatchObject({ url: `${SITE}/v1/sessions/sess-1/messages`, authorization: "Bearer tok-1" });
    // Only the source the answer cites is listed.
    expect(await tabA.locator(`${W} >> .sources a`).allTextContents()).toEqual(["Doc A"]);

    // Navigation within the site, in a second tab: same conversation.
    const tabB = await context.newPage();
    await tabB.goto(`${SITE}/other`);
    await tabB.locator(`${W} >> .launcher`).click();
    await expect.poll(() => transcript(tabB)).toHaveLength(4);

    // A question in tab A shows up live in tab B, and only tab A talks to the server.
    const before = fake.chatRequests.length;
    await ask(tabA, "Third question", 3);
    await expect.poll(() => transcript(tabB)).toEqual(await transcript(tabA));
    expect((await transcript(tabB)).at(-1)).toContain("Third answer.");
    expect(fake.chatRequests.length).toBe(before + 1);

    // New conversation: transcript and stored session gone, in both tabs.
    await tabA.getByRole("button", { name: "New conversation" }).click();
    await expect.poll(() => transcript(tabA)).toEqual([]);
    expect(await tabA.evaluate(() => localStorage.getItem(`edgechat:${location.origin}:demo`))).toBeNull();
    await expect.poll(() => transcript(tabB)).toEqual([]);
    fake.answers = [answerChunks(["Fresh answer."], [{ ...sessionChunk, data: { ...session, sessionId: "sess-2", token: "tok-2" } }])];
    await ask(tabB, "Fresh start");
    expect(fake.chatRequests.at(-1)).not.toHaveProperty("sessionToken");
    expect(fake.chatRequests.at(-1)!.id).not.toBe("sess-1");
    await context.close();
  });

  it("works with blocked storage (private mode, sandboxed iframes): the session lives in memory", async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    await context.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
    });
    const fake = await installFakeWorker(context);
    fake.pages.set("/", scriptTagPage('data-bot="demo"'));
    fake.answers = [answerChunks(["One."], [sessionChunk]), answerChunks(["Two."], [sessionChunk])];
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${SITE}/`);
    await page.locator(`${W} >> .launcher`).click();
    await ask(page, "one");
    await ask(page, "two", 2);
    expect(fake.chatRequests[1]).toMatchObject({ id: "sess-1", sessionToken: "tok-1" });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("ignores an expired or unknown stored session and starts a new conversation", async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const fake = await installFakeWorker(context);
    fake.pages.set("/", scriptTagPage('data-bot="demo"'));
    const page = await context.newPage();
    await page.goto(`${SITE}/`);
    await page.evaluate(() => localStorage.setItem(`edgechat:${location.origin}:demo`, JSON.stringify({ sessionId: "gone", token: "t" })));
    await page.reload();
    await page.locator(`${W} >> .launcher`).click();
    await expect.poll(() => page.evaluate(() => localStorage.getItem(`edgechat:${location.origin}:demo`))).toBeNull();
    await ask(page, "hello");
    expect(fake.chatRequests[0]).not.toHaveProperty("sessionToken");
    await context.close();
  });
});
