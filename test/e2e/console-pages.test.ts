import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../support/browser";
import { DESKTOP, PHONE, afterFrames, consoleAxeViolations, consoleScreenshotDir, cspViolations, friendlyConsoleData, holdRequests, installFakeConsoleApi, recordCspViolations, type FakeConsoleData } from "../support/console-page";
import { XSS_PAYLOADS } from "../support/xss-payloads";

// The console's pages in Chromium, served by the real worker (shell, CSP, bundle, the real widget in the
// preview), with the console API answered from canned data so every page and state can be drawn:
// screenshots, axe, keyboard, validation next to fields, uploads, and hostile text.
const baseUrl = inject("baseUrl");
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

const PAGES: { name: string; path: string; ready: string; signedOut?: boolean }[] = [
  { name: "sign-in", path: "/admin/sign-in", ready: "h1:text('Sign in to edgechat')", signedOut: true },
  { name: "invite", path: "/admin/invite#inv_abcdefghijklmnopqrstuvwxyz012345", ready: "button:text('Set password and sign in')", signedOut: true },
  { name: "bots", path: "/admin", ready: ".bots-table" },
  { name: "new-bot", path: "/admin/bots/new", ready: "#name" },
  { name: "bot-settings", path: "/admin/bots/demo", ready: "#greeting" },
  { name: "documents", path: "/admin/bots/demo/documents", ready: ".documents-table" },
  { name: "analytics", path: "/admin/bots/demo/analytics", ready: ".chart-svg" },
  { name: "members", path: "/admin/members", ready: ".members-table" },
  { name: "api-keys", path: "/admin/api-keys", ready: ".keys-table" },
];

async function open(path: string, { data = friendlyConsoleData(), viewport = DESKTOP, colorScheme = "light" as "light" | "dark", signedOut = false } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  context.setDefaultTimeout(15_000);
  await recordCspViolations(context);
  if (signedOut) data.member = null;
  const fake = await installFakeConsoleApi(context, baseUrl, data);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => (dialogs.push(dialog.message()), void dialog.accept()));
  await page.goto(`${baseUrl}${path}`);
  return { context, page, fake, errors, dialogs };
}

describe("the console's pages", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    for (const [width, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      it(`draw every page, ${colorScheme}, ${width}: no serious axe issue, no CSP violation, no overflow`, async () => {
        const context = await browser.newContext({ viewport, colorScheme });
        context.setDefaultTimeout(15_000);
        await recordCspViolations(context);
        for (const spec of PAGES) {
          const data = friendlyConsoleData();
          if (spec.signedOut) data.member = null;
          await context.unrouteAll();
          await installFakeConsoleApi(context, baseUrl, data);
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (error) => errors.push(error.message));
          await page.goto(`${baseUrl}${spec.path}`);
          await page.locator(spec.ready).first().waitFor();
          if (spec.name === "bot-settings") await page.locator(".preview-widget").waitFor({ state: "attached" });
          await page.waitForTimeout(250);
          await page.screenshot({ path: `${consoleScreenshotDir()}/${spec.name}-${width}-${colorScheme}.png`, fullPage: true, animations: "disabled" });
          expect(await consoleAxeViolations(page, baseUrl), `${spec.name}`).toEqual([]);
          expect(await cspViolations(page), `${spec.name}`).toEqual([]);
          expect(errors, `${spec.name}`).toEqual([]);
          // Nothing wider than the screen: tables scroll inside their own box.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${spec.name} horizontal overflow`).toBeLessThanOrEqual(0);
          await page.close();
        }
        await context.close();
      });
    }
  }

  it("sends a signed-out visitor to sign-in and back to the page they asked for, by keyboard alone", async () => {
    const data = friendlyConsoleData();
    const member = data.member;
    const { context, page, fake } = await open("/admin/bots/demo/analytics", { data, signedOut: true });
    await expect.poll(() => page.url()).toBe(`${baseUrl}/admin/sign-in?next=%2Fadmin%2Fbots%2Fdemo%2Fanalytics`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("name");
    data.member = member;
    await page.keyboard.type("ada");
    await page.keyboard.press("Tab");
    await page.keyboard.type("correct horse battery staple");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toBe(`${baseUrl}/admin/bots/demo/analytics`);
    expect(fake.bodies.get("POST /v1/console/sign-in")).toEqual({ name: "ada", password: "correct horse battery staple" });
    await page.locator(".chart-svg").first().waitFor();
    // Focus starts at the new page's heading; the next Tab reaches the bot's tabs, drawn with an outline.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Analytics");
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe("h1");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      return { text: element.textContent, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(focused.text).toBe("Settings");
    expect(focused.outline).toBe("solid");
    expect(focused.width).toBeGreaterThanOrEqual(2);
    // The range buttons work by keyboard.
    await page.locator("button:text('30 days')").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => fake.requests.includes("GET /v1/console/bots/demo/analytics")).toBe(true);
    expect(await page.locator("button:text('30 days')").getAttribute("aria-pressed")).toBe("true");
    await context.close();
  });

  it("previews unsaved settings in the real widget, checks fields in the browser and shows the server's messages next to them", async () => {
    const { context, page, fake } = await open("/admin/bots/demo");
    const widget = page.locator(".preview-widget");
    await widget.locator(".msg.greeting").waitFor();
    expect(await widget.locator(".msg.greeting").textContent()).toContain("Hi! Ask me anything about Acme Cloud.");
    // Typed by keyboard, with a pause in which the preview redraws: the form keeps the focus.
    await page.fill("#greeting", "");
    await page.keyboard.type("Welcome");
    await expect.poll(() => widget.locator(".msg.greeting").textContent()).toContain("Welcome");
    await page.waitForTimeout(300);
    await page.keyboard.type(" to the preview!");
    expect(await page.inputValue("#greeting")).toBe("Welcome to the preview!");
    await page.fill("#primaryColor", "#0f766e");
    // The preview follows the form before anything is saved.
    await expect.poll(() => widget.locator(".msg.greeting").textContent()).toContain("Welcome to the preview!");
    await expect.poll(() => widget.locator(".header").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(15, 118, 110)");
    expect(fake.requests.filter((r) => r.startsWith("PUT"))).toEqual([]);

    // A client-side mistake: shown under its field, focused, nothing sent.
    await page.fill("#primaryColor", "teal");
    await page.click("button:text('Save changes')");
    await expect.poll(() => page.locator("#primaryColor-error").textContent()).toContain("#rrggbb");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("primaryColor");
    expect(await page.getAttribute("#primaryColor", "aria-describedby")).toContain("primaryColor-error");
    expect(fake.requests.filter((r) => r.startsWith("PUT"))).toEqual([]);

    // A mistake only the server finds: its `fields` message lands next to the field it concerns.
    await page.fill("#primaryColor", "#0f766e");
    fake.overrides.set("PUT /v1/console/bots/demo", { status: 400, json: { error: { code: "invalid_config", message: "Some settings are not valid.", fields: { "allowedOrigins.0": "is not reachable from here", "limits.dailyBudgetUsd": "is above this deployment's ceiling" } } } });
    await page.click("button:text('Save changes')");
    await expect.poll(() => page.locator("#allowedOrigins-error").textContent()).toBe("Line 1: is not reachable from here");
    expect(await page.locator("#dailyBudgetUsd-error").textContent()).toBe("is above this deployment's ceiling");
    expect(await page.locator(".notice.error").textContent()).toBe("Some settings are not valid.");

    // Saved: the body is the contract's { name, config }.
    await page.click("button:text('Save changes')");
    await page.locator(".notice.success").waitFor();
    const body = fake.bodies.get("PUT /v1/console/bots/demo") as { name: string; config: Record<string, unknown> };
    expect(body.name).toBe("Acme Cloud help");
    expect(body.config).toMatchObject({ greeting: "Welcome to the preview!", theme: { mode: "auto", primaryColor: "#0f766e" }, allowedOrigins: ["https://docs.acme.test"] });
    expect(body.config).not.toHaveProperty("name");

    // The handoff webhook's signing secret is there to copy.
    expect(await page.inputValue("#handoffSecret")).toBe("whsec_0123456789abcdef");

    // The embed snippets carry this deployment's origin and the bot id; the tabs work with arrow keys.
    expect(await page.locator("#embed-panel code").textContent()).toBe(`<script src="${baseUrl}/widget.js" data-bot="demo" async></script>`);
    await page.locator("#embed-tab-script-tag").focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#embed-panel code").textContent()).toContain(`mount(document.getElementById("chat")!, { endpoint: "${baseUrl}", bot: "demo" });`);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await page.click("#embed-panel button:text('Copy')");
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('bot: "demo"');
    await context.close();
  });

  it("a new page takes the focus as it is drawn, never a frame later from a field the person already chose", async () => {
    const { context, page } = await open("/admin/sign-in", { signedOut: true });
    await page.locator("#password").waitFor();
    // The person clicks into the password field as soon as it is there, before the next frame is drawn.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const password = document.querySelector<HTMLInputElement>("#password");
        if (!password) return;
        observer.disconnect();
        password.focus();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.reload();
    await page.locator("#password").waitFor();
    await afterFrames(page);
    await page.keyboard.type("correct horse");
    expect(await page.inputValue("#password")).toBe("correct horse");
    expect(await page.inputValue("#name")).toBe("");
    await context.close();
  });

  it("bot settings: what is changed while a save is on its way stays in the form, unsaved", async () => {
    const { context, page, fake } = await open("/admin/bots/demo");
    await page.locator("#greeting").waitFor();
    const saving = await holdRequests(context, `${baseUrl}/v1/console/bots/demo`, "PUT");
    await page.fill("#greeting", "Hello from the first save.");
    await page.click("button:text('Save changes')");
    await expect.poll(saving.held).toBe(1);
    await page.fill("#greeting", "Hello, typed while it saved.");
    saving.release();
    await page.locator(".notice.success").waitFor();
    expect((fake.bodies.get("PUT /v1/console/bots/demo") as { config: { greeting: string } }).config.greeting).toBe("Hello from the first save.");
    expect(await page.inputValue("#greeting")).toBe("Hello, typed while it saved.");
    // The saved settings are what "Discard changes" goes back to.
    await page.click("button:text('Discard changes')");
    expect(await page.inputValue("#greeting")).toBe("Hello from the first save.");
    await context.close();
  });

  it("sources: the add form keeps what is typed while a source is being added and while a running sync is polled; a failed poll does not end the polling", async () => {
    const { context, page } = await open("/admin/bots/demo");
    const sync = { id: "sync-1", status: "running", trigger: "manual", startedAt: Date.now(), finishedAt: null, found: 40, queued: 30, indexed: 10, unchanged: 0, duplicate: 0, skipped: 0, failed: 0, removed: 0, problems: [], error: null };
    const source = (id: string, url: string) => ({ id, kind: "crawl", url, schedule: "manual", limits: { maxPages: 500, maxDepth: 3, timeoutMs: 10_000, maxBytes: 5_000_000 }, currentSyncId: "sync-1", lastSyncId: null, nextSyncAt: null, createdAt: Date.now(), sync });
    const sources = [source("src-1", "https://docs.acme.test/")];
    let polls = 0;
    let failNextPoll = false;
    await context.route(`${baseUrl}/v1/console/bots/demo/sources`, async (route) => {
      if (route.request().method() === "GET" && failNextPoll) return ((failNextPoll = false), polls++, route.fulfill({ status: 503, json: { error: { code: "unavailable", message: "The sources could not be read." } } }));
      if (route.request().method() === "GET") return (polls++, route.fulfill({ json: { sources } }));
      const body = route.request().postDataJSON() as { url: string };
      const added = source("src-2", body.url);
      sources.push(added);
      return route.fulfill({ status: 201, json: { source: { ...added, sync: undefined }, sync } });
    });
    await page.goto(`${baseUrl}/admin/bots/demo/sources`);
    await page.locator("li.source").waitFor();
    const adding = await holdRequests(context, `${baseUrl}/v1/console/bots/demo/sources`, "POST");
    await page.fill("#source-url", "https://help.acme.test/");
    await page.click("button:text('Add and sync')");
    await expect.poll(adding.held).toBe(1);
    // The person goes on with the next source while the first is on its way, and while the running sync is polled.
    await page.fill("#source-url", "https://blog.acme.test/");
    const before = polls;
    await expect.poll(() => polls).toBeGreaterThan(before);
    expect(await page.inputValue("#source-url")).toBe("https://blog.acme.test/");
    adding.release();
    await page.locator("li.source", { hasText: "https://help.acme.test/" }).waitFor();
    expect(await page.inputValue("#source-url")).toBe("https://blog.acme.test/");

    // A poll that fails says so, and the polling goes on: the next one clears the message and shows the progress.
    failNextPoll = true;
    await page.locator(".notice.error", { hasText: "could not be read" }).waitFor();
    sync.queued = 0;
    sync.indexed = 40;
    await expect.poll(() => page.locator(".notice.error").count()).toBe(0);
    await expect.poll(() => page.locator("li.source .sync-progress span").first().textContent()).toBe("40 of 40 pages");
    expect(await page.inputValue("#source-url")).toBe("https://blog.acme.test/");
    await context.close();
  });

  it("uploads several files, one request each with its own progress bar, and says which one failed and why", async () => {
    const { context, page, fake } = await open("/admin/bots/demo/documents");
    await page.locator(".documents-table").waitFor();
    await page.setInputFiles("#file-picker", [
      { name: "faq.md", mimeType: "text/markdown", buffer: Buffer.from("# FAQ\n\nAnswers.") },
      { name: "setup.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") },
      { name: "huge.md", mimeType: "text/markdown", buffer: Buffer.from("# big") },
    ]);
    const rows = page.locator(".uploads li");
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => page.locator(".uploads li.uploading").count()).toBe(0);
    expect(fake.requests.filter((r) => r === "POST /v1/console/bots/demo/files")).toHaveLength(3);
    const row = (name: string) => page.locator(".uploads li", { hasText: name });
    expect(await row("faq.md").getAttribute("class")).toContain("done");
    expect(await row("faq.md").locator("progress").getAttribute("value")).toBe("1");
    expect(await row("faq.md").locator(".upload-message").textContent()).toBe("Indexed, 2 chunks.");
    expect(await row("setup.exe").getAttribute("class")).toContain("failed");
    expect(await row("setup.exe").locator(".upload-message").textContent()).toContain("only .md, .mdx, .markdown, .html, .htm and .txt files");
    expect(await row("huge.md").locator(".upload-message").textContent()).toBe("The upload is larger than 5 MB.");
    // The table is reloaded with the new document.
    await page.locator(".documents-table th.doc-title", { hasText: "faq.md" }).waitFor();
    expect(await page.locator("[role=status]", { hasText: "1 uploaded, 2 failed." }).count()).toBe(1);
    await page.screenshot({ path: `${consoleScreenshotDir()}/documents-uploads-desktop-light.png`, fullPage: true });
    // Dropping files on the zone uploads them the same way.
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(["# Dropped\n\nText."], "dropped.md", { type: "text/markdown" }));
      const zone = document.querySelector(".dropzone")!;
      zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.locator(".uploads li.done", { hasText: "dropped.md" }).count()).toBe(1);
    expect(fake.requests.filter((r) => r === "POST /v1/console/bots/demo/files")).toHaveLength(4);
    // Delete and re-index go to their endpoints.
    await page.click("button[aria-label='Re-index Getting started']");
    await page.click("button[aria-label='Delete Billing and plans']");
    await expect.poll(() => fake.requests).toEqual(expect.arrayContaining(["POST /v1/console/bots/demo/documents/getting-started.md/reindex", "DELETE /v1/console/bots/demo/documents/billing.html"]));
    await context.close();
  });

  it("shows an invitation link and a new API key once, and sends role and scope changes", async () => {
    const { context, page, fake } = await open("/admin/members");
    await page.locator(".members-table").waitFor();
    await page.fill("#invite-name", "new-editor");
    await page.selectOption("#invite-role", "editor");
    await page.uncheck("#invite-all");
    await page.check("#invite-bot-demo");
    await page.click("button:text('Create invitation link')");
    await expect.poll(() => page.locator("#invite-link").inputValue()).toMatch(/\/admin\/invite#inv_x+$/);
    expect(fake.bodies.get("POST /v1/console/members/invitations")).toEqual({ name: "new-editor", role: "editor", bots: ["demo"] });
    await page.click("button[aria-label='Change access of grace']");
    await page.selectOption("#edit-m-2-role", "agent");
    await page.click("form[aria-label='Access of grace'] button:text('Save')");
    await expect.poll(() => fake.bodies.get("PATCH /v1/console/members/m-2")).toEqual({ role: "agent", bots: ["demo"] });
    await page.click("button[aria-label='Remove linus']");
    await expect.poll(() => fake.requests).toContain("DELETE /v1/console/members/m-3");

    await page.goto(`${baseUrl}/admin/api-keys`);
    await page.fill("#key-name", "ci");
    await page.click("button:text('Create key')");
    await expect.poll(() => page.locator("#new-key").inputValue()).toMatch(/^ec_s{40}$/);
    await page.click("button[aria-label='Revoke docs-ci']");
    await expect.poll(() => fake.requests).toContain("DELETE /v1/console/api-keys/k-1");
    await page.reload();
    await page.locator(".keys-table").waitFor();
    expect(await page.locator("#new-key").count()).toBe(0);
    await context.close();
  });

  it("renders hostile bot names, document titles, questions and member names as text", async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(40);
    const data: FakeConsoleData = friendlyConsoleData();
    data.bots = XSS_PAYLOADS.map((name, i) => ({ id: i ? `x-${i}` : "demo", name, config: {}, today: { conversations: i, costUsd: 0 } }));
    data.bot = { ...data.bot, name: XSS_PAYLOADS[0], config: { ...(data.bot.config as object), greeting: XSS_PAYLOADS[2], starterQuestions: XSS_PAYLOADS.slice(3, 6) } };
    data.documents = XSS_PAYLOADS.map((title, i) => ({ id: `d-${i}`, title, url: i % 2 ? "javascript:window.__pwned('doc-url')" : title, status: i % 3 ? "ready" : "failed", chunks: 1, updatedAt: Date.now(), error: i % 3 ? undefined : title }));
    data.analytics = { ...data.analytics, unansweredQuestions: XSS_PAYLOADS.map((question, count) => ({ question, count })) };
    data.members = XSS_PAYLOADS.slice(0, 10).map((name, i) => ({ id: `m-${i + 10}`, name, displayName: name, role: "editor", bots: [name], status: "active" }));
    const { context, page, dialogs } = await open("/admin", { data });
    await page.addInitScript(() => {
      const pwned: string[] = [];
      Object.defineProperty(window, "__pwned", { value: (what: string) => pwned.push(what) });
      Object.defineProperty(window, "__pwnedList", { value: pwned });
    });
    const foreign: string[] = [];
    page.on("request", (request) => void (new URL(request.url()).origin !== baseUrl && foreign.push(request.url())));
    for (const [path, ready] of [
      ["/admin", ".bots-table"],
      ["/admin/bots/demo", "#greeting"],
      ["/admin/bots/demo/documents", ".documents-table"],
      ["/admin/bots/demo/analytics", ".unanswered"],
      ["/admin/members", ".members-table"],
    ] as const) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator(ready).waitFor();
      await page.waitForTimeout(200);
      const report = await page.evaluate(() => {
        const main = document.querySelector("main")!;
        const all = [...main.querySelectorAll("*")];
        return {
          pwned: (window as unknown as { __pwnedList: string[] }).__pwnedList,
          dangerous: all.filter((e) => /^(script|iframe|object|embed|style|link|meta|base|img|video|math|template|noscript|body)$/i.test(e.localName)).map((e) => e.localName),
          handlers: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.localName}[${a.name}]`)),
          hrefs: [...main.querySelectorAll("a")].map((a) => a.getAttribute("href")!),
          styled: all.filter((e) => e.hasAttribute("style")).length,
          text: main.textContent!,
        };
      });
      expect(report.pwned, path).toEqual([]);
      expect(report.dangerous, path).toEqual([]);
      expect(report.handlers, path).toEqual([]);
      expect(report.styled, path).toBe(0);
      for (const href of report.hrefs) expect(href, path).toMatch(/^(\/admin|\/b\/)/);
      expect(report.text, path).toContain(path === "/admin/bots/demo" ? XSS_PAYLOADS[0] : XSS_PAYLOADS[2]);
      expect(await cspViolations(page), path).toEqual([]);
    }
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });
});
