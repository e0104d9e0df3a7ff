import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "../support/browser";
import { DESKTOP, PHONE, consoleAxeViolations, consoleScreenshotDir, cspViolations, recordCspViolations } from "../support/console-page";
import { XSS_PAYLOADS } from "../support/xss-payloads";

// Corrections against the real worker, in Chromium: an editor adds a correction on the bot's Corrections page,
// a visitor on the hosted page asks the question and gets exactly that answer as a curated answer
// (`metadata.curated: true`, no model), the page then counts the use; a bad JSONL import shows its errors per line.
const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

const QUESTION = "Can I bring my dog to the Lisbon office?";
const ANSWER = "Yes: dogs are welcome at the Lisbon office on **Fridays**, on a lead.";

describe("corrections in the console", () => {
  it("an editor adds a correction and the next visitor gets it as a curated answer; use count and per-line import errors show", async () => {
    const botId = `fix-${Date.now().toString(36)}`;
    await admin("POST", "/v1/admin/bots", { id: botId, name: "Office help" });
    const { invitation } = (await admin("POST", "/v1/admin/members/invitations", { name: `editor-${botId}`, role: "editor", bots: [botId] })) as { invitation: { url: string } };

    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(20_000);
    await recordCspViolations(context);
    await context.addInitScript(() => {
      const calls: string[] = [];
      Object.assign(window, { __pwnedCalls: calls, __pwned: (what: string) => calls.push(what) });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(invitation.url);
    await page.fill("#password", "a long and lovely password");
    await page.fill("#confirm", "a long and lovely password");
    await page.click("button:text('Set password and sign in')");
    await page.locator("h1", { hasText: "Bots" }).waitFor();

    // The Corrections tab, empty; the editor checks the form before sending it.
    await page.goto(`${baseUrl}/admin/bots/${botId}`);
    await page.click("nav[aria-label='Bot pages'] a:text('Corrections')");
    await page.locator("h1", { hasText: "Corrections" }).waitFor();
    await page.locator("text=No corrections yet").waitFor();
    await page.click("button:text('Add correction')");
    // The editor opens with the focus in its question.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("correction-new-question");
    await page.click("button:text('Add correction') >> nth=-1");
    await expect.poll(() => page.locator("#correction-new-question-error").textContent()).toBe("Write the question.");
    await page.fill("#correction-new-question", QUESTION);
    // Hostile text stays text.
    await page.fill("#correction-new-phrasings", `Are pets allowed in Lisbon?\n${XSS_PAYLOADS[2]}`);
    await page.fill("#correction-new-answer", ANSWER);
    await page.fill("#correction-new-sources", "Office guide | https://office.example/lisbon");
    await page.click("form.correction-editor button[type=submit]");
    const row = page.locator(".corrections-table tbody tr", { hasText: QUESTION });
    await row.waitFor();
    expect(await row.locator(".answer-text").textContent()).toBe(ANSWER);
    expect(await row.locator(".phrasings li").allTextContents()).toEqual(["Are pets allowed in Lisbon?", XSS_PAYLOADS[2]]);
    expect(await row.locator("td.number").textContent()).toBe("0");
    expect(await page.evaluate(() => (window as unknown as { __pwnedCalls: string[] }).__pwnedCalls)).toEqual([]);
    expect(await row.locator("img, script, iframe").count()).toBe(0);

    // A visitor on the hosted page asks; the answer is the correction, marked curated, from no model.
    const visitor = await browser.newContext();
    const hosted = await visitor.newPage();
    await hosted.goto(`${baseUrl}/b/${botId}`);
    const input = hosted.locator("[data-edgechat] >> textarea");
    await input.waitFor();
    const chat = hosted.waitForResponse((response) => response.url().endsWith("/v1/chat") && response.request().method() === "POST");
    await input.fill(QUESTION);
    await input.press("Enter");
    const stream = await (await chat).text();
    const metadata = stream
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)) as { messageMetadata?: Record<string, unknown> })
      .find((chunk) => chunk.messageMetadata?.curated)?.messageMetadata;
    expect(metadata).toMatchObject({ curated: true, model: "none", correctionId: expect.stringMatching(/^cor_/) });
    const answer = hosted.locator("[data-edgechat] >> .msg.assistant:not(.greeting)[data-state=done]");
    await answer.waitFor();
    expect(await answer.textContent()).toContain("dogs are welcome at the Lisbon office on Fridays, on a lead.");
    await hosted.screenshot({ path: `${consoleScreenshotDir()}/corrections-visitor.png`, animations: "disabled" });
    await visitor.close();

    // The page counts the use.
    await page.reload();
    await expect.poll(() => page.locator(".corrections-table tbody tr", { hasText: QUESTION }).locator("td.number").textContent()).toBe("1");

    // An import with bad lines shows each line's problem and imports nothing.
    await page.setInputFiles("input[aria-label='JSONL file to import']", {
      name: "bad.jsonl",
      mimeType: "application/x-ndjson",
      buffer: Buffer.from(`${JSON.stringify({ question: "Is there parking?", answer: "Yes, level -2." })}\n{not json\n${JSON.stringify({ question: "Wifi?", answer: "Yes", sources: [{ title: "x", url: "javascript:alert(1)" }] })}\n`),
    });
    const problems = page.locator(".import-errors li");
    await expect.poll(() => problems.count()).toBe(2);
    expect(await problems.allTextContents()).toEqual([expect.stringMatching(/^Line 2: line 2 is not valid JSON/), expect.stringMatching(/^Line 3: line 3\.sources\[0\]\.url must be an http/)]);
    expect(await page.locator(".corrections-table tbody tr").count()).toBe(1);
    await page.screenshot({ path: `${consoleScreenshotDir()}/corrections-desktop-light.png`, fullPage: true, animations: "disabled" });
    expect(await consoleAxeViolations(page, baseUrl)).toEqual([]);
    // On a phone, in dark mode, with the editor open: readable, and nothing wider than the screen.
    await page.setViewportSize(PHONE);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.click("button:text('Add correction')");
    await page.locator("form.correction-editor").waitFor();
    await page.screenshot({ path: `${consoleScreenshotDir()}/corrections-phone-dark.png`, fullPage: true, animations: "disabled" });
    expect(await consoleAxeViolations(page, baseUrl)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.click("form.correction-editor button:text('Cancel')");
    await page.setViewportSize(DESKTOP);

    // A good import adds its lines.
    await page.setInputFiles("input[aria-label='JSONL file to import']", {
      name: "good.jsonl",
      mimeType: "application/x-ndjson",
      buffer: Buffer.from(`${JSON.stringify({ question: "Is there parking?", answer: "Yes, level -2." })}\n`),
    });
    await expect.poll(() => page.locator(".corrections-table tbody tr").count()).toBe(2);
    expect(await page.locator(".import-errors").count()).toBe(0);

    // Edit, then delete.
    await page.click(`button[aria-label='Edit the correction for Is there parking?']`);
    const editor = page.locator("form.correction-editor");
    await editor.locator("textarea[id$='-answer']").fill("Yes, on level -2, free for visitors.");
    await editor.locator("button[type=submit]").click();
    await page.locator(".answer-text", { hasText: "free for visitors" }).waitFor();
    page.on("dialog", (dialog) => void dialog.accept());
    await page.click(`button[aria-label='Delete the correction for Is there parking?']`);
    await expect.poll(() => page.locator(".corrections-table tbody tr").count()).toBe(1);
    const listed = (await admin("GET", `/v1/admin/bots/${botId}/corrections`)) as { corrections: { question: string }[] };
    expect(listed.corrections.map((c) => c.question)).toEqual([QUESTION]);

    expect(await cspViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
