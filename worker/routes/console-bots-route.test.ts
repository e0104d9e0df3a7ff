import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { callWorker, seedBot, testEnv } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";

const worker = createEdgechatWorker();
const call = (request: Request) => callWorker(worker, request);

type ConsoleBot = { id: string; name: string; config: Record<string, unknown> & { greeting: string; theme: { primaryColor?: string } } };

describe("console bots API", () => {
  it("creates, lists with today's numbers, edits, replaces and deletes a bot; the hosted config follows", async () => {
    const { cookie } = await signedInMember(worker, { role: "editor", bots: "all" });
    const id = `console-${Date.now().toString(36)}`;
    const created = await call(consoleRequest("POST", "/v1/console/bots", { cookie, body: { id, name: "Docs <b>helper</b>", config: { greeting: "Hello!", theme: { primaryColor: "#112233" } } } }));
    expect(created.status).toBe(201);
    const { bot } = (await created.json()) as { bot: ConsoleBot };
    expect(bot).toMatchObject({ id, name: "Docs <b>helper</b>", config: { greeting: "Hello!", theme: { primaryColor: "#112233", mode: "auto" } } });
    expect(bot.config).not.toHaveProperty("name");

    const now = Date.now();
    await testEnv.DB!.batch([
      testEnv.DB!.prepare("INSERT INTO sessions (id, bot_id, created_at) VALUES (?, ?, ?)").bind(`s-${id}-1`, id, now),
      testEnv.DB!.prepare("INSERT INTO sessions (id, bot_id, created_at) VALUES (?, ?, ?)").bind(`s-${id}-2`, id, now - 2 * 86_400_000),
      testEnv.DB!.prepare("INSERT INTO turns (id, bot_id, status, tier, cost_usd, created_at) VALUES (?, ?, 'complete', 'small', 0.25, ?)").bind(`t-${id}`, id, now),
    ]);
    const list = (await (await call(consoleRequest("GET", "/v1/console/bots", { cookie }))).json()) as { bots: (ConsoleBot & { today: unknown })[] };
    expect(list.bots.find((entry) => entry.id === id)).toMatchObject({ name: "Docs <b>helper</b>", today: { conversations: 1, costUsd: 0.25 } });

    const patched = await call(consoleRequest("PATCH", `/v1/console/bots/${id}`, { cookie, body: { config: { greeting: "Welcome back" } } }));
    expect(((await patched.json()) as { bot: ConsoleBot }).bot).toMatchObject({ name: "Docs <b>helper</b>", config: { greeting: "Welcome back", theme: { primaryColor: "#112233" } } });
    const hosted = (await (await call(new Request(`http://edgechat.test/v1/bots/${id}/config`))).json()) as { greeting: string; theme: { primaryColor: string } };
    expect(hosted).toMatchObject({ greeting: "Welcome back", theme: { primaryColor: "#112233" } });

    const replaced = await call(consoleRequest("PUT", `/v1/console/bots/${id}`, { cookie, body: { name: "Renamed", config: { greeting: "New" } } }));
    expect(((await replaced.json()) as { bot: ConsoleBot }).bot).toMatchObject({ name: "Renamed", config: { greeting: "New", theme: { mode: "auto" } } });
    const read = (await (await call(consoleRequest("GET", `/v1/console/bots/${id}`, { cookie }))).json()) as { bot: ConsoleBot; handoffSecret: string };
    expect(read.bot.config.theme.primaryColor).toBeUndefined();
    expect(read.handoffSecret).toMatch(/^whsec_/);

    expect((await call(consoleRequest("POST", "/v1/console/bots", { cookie, body: { id, name: "Again", config: {} } }))).status).toBe(409);
    expect((await call(consoleRequest("DELETE", `/v1/console/bots/${id}`, { cookie }))).status).toBe(204);
    expect((await call(consoleRequest("GET", `/v1/console/bots/${id}`, { cookie }))).status).toBe(404);
  });

  it("answers 400 invalid_config with a message per field path, for forms", async () => {
    const { bot } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "admin", bots: "all" });
    const response = await call(
      consoleRequest("POST", "/v1/console/bots", {
        cookie,
        body: {
          id: "Not An Id",
          name: "",
          config: { theme: { primaryColor: "red" }, allowedOrigins: ["https://ok.example", "https://*.example.com"], limits: { dailyBudgetUsd: -1, dailyCap: 3 }, sytemPrompt: "typo" },
        },
      }),
    );
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
    expect(error.code).toBe("invalid_config");
    expect(Object.keys(error.fields).sort()).toEqual(["allowedOrigins.1", "id", "limits.dailyBudgetUsd", "limits.dailyCap", "name", "sytemPrompt", "theme.primaryColor"]);
    expect(error.fields["theme.primaryColor"]).toBe("must be a #rrggbb colour");
    expect(error.fields["allowedOrigins.1"]).toContain("not an origin");

    const patch = await call(consoleRequest("PATCH", `/v1/console/bots/${bot.id}`, { cookie, body: { config: { images: { perSession: 1000 } } } }));
    expect(patch.status).toBe(400);
    expect(Object.keys(((await patch.json()) as { error: { fields: Record<string, string> } }).error.fields)).toEqual(["images.perSession"]);
  });
});
