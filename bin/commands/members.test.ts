import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs CLI modules
import { main } from "../edgechat.mjs";

type Recorded = { method: string; path: string; authorization: string | undefined; body: unknown };
const requests: Recorded[] = [];
const members = new Map<string, Record<string, unknown>>();
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
  if (!["Bearer cli-token", "Bearer ec_admin-key"].includes(request.headers.authorization ?? "")) return send(401, { error: { code: "unauthorized", message: "A valid admin token is required." } });
  if (request.method === "POST" && request.url === "/v1/admin/members/invitations") {
    const member = { id: `m_${members.size + 1}`, name: body.name.toLowerCase(), role: body.role, bots: body.bots, status: "invited" };
    members.set(member.id, member);
    return send(201, { member, invitation: { url: `${url}/admin/invite#one-time-token`, expiresAt: Date.UTC(2026, 11, 1) } });
  }
  if (request.method === "GET" && request.url === "/v1/admin/members") return send(200, { members: [...members.values()] });
  if (request.method === "DELETE") {
    const id = request.url!.split("/").pop()!;
    return members.delete(id) ? send(204) : send(404, { error: { code: "member_not_found", message: "There is no member with this id." } });
  }
  send(404, { error: { code: "not_found", message: "nope" } });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function cli(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line: string) => out.push(line), err: (line: string) => err.push(line), env: { EDGECHAT_URL: url, ...env } });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
const asAdmin = (...argv: string[]) => cli({ EDGECHAT_ADMIN_TOKEN: "cli-token" }, ...argv);

describe("npx edgechat members", () => {
  it("invites with a role and bots and prints the one-time link", async () => {
    const result = await asAdmin("members", "invite", "Ana@Example.com", "--role", "editor", "--bot", "docs", "--bot", "shop");
    expect(result.code).toBe(0);
    expect(result.out).toContain(`${url}/admin/invite#one-time-token`);
    expect(result.out).toContain("2026-12-01T00:00:00.000Z");
    expect(requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/v1/admin/members/invitations",
      authorization: "Bearer cli-token",
      body: { name: "Ana@Example.com", role: "editor", bots: ["docs", "shop"] },
    });
    await asAdmin("members", "invite", "root", "--role", "admin");
    expect(requests.at(-1)!.body).toEqual({ name: "root", role: "admin", bots: "all" });
  });

  it("lists and removes members by name, with an API key in EDGECHAT_API_KEY as well as the admin token", async () => {
    const listed = await cli({ EDGECHAT_API_KEY: "ec_admin-key" }, "members", "list");
    expect(listed.out).toMatch(/ana@example\.com\s+editor\s+invited\s+bots: docs, shop/);
    expect(requests.at(-1)!.authorization).toBe("Bearer ec_admin-key");
    expect((await asAdmin("members", "remove", "ANA@example.com")).code).toBe(0);
    expect(requests.at(-1)).toMatchObject({ method: "DELETE", path: "/v1/admin/members/m_1" });
    await expect(asAdmin("members", "remove", "ana@example.com")).rejects.toThrow(/no member named/);
    await expect(cli({ EDGECHAT_ADMIN_TOKEN: "wrong" }, "members", "list")).rejects.toThrow(/401 A valid admin token/);
  });

  it("refuses a missing name or an unknown role before calling the server", async () => {
    const before = requests.length;
    await expect(asAdmin("members", "invite", "x", "--role", "owner")).rejects.toThrow(/--role must be one of admin, editor, agent/);
    await expect(asAdmin("members", "invite", "--role", "admin")).rejects.toThrow(/Name the member/);
    expect(requests.length).toBe(before);
  });
});
