// Widget: script-tag bundle bytes; time from the script's arrival to the launcher being interactive, in
// Chromium; main-thread time to render a streamed 2 KB and a 20 KB Markdown answer, their ratio, and the
// longest task while streaming. The page and widget.js come from a small local server; the worker's
// answers are canned SSE fed through playwright's page.route, so only the widget's own work is timed.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { WIDGET_GZIP_BUDGET_BYTES, widgetBundleSizes } from "../size.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { figure, pairedRatios } from "./stats.mjs";

const WIDGET = "dist/public/widget.js";
const BOT = "bench";
/** Text deltas per answer: 500 for 2 KB and 5,000 for 20 KB, about 4 characters (one model token) each. */
const DELTAS = { small: 500, large: 5_000 };

/**
 * @param {{ loads?: number, renders?: number, log?: (line: string) => void }} [options]
 */
export async function widgetBench({ loads = 10, renders = 5, log = console.error } = {}) {
  const bytes = readFileSync(WIDGET);
  const sizes = widgetBundleSizes(WIDGET);
  const once = (value, unit, extra) => ({ median: value, p95: value, unit, samples: 1, ...extra });
  const figures = {
    "widget.bytes.raw": once(sizes.raw, "B", { label: "widget.js, raw" }),
    "widget.bytes.gzip": once(sizes.gzip, "B", { label: "widget.js, gzip -9", target: { max: WIDGET_GZIP_BUDGET_BYTES } }),
    "widget.bytes.brotli": once(sizes.brotli, "B", { label: "widget.js, brotli 11" }),
  };

  const server = await serveHostPage(bytes);
  const browser = await launchChromium();
  try {
    log(`  widget: ${loads} page loads…`);
    const interactive = [];
    for (let i = 0; i < loads; i++) interactive.push(await timeToLauncher(browser, server.url));
    figures["widget.launcherInteractive"] = figure(interactive, "ms", { label: "widget.js loaded → launcher interactive" });

    log(`  widget: ${renders} streamed answers of each size…`);
    const small = markdownAnswer(2 * 1024);
    const large = markdownAnswer(20 * 1024);
    const runs = { small: [], large: [] };
    for (let i = 0; i < renders; i++) {
      // Alternate so neither size always runs on a warmer machine.
      for (const size of i % 2 === 0 ? ["small", "large"] : ["large", "small"]) {
        runs[size].push(await renderStreamedAnswer(browser, server.url, size === "small" ? small : large, DELTAS[size]));
      }
    }
    const [smallDeltas, largeDeltas] = [DELTAS.small, DELTAS.large].map((n) => n.toLocaleString("en-US"));
    figures["widget.render2k"] = figure(runs.small.map((r) => r.mainThread), "ms", { label: `main-thread time, streamed 2 KB Markdown answer (${smallDeltas} deltas)` });
    figures["widget.render20k"] = figure(runs.large.map((r) => r.mainThread), "ms", { label: `main-thread time, streamed 20 KB Markdown answer (${largeDeltas} deltas)` });
    figures["widget.renderRatio"] = figure(pairedRatios(runs.large.map((r) => r.mainThread), runs.small.map((r) => r.mainThread)), "×", { label: "20 KB / 2 KB render time", target: { max: 12 } });
    figures["widget.longestTask"] = figure([...runs.small, ...runs.large].map((r) => r.longestTask), "ms", { label: "longest main-thread task while streaming", target: { max: 50 } });
  } finally {
    await browser.cleanup();
    await server.close();
  }
  return figures;
}

/** A host page with the script tag, and widget.js (never cached, so each load fetches and compiles it). */
async function serveHostPage(widgetBytes) {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title></head>
<body><h1>A customer's page</h1><p>Some content.</p>
<script src="/widget.js" data-bot="${BOT}" data-title="Help" async></script></body></html>`;
  const server = createServer((request, response) => {
    if (request.url === "/widget.js") {
      response.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
      response.end(widgetBytes);
    } else if (request.url === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      response.end(page);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Watches every shadow root the widget attaches, and long tasks, from before the page's first script. */
const INSTRUMENT = () => {
  const state = { launcherAt: undefined, longTasks: [] };
  window.__bench = state;
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    const check = () => {
      if (state.launcherAt === undefined && root.querySelector("button")) state.launcherAt = performance.now();
    };
    new MutationObserver(check).observe(root, { childList: true, subtree: true });
    return root;
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
};

async function openPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(INSTRUMENT);
  await page.route("**/v1/bots/*/config", (route) =>
    route.fulfill({ json: { id: BOT, name: "Bench", title: "Help", greeting: "Hi!", starterQuestions: [], theme: { mode: "light" }, aiNotice: "AI answers.", images: false, showTierBadge: false } }),
  );
  return { page, context };
}

async function timeToLauncher(browser, url) {
  const { page, context } = await openPage(browser, url);
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__bench.launcherAt !== undefined);
    return await page.evaluate(() => {
      const script = performance.getEntriesByType("resource").find((entry) => entry.name.endsWith("/widget.js"));
      return window.__bench.launcherAt - script.responseEnd;
    });
  } finally {
    await context.close();
  }
}

/** Opens the widget, sends a question, and feeds `answer` back as canned SSE in `deltas` text deltas, in one burst. */
async function renderStreamedAnswer(browser, url, answer, deltas) {
  const { page, context } = await openPage(browser, url);
  try {
    await page.route("**/v1/chat", (route) =>
      route.fulfill({
        status: 200,
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache", "x-vercel-ai-ui-message-stream": "v1" },
        body: cannedStream(answer, deltas),
      }),
    );
    await page.goto(url);
    await page.locator("[data-edgechat] >> .launcher").click();
    const input = page.locator("[data-edgechat] >> textarea");
    await input.fill("Tell me everything.");
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const busy = async () => (await cdp.send("Performance.getMetrics")).metrics.find((metric) => metric.name === "TaskDuration").value * 1000;
    const before = await busy();
    const sentAt = await page.evaluate(() => performance.now());
    await input.press("Enter");
    await page.waitForFunction(
      () => {
        const root = document.querySelector("[data-edgechat]").shadowRoot;
        return root.textContent.includes("END-OF-ANSWER");
      },
      undefined,
      { polling: 50, timeout: 60_000 },
    );
    // Two frames more, so the final layout and paint are counted.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const mainThread = (await busy()) - before;
    const longestTask = await page.evaluate((since) => Math.max(0, ...window.__bench.longTasks.filter((task) => task.start >= since).map((task) => task.duration)), sentAt);
    return { mainThread, longestTask };
  } finally {
    await context.close();
  }
}

function cannedStream(answer, deltas) {
  const step = Math.ceil(answer.length / deltas);
  const events = [
    { type: "start", messageId: "bench-answer", messageMetadata: { model: "bench", source: "bench", createdAt: Date.now() } },
    { type: "text-start", id: "t" },
  ];
  for (let i = 0; i < answer.length; i += step) events.push({ type: "text-delta", id: "t", delta: answer.slice(i, i + step) });
  events.push({ type: "text-end", id: "t" }, { type: "finish", messageMetadata: { usage: { inputTokens: 10, outputTokens: 10 } } });
  return `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("")}data: [DONE]\n\n`;
}

/** A Markdown answer of about `bytes` characters: headings, paragraphs with emphasis and links, lists, code, citations. */
export function markdownAnswer(bytes) {
  const blocks = [];
  let n = 0;
  while (blocks.join("\n\n").length < bytes - 40) {
    n++;
    switch (n % 5) {
      case 1:
        blocks.push(`## Step ${n}: configure the service`);
        break;
      case 2:
        blocks.push(`To rotate a key, open **Settings → API keys**, create a *new* key and update your clients before you revoke the old one [${(n % 3) + 1}]. See [the guide](/docs/security/api-keys) for \`curl\` examples.`);
        break;
      case 3:
        blocks.push(`- Create the key in the dashboard\n- Deploy it with \`wrangler secret put API_KEY\`\n- Revoke the old key after **24 hours**`);
        break;
      case 4:
        blocks.push("```sh\ncurl -H \"authorization: Bearer $KEY\" https://api.example.com/v1/keys\n```");
        break;
      default:
        blocks.push(`1. Check the audit log.\n2. Confirm that no request used the old key in the last day [${(n % 2) + 1}].`);
    }
  }
  return `${blocks.join("\n\n")}\n\nEND-OF-ANSWER`;
}
