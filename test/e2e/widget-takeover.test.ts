import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../support/browser";
import { W, screenshotDir } from "../support/widget-page";

// Live takeover in the visitor's widget (issue 13, docs/takeover.md), against the real worker (`wrangler dev`),
// on a host page with a strict Content-Security-Policy: the visitor asks for a person, a person takes over
// through the admin API and writes; the message appears live under the person's name (widget-live.js, the
// widget's second file, loaded on demand), and again after a reload and in a second tab; hand back, and the
// bot answers again. The two-browser journey with the console is the console's test.
const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<any>;
};

async function hostPage(context: BrowserContext, botId: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>takeover host</title></head><body><main><h1>Support</h1></main><script src="/widget.js" data-bot="${botId}" data-title="Help" async></script></body></html>`;
  await context.route(`${baseUrl}/takeover-host.html`, (route) =>
    route.fulfill({ body: html, contentType: "text/html", headers: { "content-security-policy": STRICT_CSP } }),
  );
  const page = await context.newPage();
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { violations: string[] }).violations = violations;
    document.addEventListener("securitypolicyviolation", (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(`${baseUrl}/takeover-host.html`);
  return { page, violations: () => page.evaluate(() => (window as unknown as { violations: string[] }).violations) };
}

const bubbles = (page: Page) => page.locator(`${W} >> .msg:not(.greeting)`).allTextContents();

describe("a person takes over in the visitor's widget", () => {
  it("shows the person's messages live under their name, after a reload and in a second tab; hand back resumes the bot", async () => {
    const botId = `takeover-${Date.now().toString(36)}`;
    // The webhook is never reached: a member takes the conversation within the bot's default 120 s.
    await admin("POST", "/v1/admin/bots", { id: botId, name: "Takeover bot", allowedOrigins: [baseUrl], handoffWebhookUrl: "https://hooks.example.test/handoff" });
    const context = await browser.newContext({ viewport: { width: 900, height: 760 } });
    context.setDefaultTimeout(15_000);
    const visitor = await hostPage(context, botId);
    const p = visitor.page;
    await p.locator(`${W} >> .launcher`).click();
    await p.locator(`${W} >> textarea`).fill("Can I talk to a human please?");
    await p.locator(`${W} >> textarea`).press("Enter");
    // The bot answers and offers a person; the visitor reads the answer, then asks for one.
    await p.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done] button.person`).click();
    await expect.poll(() => bubbles(p)).toContainEqual(expect.stringContaining("asking a person from the team to join"));
    const { sessionId } = JSON.parse((await p.evaluate((key) => localStorage.getItem(key), `edgechat:${baseUrl}:${botId}`))!);
    expect((await admin("POST", `/v1/admin/sessions/${sessionId}/takeover`, { name: "Ana" })).handoff).toMatchObject({ state: "human", agentName: "Ana" });
    await admin("POST", `/v1/admin/sessions/${sessionId}/messages`, { text: "Hi, I'm Ana from support. How can I help?" });
    const ana = p.locator(`${W} >> .msg.assistant:has(.by)`);
    await expect.poll(() => ana.allTextContents()).toEqual(["AnaHi, I'm Ana from support. How can I help?"]);
    expect(await p.locator(`${W} >> .msg.assistant .by`).allTextContents()).toEqual(["Ana"]);
    // Thumbs rate the AI's answers, not a person's messages.
    expect(await p.locator(`${W} >> .msg.assistant:has(.by) .rate`).count()).toBe(0);
    // The AI disclosure stays for the AI answers.
    expect(await p.locator(`${W} >> .notice`).count()).toBe(1);

    // The visitor writes to Ana: the message is sent, no AI answer appears.
    const before = (await bubbles(p)).length;
    await p.locator(`${W} >> textarea`).fill("My invoice shows the wrong VAT number.");
    await p.locator(`${W} >> textarea`).press("Enter");
    await expect.poll(() => bubbles(p)).toHaveLength(before + 1);
    await p.waitForTimeout(300);
    expect(await bubbles(p)).toHaveLength(before + 1);
    await admin("POST", `/v1/admin/sessions/${sessionId}/messages`, { text: "Fixed: the next invoice has the right number." });
    await expect.poll(() => ana.count()).toBe(2);
    await p.screenshot({ path: `${screenshotDir()}/takeover-visitor-live.png`, animations: "disabled" });

    // A reload: everything is there, with the name, and the widget follows again.
    await p.reload();
    await p.locator(`${W} >> .launcher`).click();
    await expect.poll(() => ana.count()).toBe(2);
    const afterReload = await bubbles(p);
    expect(afterReload).toEqual(expect.arrayContaining(["You: My invoice shows the wrong VAT number.", expect.stringContaining("Fixed: the next invoice")]));
    // A second tab of the site: the same conversation, and live.
    const second = await hostPage(context, botId);
    await second.page.locator(`${W} >> .launcher`).click();
    await admin("POST", `/v1/admin/sessions/${sessionId}/messages`, { text: "Anything else?" });
    for (const page of [p, second.page]) {
      await expect.poll(() => page.locator(`${W} >> .msg.assistant:has(.by)`).count()).toBe(3);
      expect((await bubbles(page)).at(-1)).toBe("AnaAnything else?");
    }

    // Hand back: the bot answers the next question.
    expect((await admin("POST", `/v1/admin/sessions/${sessionId}/release`)).handoff).toMatchObject({ state: "none" });
    await p.locator(`${W} >> textarea`).fill("How do I reset my password?");
    await p.locator(`${W} >> textarea`).press("Enter");
    await expect.poll(() => p.locator(`${W} >> .msg.assistant:not(.greeting):not(:has(.by))[data-state=done]`).count()).toBeGreaterThanOrEqual(2);
    expect((await bubbles(p)).at(-1)).toContain("How do I reset my password?"); // the offline model quotes the question
    const history = (await (await fetch(`${baseUrl}/v1/sessions/${sessionId}/messages`, { headers: { authorization: `Bearer ${JSON.parse((await p.evaluate((key) => localStorage.getItem(key), `edgechat:${baseUrl}:${botId}`))!).token}` } })).json()) as any;
    expect(history.messages.filter((message: any) => message.metadata.author?.kind === "human").map((message: any) => message.parts[0].text)).toEqual([
      "Hi, I'm Ana from support. How can I help?",
      "Fixed: the next invoice has the right number.",
      "Anything else?",
    ]);
    expect(await visitor.violations()).toEqual([]);
    expect(await second.violations()).toEqual([]);
    await context.close();
  });
});
