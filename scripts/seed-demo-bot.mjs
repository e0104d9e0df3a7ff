// Seeds the demo bot (examples/support-bot/bot.json) into a running worker through its admin API,
// once: a demo bot that already exists (maybe edited by you) is left as it is.
import { readFileSync } from "node:fs";

/**
 * The worker's own origin (its demo page and hosted page `/b/demo`) is always allowed, whatever the port.
 *
 * @param {{ url: string, adminToken: string }} options
 * @returns {Promise<"created" | "exists">}
 */
export async function seedDemoBot({ url, adminToken }) {
  const bot = JSON.parse(readFileSync(new URL("../examples/support-bot/bot.json", import.meta.url), "utf8"));
  const headers = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
  const existing = await fetch(`${url}/v1/admin/bots/${bot.id}`, { headers });
  if (existing.ok) return "exists";
  if (existing.status !== 404) throw new Error(`Could not check the demo bot: ${existing.status} ${await existing.text()}`);
  const created = await fetch(`${url}/v1/admin/bots`, { method: "POST", headers, body: JSON.stringify(bot) });
  if (!created.ok && created.status !== 409) throw new Error(`Could not create the demo bot: ${created.status} ${await created.text()}`);
  return "created";
}
