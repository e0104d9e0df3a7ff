import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../support/browser";

const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");
let browser: Awaited<ReturnType<typeof launchChromium>>;
let site: Server;
let siteOrigin = "";

// A customer's website on another origin that embeds the worker's widget with one script tag.
beforeAll(async () => {
  browser = await launchChromium();
  site = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname !== "/") {
      response.writeHead(404).end();
      return;
    }
    const bot = url.searchParams.get("bot") ?? "demo";
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<!doctype html><html><head><title>Customer site</title></head><body><main>Customer</main>
<script src="${baseUrl}/widget.js" data-bot="${bot}" data-endpoint="${baseUrl}" data-open="true" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.cleanup();
  await new Promise<void>((resolve) => site?.close(() => resolve()));
});

async function ask(url: string, question: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  const input = page.locator("[data-edgechat] >> textarea");
  await input.fill(question);
  await input.press("Enter");
  await page.waitForFunction(() => {
    const root = document.querySelector("[data-edgechat]")?.shadowRoot;
    return root?.querySelector('.msg.assistant:not(.greeting)[data-state="done"]') || root?.querySelector(".error");
  });
  const seen = await page.evaluate(() => {
    const root = document.querySelector("[data-edgechat]")!.shadowRoot!;
    return {
      answer: root.querySelector(".msg.assistant:not(.greeting)")?.textContent ?? null,
      error: root.querySelector(".error")?.textContent ?? null,
      html: root.innerHTML,
    };
  });
  await page.close();
  return { ...seen, errors };
}

describe("hosted support bots in a real browser", () => {
  it("serves a hosted chat page for the demo bot that answers", async () => {
    const { answer, errors } = await ask(`${baseUrl}/b/demo`, "What is Acme Cloud?");
    expect(answer).toContain("What is Acme Cloud?");
    expect(errors).toEqual([]);
  });

  it("lays the hosted page out as a full-page chat: the open panel fills the window's height", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`${baseUrl}/b/demo`);
    const panel = page.locator("[data-edgechat] >> .panel");
    await panel.waitFor();
    await page.waitForTimeout(300); // the opening animation
    const box = await panel.boundingBox();
    expect(box?.height).toBe(800);
    expect(box?.width).toBe(760);
    expect(box!.x).toBeCloseTo((1200 - 760) / 2, 0);
    await page.screenshot({ path: "test-results/screenshots/hosted-page.png" });
    await page.close();
  });

  it("refuses the demo bot on a site that is not among its allowed origins", async () => {
    const { answer, error } = await ask(`${siteOrigin}/?bot=demo`, "Can I use this bot here?");
    expect(answer ?? "").not.toContain("Can I use this bot here?");
    expect(error).toBeTruthy();
  });

  it("answers on the customer's site once a bot allows that origin (CORS in Chromium)", async () => {
    const created = await fetch(`${baseUrl}/v1/admin/bots`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "customer-bot", name: "Customer bot", allowedOrigins: [siteOrigin] }),
    });
    expect(created.status).toBe(201);
    const { answer, error } = await ask(`${siteOrigin}/?bot=customer-bot`, "Hello from the customer site?");
    expect(error).toBeNull();
    expect(answer).toContain("Hello from the customer site?");
  });
});
