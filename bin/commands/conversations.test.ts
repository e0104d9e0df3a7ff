import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs CLI modules
import { main } from "../edgechat.mjs";

type Recorded = { method: string; path: string; authorization: string | undefined };
const requests: Recorded[] = [];
let url = "";
/** Resolved by the CLI's writer when it has the first chunk of an export: the server sends the rest only then. */
let firstChunkWritten: () => void = () => {};

const summary = (sessionId: string, flags: Record<string, boolean> = {}) => ({
  sessionId,
  botId: "docs",
  startedAt: Date.UTC(2026, 10, 1),
  lastActivityAt: Date.UTC(2026, 10, 2, 12),
  firstQuestion: "How do\nrefunds work?",
  turns: 3,
  costUsd: 0.0123,
  flags: { needsPerson: false, thumbsDown: false, noSources: false, escalated: false, failed: false, ...flags },
  handoff: { state: "none" },
});

const server = createServer(async (request: IncomingMessage, response) => {
  for await (const _ of request);
  requests.push({ method: request.method!, path: request.url!, authorization: request.headers.authorization });
  const send = (status: number, json: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(json));
  };
  if (request.headers.authorization !== "Bearer cli-token") return send(401, { error: { code: "unauthorized", message: "A valid admin token is required." } });
  const path = new URL(request.url!, url);
  if (path.pathname === "/v1/admin/bots/docs/conversations/export") {
    response.writeHead(200, { "content-type": "text/csv; charset=utf-8" });
    response.write("sessionId,time\r\n");
    await new Promise<void>((resolve) => (firstChunkWritten = resolve));
    response.end("s1,2026-11-02T12:00:00.000Z\r\n");
    return;
  }
  if (path.pathname === "/v1/admin/bots/nope/conversations/export") return send(404, { error: { code: "bot_not_found", message: "There is no bot with this id." } });
  if (request.method === "GET" && path.pathname === "/v1/admin/bots/docs/conversations") {
    const cursor = path.searchParams.get("cursor");
    if (!cursor) return send(200, { conversations: [summary("s1", { thumbsDown: true, escalated: true })], nextCursor: "page2" });
    return send(200, { conversations: [summary("s2")], nextCursor: null });
  }
  if (request.method === "DELETE" && path.pathname === "/v1/admin/bots/docs/conversations/s1") return send(200, { erased: { messages: 4, turns: 2, feedback: 1, images: 1 } });
  send(404, { error: { code: "conversation_not_found", message: "This bot has no conversation with that id." } });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const written: string[] = [];
  const decoder = new TextDecoder();
  const write = async (chunk: Uint8Array) => {
    written.push(decoder.decode(chunk));
    firstChunkWritten();
  };
  const code = await main(argv, { out: (line: string) => out.push(line), err: (line: string) => err.push(line), write, env: { EDGECHAT_URL: url, EDGECHAT_ADMIN_TOKEN: "cli-token" } });
  return { code, out: out.join("\n"), err: err.join("\n"), written };
}

describe("npx edgechat export", () => {
  it("streams the export to its output as it arrives, with the format and filters in the query", async () => {
    // The server holds back the second row until the CLI has written the first: a CLI that buffered would hang.
    const result = await cli("export", "--bot", "docs", "--format", "csv", "--from", "2026-11-01", "--to", "2026-11-30", "--flags", "thumbsDown", "--q", "refund policy");
    expect(result.code).toBe(0);
    expect(result.written.join("")).toBe("sessionId,time\r\ns1,2026-11-02T12:00:00.000Z\r\n");
    expect(result.written.length).toBeGreaterThanOrEqual(2);
    const query = new URL(requests.at(-1)!.path, url).searchParams;
    expect(Object.fromEntries(query)).toEqual({ from: "2026-11-01", to: "2026-11-30", flags: "thumbsDown", q: "refund policy", format: "csv" });
    expect(requests.at(-1)!.authorization).toBe("Bearer cli-token");
  });

  it("reports the server's error and refuses a bad format before calling", async () => {
    await expect(cli("export", "--bot", "nope")).rejects.toThrow("404 There is no bot with this id.");
    const before = requests.length;
    await expect(cli("export", "--bot", "docs", "--format", "xlsx")).rejects.toThrow(/--format must be/);
    await expect(cli("export")).rejects.toThrow(/--bot/);
    expect(requests.length).toBe(before);
  });
});

describe("npx edgechat conversations", () => {
  it("lists one page with flags as letters, or every page with --all", async () => {
    const one = await cli("conversations", "list", "--bot", "docs", "--flags", "escalated", "--limit", "1");
    expect(one.out).toBe("2026-11-02T12:00:00.000Z  s1    3 turns  $0.0123  .D.E.  How do refunds work?");
    expect(one.err).toMatch(/--all/);
    expect(Object.fromEntries(new URL(requests.at(-1)!.path, url).searchParams)).toEqual({ flags: "escalated", limit: "1" });
    const all = await cli("conversations", "list", "--bot", "docs", "--all", "--json");
    const listed = JSON.parse(all.out) as { conversations: { sessionId: string }[]; nextCursor: null };
    expect(listed.conversations.map((row) => row.sessionId)).toEqual(["s1", "s2"]);
    expect(new URL(requests.at(-1)!.path, url).searchParams.get("cursor")).toBe("page2");
  });

  it("erases one conversation and says what went", async () => {
    const result = await cli("conversations", "erase", "s1", "--bot", "docs");
    expect(result.out).toBe("Erased conversation s1: 4 messages, 1 ratings, 1 images; text removed from 2 usage rows.");
    expect(requests.at(-1)).toMatchObject({ method: "DELETE", path: "/v1/admin/bots/docs/conversations/s1" });
    await expect(cli("conversations", "erase", "unknown", "--bot", "docs")).rejects.toThrow(/404 This bot has no conversation/);
    await expect(cli("conversations", "erase", "--bot", "docs")).rejects.toThrow(/Name the conversation/);
  });
});
