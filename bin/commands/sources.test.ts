import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs CLI modules
import { main } from "../edgechat.mjs";

type Recorded = { method: string; path: string; body: unknown };
const requests: Recorded[] = [];
let url = "";
let polls = 0;

const report = (status: string, found: number, indexed: number, queued: number) => ({
  id: "sync_1", status, trigger: "create", startedAt: 1, finishedAt: null, found, queued, indexed, unchanged: 0, duplicate: 0, skipped: 0,
  failed: status === "completed" ? 1 : 0, removed: 0, error: null,
  problems: status === "completed" ? [{ url: "https://docs.example/slow", outcome: "failed", reason: "timeout: No complete answer within 15000 ms." }] : [],
});
const source = { id: "src_0123456789abcdef0123", botId: "docs", kind: "sitemap", url: "https://docs.example/sitemap.xml", schedule: "daily" };

const server = createServer(async (request: IncomingMessage, response) => {
  let raw = "";
  for await (const chunk of request) raw += chunk;
  requests.push({ method: request.method!, path: request.url!, body: raw ? JSON.parse(raw) : undefined });
  const send = (status: number, json: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(json));
  };
  if (request.headers.authorization !== "Bearer cli-token") return send(401, { error: { code: "unauthorized", message: "A valid admin token is required." } });
  if (request.method === "POST" && request.url === "/v1/admin/bots/docs/sources") return send(201, { source, sync: report("running", 0, 0, 1) });
  if (request.method === "GET" && request.url === `/v1/admin/bots/docs/sources/${source.id}`) {
    polls++;
    return send(200, { source, sync: polls === 1 ? report("running", 40, 10, 30) : polls === 2 ? report("running", 40, 10, 30) : report("completed", 40, 39, 0) });
  }
  if (request.method === "GET" && request.url === "/v1/admin/bots/docs/sources") return send(200, { sources: [{ ...source, sync: report("completed", 40, 39, 0) }] });
  if (request.method === "POST" && request.url!.endsWith("/sync")) return send(409, { error: { code: "sync_running", message: "Source is already syncing." } });
  if (request.method === "DELETE") return send(200, { deleted: source.id, documents: 39 });
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
  return { code, out, err };
}

describe("npx edgechat sources", () => {
  it("adds a sitemap source and shows the sync's progress until it ends, with the failed pages", async () => {
    const result = await cli("sources", "add", "https://docs.example/sitemap.xml", "--bot", "docs", "--schedule", "daily", "--max-pages", "300", "--interval", "1");
    expect(requests[0]).toMatchObject({ method: "POST", path: "/v1/admin/bots/docs/sources", body: { kind: "sitemap", url: "https://docs.example/sitemap.xml", schedule: "daily", limits: { maxPages: 300 } } });
    expect(result.out).toEqual([
      `Added sitemap source ${source.id} (daily) for https://docs.example/sitemap.xml.`,
      "syncing: 40 found, 10 indexed, 0 unchanged, 30 queued",
      "completed: 40 found, 39 indexed, 0 unchanged, 1 failed",
      "  failed    https://docs.example/slow  timeout: No complete answer within 15000 ms.",
    ]);
    expect(result.code).toBe(0);
  });

  it("lists, removes, and reports the server's refusal of a second sync", async () => {
    expect((await cli("sources", "list", "--bot", "docs")).out[0]).toContain("39 indexed");
    expect((await cli("sources", "remove", source.id, "--bot", "docs")).out).toEqual([`Removed source ${source.id} and its 39 documents.`]);
    await expect(cli("sources", "sync", source.id, "--bot", "docs")).rejects.toThrow("409 Source is already syncing.");
    await expect(cli("sources", "list")).rejects.toThrow("--bot");
  });
});
