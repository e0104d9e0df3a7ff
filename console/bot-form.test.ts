import { describe, expect, it } from "vitest";
import { botFromForm, emptyBotForm, formFromBot, messagesFor, originProblem, previewOptions } from "./bot-form";

const BOT = {
  name: "Acme help",
  systemPrompt: "Be brief.",
  greeting: "Hello!",
  starterQuestions: ["How do I log in?", "Prices?"],
  theme: { primaryColor: "#112233", mode: "dark" as const },
  allowedOrigins: ["https://docs.acme.com"],
  models: { small: "gpt-4.1-mini" },
  routing: { policy: "auto" as const, threshold: 2 },
  images: { enabled: true, perSession: 2, perDay: 10 },
  limits: { dailyBudgetUsd: 2.5, budgetMessage: "Enough for today.", maxTurnsPerSession: 30 },
  handoffWebhookUrl: "https://hooks.acme.com/x",
  turnstileSiteKey: "0x4AAAA-key",
  aiNotice: "AI answers.",
  showTierBadge: true,
  handoff: { takeoverTimeoutSeconds: 30 },
  retentionDays: 30,
};

describe("the bot settings form", () => {
  it("round-trips every setting of a bot, keeping what it does not show", () => {
    const { settings, errors } = botFromForm(formFromBot("acme", BOT), BOT);
    expect(errors).toEqual({});
    expect(settings).toEqual(BOT);
  });

  it("keeps settings it has no field for, and does not bring back one the owner emptied", () => {
    const stored = { ...BOT, futureSetting: { on: true } };
    const form = { ...formFromBot("acme", stored), aiNotice: "", retentionDays: "0", takeoverTimeoutSeconds: "0" };
    const { settings, errors } = botFromForm(form, stored);
    expect(errors).toEqual({});
    expect(settings.futureSetting).toEqual({ on: true });
    expect(settings).not.toHaveProperty("aiNotice");
    expect(settings).toMatchObject({ retentionDays: 0, handoff: { takeoverTimeoutSeconds: 0 } });
  });

  it("checks the retention and takeover wait ranges", () => {
    const form = { ...formFromBot("acme", BOT), retentionDays: "4000", takeoverTimeoutSeconds: "1.5" };
    const { errors } = botFromForm(form, BOT);
    expect(errors).toMatchObject({ retentionDays: "Between 0 and 3650.", "handoff.takeoverTimeoutSeconds": "Enter a whole number." });
  });

  it("omits optional settings left blank and fills numbers' defaults", () => {
    const form = { ...emptyBotForm(), name: "  New bot " };
    const { settings, errors } = botFromForm(form);
    expect(errors).toEqual({});
    expect(settings).toMatchObject({ name: "New bot", starterQuestions: [], theme: { mode: "auto" }, models: {}, limits: { dailyBudgetUsd: 5 } });
    for (const key of ["handoffWebhookUrl", "turnstileSiteKey", "aiNotice", "showTierBadge"]) expect(settings).not.toHaveProperty(key);
    expect(settings.limits).not.toHaveProperty("maxTurnsPerSession");
  });

  it("finds the mistakes the server would refuse, keyed by config path", () => {
    const form = {
      ...formFromBot("Bad Id", BOT),
      name: " ",
      primaryColor: "teal",
      allowedOrigins: "https://ok.example\nhttps://docs.example.com/path\nhttps://*.example.com",
      starterQuestions: "1\n2\n3\n4\n5\n6\n7",
      dailyBudgetUsd: "-1",
      imagesPerSession: "2.5",
      maxTurnsPerSession: "abc",
      handoffWebhookUrl: "ftp://x",
      turnstileSiteKey: "bad key!",
      greeting: "x".repeat(501),
    };
    const { errors } = botFromForm(form, BOT, { checkId: true });
    expect(Object.keys(errors).sort()).toEqual(
      ["allowedOrigins.1", "allowedOrigins.2", "greeting", "handoffWebhookUrl", "id", "images.perSession", "limits.dailyBudgetUsd", "limits.maxTurnsPerSession", "name", "starterQuestions", "theme.primaryColor", "turnstileSiteKey"].sort(),
    );
    expect(messagesFor(errors, "allowedOrigins")).toEqual([expect.stringMatching(/^Line 2: .*not an origin/), expect.stringMatching(/^Line 3: .*wildcards/)]);
    expect(messagesFor(errors, "theme.primaryColor")).toEqual(["Use a #rrggbb colour, e.g. #0f766e."]);
    expect(messagesFor(errors, "limits")).toHaveLength(2);
  });

  it("accepts origins exactly as the server does", () => {
    expect(originProblem("https://docs.example.com")).toBeUndefined();
    expect(originProblem("http://localhost:3000")).toBeUndefined();
    expect(originProblem("https://docs.example.com/")).toBeUndefined();
    expect(originProblem("docs.example.com")).toBeDefined();
    expect(originProblem("javascript:alert(1)")).toBeDefined();
  });

  it("previews the unsaved appearance, ignoring an unfinished colour", () => {
    const form = { ...formFromBot("acme", BOT), greeting: "Changed!", primaryColor: "#12" };
    expect(previewOptions(form)).toEqual({ title: "Acme help", greeting: "Changed!", starterQuestions: BOT.starterQuestions, theme: "dark", primaryColor: undefined, aiNotice: "AI answers.", showTierBadge: true });
    expect(previewOptions({ ...form, primaryColor: "#abcdef" }).primaryColor).toBe("#abcdef");
  });
});
