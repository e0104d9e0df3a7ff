import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "../support/browser";
import { DESKTOP, consoleScreenshotDir, cspViolations, recordCspViolations } from "../support/console-page";

// The owner's whole first session, against the real worker and its identity backend, in Chromium:
// invite by the CLI → open the link → set a password → create a bot → edit greeting and colour and see the
// preview change before saving → save → the hosted page shows the new greeting → upload two files → they are
// indexed → ask the bot in the preview → analytics counts that conversation today.
const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

const run = promisify(execFile);

describe("the owner console, end to end", () => {
  it("takes a new owner from a CLI invitation to a bot that answers from uploaded files, without a terminal after the link", async () => {
    const name = `owner-${Date.now().toString(36)}`;
    const { stdout } = await run(process.execPath, ["bin/edgechat.mjs", "members", "invite", name, "--role", "admin", "--url", baseUrl, "--token", adminToken]);
    const link = /(http:\/\/\S+\/admin\/invite#\S+)/.exec(stdout)?.[1];
    expect(link, stdout).toBeDefined();

    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(20_000);
    await recordCspViolations(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const shot = (step: string) => page.screenshot({ path: `${consoleScreenshotDir()}/journey-${step}.png`, fullPage: true, animations: "disabled" });

    // The invitation: choose a password, and be signed in.
    await page.goto(link!);
    await page.locator(".invite-name", { hasText: name }).waitFor();
    await page.fill("#password", "short");
    await page.fill("#confirm", "short");
    await page.click("button:text('Set password and sign in')");
    await expect.poll(() => page.locator("#password-error").textContent()).toContain("At least 12 characters");
    await page.fill("#password", "a long and lovely password");
    await page.fill("#confirm", "a long and lovely password");
    await expect.poll(() => page.locator("#password-error").count()).toBe(0);
    await shot("invite");
    await page.click("button:text('Set password and sign in')");
    await page.locator("h1", { hasText: "Bots" }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/admin`);
    const cookie = (await context.cookies(baseUrl)).find((c) => c.name === "edgechat_console")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    // The link works once.
    const again = await context.newPage();
    await again.goto(link!);
    await again.locator(".notice.error", { hasText: "expired or was already used" }).waitFor();
    await again.close();

    // A new bot.
    await page.click("a:text('New bot')");
    await page.fill("#name", "Journey Help");
    expect(await page.inputValue("#id")).toBe("journey-help");
    await page.click("button:text('Create bot')");
    await expect.poll(() => page.url()).toBe(`${baseUrl}/admin/bots/journey-help`);

    // Greeting and colour change in the preview before saving.
    const widget = page.locator(".preview-widget");
    await widget.locator(".msg.greeting").waitFor();
    expect(await page.inputValue("#handoffSecret")).toMatch(/^whsec_[0-9a-f]{64}$/);
    await page.fill("#greeting", "Welcome aboard! Ask me about Zephyr routers.");
    await page.fill("#primaryColor", "#7c3aed");
    await expect.poll(() => widget.locator(".msg.greeting").textContent()).toContain("Welcome aboard! Ask me about Zephyr routers.");
    await expect.poll(() => widget.locator(".header").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(124, 58, 237)");
    const before = await page.request.get(`${baseUrl}/v1/bots/journey-help/config`);
    expect(((await before.json()) as { greeting: string }).greeting).not.toContain("Zephyr");
    await shot("settings-unsaved");
    await page.click("button:text('Save changes')");
    await page.locator(".notice.success").waitFor();

    // The hosted page shows the saved greeting to a visitor (another browser).
    const visitor = await browser.newContext();
    const hosted = await visitor.newPage();
    await hosted.goto(`${baseUrl}/b/journey-help`);
    await expect.poll(() => hosted.locator("[data-edgechat] >> .msg.greeting").textContent()).toContain("Welcome aboard! Ask me about Zephyr routers.");
    expect(await hosted.locator("[data-edgechat] >> .header").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(124, 58, 237)");
    await visitor.close();

    // Two files, uploaded side by side, both indexed.
    await page.click("nav[aria-label='Bot pages'] a:text('Documents')");
    await page.locator("h1", { hasText: "Documents" }).waitFor();
    await page.setInputFiles("#file-picker", [
      { name: "zephyr-reset.md", mimeType: "text/markdown", buffer: Buffer.from("# Resetting a Zephyr router\n\nHold the red reset button on the back of the Zephyr router for ten seconds until the light blinks amber.\n") },
      { name: "zephyr-warranty.html", mimeType: "text/html", buffer: Buffer.from("<html><head><title>Zephyr warranty</title></head><body><h1>Zephyr warranty</h1><p>Every Zephyr router has a three year warranty covering hardware faults.</p></body></html>") },
    ]);
    await expect.poll(() => page.locator(".uploads li.done").count()).toBe(2);
    const rows = page.locator(".documents-table tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator(".documents-table .badge").allTextContents()).toEqual(["Indexed", "Indexed"]);
    expect(await page.locator(".documents-table th.doc-title").allTextContents()).toEqual(expect.arrayContaining(["Resetting a Zephyr router", "Zephyr warranty"]));
    await shot("documents");

    // A question in the preview, answered from the uploaded file.
    await page.click("nav[aria-label='Bot pages'] a:text('Settings')");
    await widget.locator("textarea").waitFor();
    await widget.locator("textarea").fill("How do I reset my Zephyr router?");
    await widget.locator("textarea").press("Enter");
    const answer = widget.locator(".msg.assistant:not(.greeting)[data-state=done]");
    await answer.waitFor();
    expect(await answer.textContent()).toMatch(/reset button|ten seconds/i);
    await shot("preview-answer");

    // Analytics counts it today.
    await page.click("nav[aria-label='Bot pages'] a:text('Analytics')");
    await expect.poll(() => page.locator(".today-conversations").textContent()).toBe("1");
    expect(await page.locator("table caption", { hasText: "Conversations per day" }).count()).toBe(1);
    const lastRow = page.locator("table:has(caption:text('Conversations per day')) tbody tr").last();
    expect(await lastRow.locator("td").textContent()).toBe("1");
    await shot("analytics");

    expect(await cspViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    // Signing out ends the session: the console asks to sign in again.
    await page.click("button:text('Sign out')");
    await page.locator("h1", { hasText: "Sign in to edgechat" }).waitFor();
    await page.goto(`${baseUrl}/admin/bots/journey-help`);
    await page.locator("h1", { hasText: "Sign in to edgechat" }).waitFor();
    await context.close();
  });
});
