import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs CLI modules
import { main } from "../edgechat.mjs";

type Recorded = { method: string; path: string; authorization: string | undefined; body: unknown };
const requests: Recorded[] = [];
const bots = new Map<string, Record<string, unknown>>();
let url = "";
const server = createServer(async (request: IncomingMessage, response) => {
  let raw = "";
  for await (const chunk of request) raw += chunk;
  const body = raw ? JSON.parse(raw) : undefined;
  requests.push({ method: request.method!, path: request.url!, authorization: request.headers.authorization, body });
  const send = (status: number, json?: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(json === undefined ? "" : JSON.stringify(json));
  };
  if (request.headers.authorization !== "Bearer cli-token") return send(401, { error: { code: "unauthorized", message: "A valid admin token is required." } });
  const id = request.url!.split("/")[4];
  if (request.method === "GET" && request.url === "/v1/admin/bots") return send(200, { bots: [...bots.values()].map((bot) => ({ bot })) });
  if (request.method === "POST") {
    if (bots.has(body.id)) return send(409, { error: { code: "bot_exists", message: `A bot with id "${body.id}" already exists.` } });
    const bot = { allowedOrigins: [], ...body };
    bots.set(body.id, bot);
    return send(201, { bot, handoffSecret: "whsec_test" });
  }
  if (request.method === "DELETE") return bots.delete(id!) ? send(204) : send(404, { error: { code: "bot_not_found", message: "There is no bot with this id." } });
  send(404, { error: { code: "not_found", message: "nope" } });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line: string) => out.push(line), err: (line: string) => err.push(line), env: { EDGECHAT_URL: url, EDGECHAT_ADMIN_TOKEN: "cli-token" } });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npx edgechat bots", () => {
  it("creates a bot through the admin API with the admin token and prints how to embed it", async () => {
    const result = await cli("bots", "create", "docs-bot", "--name", "Docs helper", "--origin", "https://docs.example.com", "--origin", "http://localhost:3000", "--budget", "2.5");
    expect(result.code).toBe(0);
    expect(result.out).toContain('data-bot="docs-bot"');
    expect(result.out).toContain(`${url}/b/docs-bot`);
    expect(requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/v1/admin/bots",
      authorization: "Bearer cli-token",
      body: { id: "docs-bot", name: "Docs helper", allowedOrigins: ["https://docs.example.com", "http://localhost:3000"], limits: { dailyBudgetUsd: 2.5 } },
    });
  });

  it("lists and deletes bots, and reports the server's error message", async () => {
    expect((await cli("bots", "list")).out).toContain("docs-bot");
    await expect(cli("bots", "create", "docs-bot", "--name", "Again")).rejects.toThrow(/409 A bot with id "docs-bot" already exists/);
    expect((await cli("bots", "delete", "docs-bot")).code).toBe(0);
    await expect(cli("bots", "delete", "docs-bot")).rejects.toThrow(/404 There is no bot/);
    expect((await cli("bots", "list")).out).toContain("No bots yet");
  });

  it("refuses a bot without a name or a bad budget before calling the server", async () => {
    const before = requests.length;
    await expect(cli("bots", "create", "x")).rejects.toThrow(/needs a name/);
    await expect(cli("bots", "create", "x", "--name", "X", "--budget", "lots")).rejects.toThrow(/--budget/);
    expect(requests.length).toBe(before);
  });
});
