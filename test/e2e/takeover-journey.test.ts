import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium } from "../support/browser";
import { DESKTOP, cspViolations, recordCspViolations } from "../support/console-page";
import { signInConsoleMember } from "../support/console-member";
import { W } from "../support/widget-page";

// Issue 13's two-browser journey against the real worker (`wrangler dev`): a visitor on a customer's website
// (another origin, the script-tag widget) and an agent in the console (a separate browser context, signed in).
// The visitor asks for a person → the agent sees the notice and the inbox flag → takes over → they write both
// ways, live → the visitor reloads and sees everything → the agent hands back → the bot answers again.
const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");
const SHOTS = "test-results/screenshots/takeover-journey";
let browser: Awaited<ReturnType<typeof launchChromium>>;
let site: Server;
let siteOrigin = "";

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
  // The customer's website: one page with the widget's script tag, from another origin than the worker.
  site = createServer((request, response) => {
    const bot = new URL(request.url ?? "/", "http://x").searchParams.get("bot") ?? "";
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Cloud</title></head><body><main><h1>Acme Cloud</h1><p>Questions? Ask us in the chat.</p></main>
<script src="${baseUrl}/widget.js" data-bot="${bot}" data-endpoint="${baseUrl}" data-title="Acme help" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.cleanup();
  await new Promise<void>((resolve) => site?.close(() => resolve()));
});

const bubbles = (page: Page) => page.locator(`${W} >> .msg:not(.greeting)`).allTextContents();
/** The widget's messages from a person (they carry the person's name). */
const personMessages = (page: Page) => page.locator(`${W} >> .msg.assistant:has(.by)`);

describe("a visitor asks for a person and an agent takes over from the console", () => {
  it("flags and notifies, takes over, exchanges messages live both ways, survives a reload, hands back to the bot", async () => {
    const botId = `journey-${Date.now().toString(36)}`;
    const created = await fetch(`${baseUrl}/v1/admin/bots`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      // The webhook is never reached: the agent takes the conversation within the bot's default 120 s.
      body: JSON.stringify({ id: botId, name: "Acme help", allowedOrigins: [siteOrigin], handoffWebhookUrl: "https://hooks.example.test/handoff" }),
    });
    expect(created.status, await created.clone().text()).toBe(201);

    // The agent: signed in, on the console's home page, scoped to this bot.
    const agentContext = await browser.newContext({ viewport: DESKTOP });
    agentContext.setDefaultTimeout(20_000);
    await recordCspViolations(agentContext);
    await signInConsoleMember(agentContext, { baseUrl, adminToken, role: "agent", displayName: "Ada Lovelace", bots: [botId] });
    const agent = await agentContext.newPage();
    const agentErrors: string[] = [];
    agent.on("pageerror", (error) => agentErrors.push(error.message));
    await agent.goto(`${baseUrl}/admin`);
    await agent.locator("h1", { hasText: "Bots" }).waitFor();

    // The visitor asks for a person on the customer's site.
    const visitorContext = await browser.newContext({ viewport: { width: 900, height: 800 } });
    visitorContext.setDefaultTimeout(20_000);
    const visitor = await visitorContext.newPage();
    const visitorErrors: string[] = [];
    visitor.on("pageerror", (error) => visitorErrors.push(error.message));
    await visitor.goto(`${siteOrigin}/?bot=${botId}`);
    await visitor.locator(`${W} >> .launcher`).click();
    await visitor.locator(`${W} >> textarea`).fill("Can I talk to a person please?");
    await visitor.locator(`${W} >> textarea`).press("Enter");
    await visitor.locator(`${W} >> button.person`).click();
    await expect.poll(() => bubbles(visitor)).toContainEqual(expect.stringContaining("asking a person from the team to join"));
    await visitor.screenshot({ path: `${SHOTS}/1-visitor-asks.png`, animations: "disabled" });

    // The agent sees the notice (the console polls every 5 s) without reloading, and the flag in the inbox.
    const notice = agent.locator(".handoff-notice");
    await notice.locator("a", { hasText: "Can I talk to a person please?" }).waitFor();
    expect(await notice.getAttribute("aria-live")).toBe("polite");
    await agent.screenshot({ path: `${SHOTS}/2-agent-notice.png`, animations: "disabled" });
    await agent.goto(`${baseUrl}/admin/bots/${botId}/conversations?flags=needsPerson`);
    const row = agent.locator(".conversations-table tbody tr", { hasText: "Can I talk to a person please?" });
    await row.waitFor();
    expect(await row.locator(".flags").textContent()).toContain("Person requested");
    expect(await row.locator(".flags").textContent()).toContain("Needs a person");

    // From the notice to the transcript; take over.
    await notice.locator("a").click();
    await agent.locator(".turns").waitFor();
    expect(await agent.locator(".turn.visitor .visitor-text").first().textContent()).toBe("Can I talk to a person please?");
    await expect.poll(() => agent.locator(".takeover-state").textContent()).toContain("The visitor asked for a person");
    await agent.click("button:text('Take over')");
    await expect.poll(() => agent.locator(".takeover-state").textContent()).toContain("Ada Lovelace has this conversation");
    // Taken: the request is no longer open, so the notice goes at the next poll.
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toBe("");

    // The agent writes; the visitor sees it live, under the agent's name.
    await agent.fill("#agent-message", "Hi, I'm Ada from the Acme team. How can I help?");
    await agent.press("#agent-message", "Enter");
    await expect.poll(() => personMessages(visitor).allTextContents()).toEqual(["Ada LovelaceHi, I'm Ada from the Acme team. How can I help?"]);

    // The visitor answers; the agent sees it live, and the bot does not answer.
    const aiAnswers = () => agent.locator(".turn.ai").count();
    const aiBefore = await aiAnswers();
    await visitor.locator(`${W} >> textarea`).fill("My invoice shows the wrong VAT number.");
    await visitor.locator(`${W} >> textarea`).press("Enter");
    await agent.locator(".turn.visitor .visitor-text", { hasText: "My invoice shows the wrong VAT number." }).waitFor();
    await agent.fill("#agent-message", "Fixed: your next invoice has the right number.");
    await agent.click("button:text('Send')");
    await expect.poll(() => personMessages(visitor).count()).toBe(2);
    expect(await aiAnswers()).toBe(aiBefore);
    expect((await agent.locator(".turn-author").allTextContents()).slice(-3)).toEqual(["Ada Lovelace (person)", "Visitor", "Ada Lovelace (person)"]);
    await visitor.screenshot({ path: `${SHOTS}/3-visitor-with-agent.png`, animations: "disabled" });
    await agent.screenshot({ path: `${SHOTS}/3-agent-takeover.png`, fullPage: true, animations: "disabled" });

    // The visitor reloads: everything is there, in order, the agent's messages under the name.
    await visitor.reload();
    await visitor.locator(`${W} >> .launcher`).click();
    await expect.poll(() => personMessages(visitor).count()).toBe(2);
    const afterReload = await bubbles(visitor);
    const order = ["Can I talk to a person please?", "Hi, I'm Ada from the Acme team.", "My invoice shows the wrong VAT number.", "Fixed: your next invoice has the right number."].map((text) => afterReload.findIndex((bubble) => bubble.includes(text)));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    await visitor.screenshot({ path: `${SHOTS}/4-visitor-after-reload.png`, animations: "disabled" });
    // …and the agent's transcript agrees with it.
    const agentTexts = await agent.locator(".turn .turn-body").allTextContents();
    expect(agentTexts.filter((text) => /Ada from the Acme team|wrong VAT number|right number/.test(text))).toHaveLength(3);

    // The agent hands back; the bot answers the visitor's next question, live on the agent's page too.
    await agent.click("button:text('Hand back to the bot')");
    await agent.locator("button:text('Take over')").waitFor();
    await visitor.locator(`${W} >> textarea`).fill("How do I reset my password?");
    await visitor.locator(`${W} >> textarea`).press("Enter");
    const lastAi = visitor.locator(`${W} >> .msg.assistant:not(.greeting):not(:has(.by))[data-state=done]`);
    await expect.poll(() => lastAi.count()).toBe(2);
    expect(await lastAi.last().textContent()).toContain("How do I reset my password?");
    await expect.poll(aiAnswers).toBe(aiBefore + 1);
    expect(await agent.locator(".turn.ai").last().locator(".answer-badges").textContent()).toMatch(/model/);
    await visitor.screenshot({ path: `${SHOTS}/5-visitor-bot-again.png`, animations: "disabled" });
    await agent.screenshot({ path: `${SHOTS}/5-agent-handed-back.png`, fullPage: true, animations: "disabled" });

    expect(await cspViolations(agent)).toEqual([]);
    expect(agentErrors).toEqual([]);
    expect(visitorErrors).toEqual([]);
    await visitorContext.close();
    await agentContext.close();
  });
});
