import { describe, expect, it } from "vitest";
import { loadBotConfig } from "./bot-config";

const serve = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

describe("loadBotConfig", () => {
  it("keeps only well-typed fields", async () => {
    const config = await loadBotConfig(
      "https://w.test",
      "demo",
      serve(200, { title: "Help", greeting: 3, starterQuestions: ["a", 2, "b"], theme: { primaryColor: "#123456", mode: "neon" }, aiNotice: false, showTierBadge: true }),
    );
    expect(config).toEqual({ title: "Help", starterQuestions: ["a", "b"], theme: { primaryColor: "#123456" }, aiNotice: false, showTierBadge: true });
  });

  it("gives an empty config on 404, network errors and bad JSON", async () => {
    expect(await loadBotConfig("https://w.test", "demo", serve(404, { error: {} }))).toEqual({});
    expect(await loadBotConfig("https://w.test", "demo", (async () => Promise.reject(new TypeError("offline"))) as unknown as typeof fetch)).toEqual({});
    expect(await loadBotConfig("https://w.test", "demo", (async () => new Response("<html>")) as unknown as typeof fetch)).toEqual({});
  });

  it("asks the worker's config endpoint for the bot, with its id encoded", async () => {
    let asked = "";
    await loadBotConfig("https://w.test/ignored", "a/b", (async (url: string) => ((asked = url), new Response("{}"))) as unknown as typeof fetch);
    expect(asked).toBe("https://w.test/v1/bots/a%2Fb/config");
  });
});
