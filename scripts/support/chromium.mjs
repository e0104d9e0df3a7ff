// Launches Debian's Chromium (or CHROMIUM_PATH) headless through playwright-core, for the browser
// tests (test/support/browser.ts) and the widget bench. Never downloads a browser.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** Where Debian's Chromium is, or CHROMIUM_PATH. */
export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `Chromium was not found at ${path}. The browser tests need it: install it with\n` +
        `  sudo apt-get update && sudo apt-get install -y chromium\n` +
        `or point CHROMIUM_PATH at a Chromium binary.`,
    );
  }
  return path;
}

/**
 * Launches Chromium headless with a fresh profile and no background networking.
 *
 * @returns {Promise<import("playwright-core").Browser & { cleanup(): Promise<void> }>}
 */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), "edgechat-chromium-"));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  return Object.assign(browser, {
    async cleanup() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  });
}
