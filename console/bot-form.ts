import type { BotSettings } from "./api/console-types";

/** The bot settings form as the inputs hold it: text everywhere, lists one item a line. */
export interface BotForm {
  id: string;
  name: string;
  systemPrompt: string;
  greeting: string;
  starterQuestions: string;
  primaryColor: string;
  themeMode: "light" | "dark" | "auto";
  allowedOrigins: string;
  routingPolicy: "auto" | "always-small" | "always-large";
  smallModel: string;
  largeModel: string;
  imagesEnabled: boolean;
  imagesPerSession: string;
  imagesPerDay: string;
  dailyBudgetUsd: string;
  budgetMessage: string;
  maxTurnsPerSession: string;
  handoffWebhookUrl: string;
  turnstileSiteKey: string;
  aiNotice: string;
  showTierBadge: boolean;
  takeoverTimeoutSeconds: string;
  retentionDays: string;
}

/** Messages by config path ("name", "theme.primaryColor", "allowedOrigins.1", "limits.dailyBudgetUsd"…). */
export type FieldErrors = Record<string, string>;

export const BOT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
const TURNSTILE_PATTERN = /^[\w-]{1,100}$/;

const lines = (text: string) => text.split("\n").map((line) => line.trim()).filter(Boolean);

/** The form filled from a bot's settings (defaults where the bot sets nothing). */
export function formFromBot(id: string, bot: BotSettings): BotForm {
  return {
    id,
    name: bot.name ?? "",
    systemPrompt: bot.systemPrompt ?? "",
    greeting: bot.greeting ?? "",
    starterQuestions: (bot.starterQuestions ?? []).join("\n"),
    primaryColor: bot.theme?.primaryColor ?? "",
    themeMode: bot.theme?.mode ?? "auto",
    allowedOrigins: (bot.allowedOrigins ?? []).join("\n"),
    routingPolicy: bot.routing?.policy ?? "auto",
    smallModel: bot.models?.small ?? "",
    largeModel: bot.models?.large ?? "",
    imagesEnabled: bot.images?.enabled ?? false,
    imagesPerSession: String(bot.images?.perSession ?? 3),
    imagesPerDay: String(bot.images?.perDay ?? 50),
    dailyBudgetUsd: String(bot.limits?.dailyBudgetUsd ?? 5),
    budgetMessage: bot.limits?.budgetMessage ?? "",
    maxTurnsPerSession: bot.limits?.maxTurnsPerSession === undefined ? "" : String(bot.limits.maxTurnsPerSession),
    handoffWebhookUrl: bot.handoffWebhookUrl ?? "",
    turnstileSiteKey: bot.turnstileSiteKey ?? "",
    aiNotice: bot.aiNotice ?? "",
    showTierBadge: bot.showTierBadge ?? false,
    takeoverTimeoutSeconds: String(bot.handoff?.takeoverTimeoutSeconds ?? 120),
    retentionDays: String(bot.retentionDays ?? 90),
  };
}

/** A new bot's form. */
export function emptyBotForm(): BotForm {
  return formFromBot("", { name: "", greeting: "Hi! How can I help?", systemPrompt: "You are a helpful support assistant. Answer briefly and precisely." });
}

/**
 * The settings a form describes, and the messages of the checks that can be made in the browser
 * (the same rules as worker/bots/bot-config.ts; the server checks again and its messages win).
 * `original` keeps what the form does not show (e.g. routing.threshold).
 */
export function botFromForm(form: BotForm, original: BotSettings = { name: "" }, { checkId = false } = {}): { settings: BotSettings; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const length = (path: string, value: string, max: number, min = 0) => {
    if (value.length < min) errors[path] = "Required.";
    else if (value.length > max) errors[path] = `At most ${max} characters (now ${value.length}).`;
  };
  const number = (path: string, value: string, { min, max, integer }: { min: number; max: number; integer: boolean }): number | undefined => {
    const parsed = Number(value.trim());
    if (value.trim() === "" || !Number.isFinite(parsed)) errors[path] = "Enter a number.";
    else if (integer && !Number.isInteger(parsed)) errors[path] = "Enter a whole number.";
    else if (parsed < min || parsed > max) errors[path] = `Between ${min} and ${max}.`;
    else return parsed;
    return undefined;
  };

  if (checkId && !BOT_ID_PATTERN.test(form.id)) errors.id = "1 to 32 lowercase letters, digits or '-', starting with a letter or digit.";
  const name = form.name.trim();
  length("name", name, 100, 1);
  length("systemPrompt", form.systemPrompt, 8000);
  length("greeting", form.greeting, 500);
  const starterQuestions = lines(form.starterQuestions);
  if (starterQuestions.length > 6) errors.starterQuestions = `At most 6 questions (now ${starterQuestions.length}).`;
  starterQuestions.forEach((question, index) => length(`starterQuestions.${index}`, question, 200));
  const primaryColor = form.primaryColor.trim();
  if (primaryColor && !COLOR_PATTERN.test(primaryColor)) errors["theme.primaryColor"] = "Use a #rrggbb colour, e.g. #0f766e.";
  const allowedOrigins = lines(form.allowedOrigins);
  if (allowedOrigins.length > 50) errors.allowedOrigins = "At most 50 origins.";
  allowedOrigins.forEach((origin, index) => {
    const problem = originProblem(origin);
    if (problem) errors[`allowedOrigins.${index}`] = problem;
  });
  length("models.small", form.smallModel.trim(), 100);
  length("models.large", form.largeModel.trim(), 100);
  const perSession = number("images.perSession", form.imagesPerSession, { min: 0, max: 100, integer: true });
  const perDay = number("images.perDay", form.imagesPerDay, { min: 0, max: 100000, integer: true });
  const dailyBudgetUsd = number("limits.dailyBudgetUsd", form.dailyBudgetUsd, { min: 0, max: 100000, integer: false });
  length("limits.budgetMessage", form.budgetMessage.trim(), 500);
  const maxTurns = form.maxTurnsPerSession.trim() === "" ? undefined : number("limits.maxTurnsPerSession", form.maxTurnsPerSession, { min: 1, max: 1000, integer: true });
  const webhook = form.handoffWebhookUrl.trim();
  if (webhook && !isHttpUrl(webhook)) errors.handoffWebhookUrl = "Use an http(s) URL, e.g. https://hooks.example.com/edgechat.";
  else length("handoffWebhookUrl", webhook, 2000);
  const turnstile = form.turnstileSiteKey.trim();
  if (turnstile && !TURNSTILE_PATTERN.test(turnstile)) errors.turnstileSiteKey = "A Turnstile site key has only letters, digits, '_' and '-'.";
  length("aiNotice", form.aiNotice.trim(), 300);
  const takeoverTimeoutSeconds = number("handoff.takeoverTimeoutSeconds", form.takeoverTimeoutSeconds, { min: 0, max: 3600, integer: true });
  const retentionDays = number("retentionDays", form.retentionDays, { min: 0, max: 3650, integer: true });

  const settings: BotSettings = {
    ...settingsTheFormDoesNotEdit(original),
    name,
    systemPrompt: form.systemPrompt,
    greeting: form.greeting,
    starterQuestions,
    theme: { mode: form.themeMode, ...(primaryColor ? { primaryColor } : {}) },
    allowedOrigins,
    models: { ...(form.smallModel.trim() ? { small: form.smallModel.trim() } : {}), ...(form.largeModel.trim() ? { large: form.largeModel.trim() } : {}) },
    routing: { ...original.routing, policy: form.routingPolicy },
    images: { enabled: form.imagesEnabled, perSession: perSession ?? 3, perDay: perDay ?? 50 },
    limits: {
      dailyBudgetUsd: dailyBudgetUsd ?? 5,
      ...(form.budgetMessage.trim() ? { budgetMessage: form.budgetMessage.trim() } : {}),
      ...(maxTurns !== undefined ? { maxTurnsPerSession: maxTurns } : {}),
    },
    ...(webhook ? { handoffWebhookUrl: webhook } : {}),
    ...(turnstile ? { turnstileSiteKey: turnstile } : {}),
    ...(form.aiNotice.trim() ? { aiNotice: form.aiNotice.trim() } : {}),
    ...(form.showTierBadge ? { showTierBadge: true } : {}),
    handoff: { ...original.handoff, takeoverTimeoutSeconds: takeoverTimeoutSeconds ?? 120 },
    retentionDays: retentionDays ?? 90,
  };
  return { settings, errors };
}

/** The keys the form writes (an emptied optional one is left out, so it must not come back from the original). */
const FORM_KEYS = new Set([
  "name", "systemPrompt", "greeting", "starterQuestions", "theme", "allowedOrigins", "models", "routing", "images", "limits",
  "handoffWebhookUrl", "turnstileSiteKey", "aiNotice", "showTierBadge", "handoff", "retentionDays",
]);

/** A saved bot keeps the settings this form has no field for (set through the API or a newer console). */
function settingsTheFormDoesNotEdit(original: BotSettings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(original).filter(([key]) => !FORM_KEYS.has(key)));
}

/** Why `value` is not an origin (scheme://host[:port], nothing else), or undefined when it is one. */
export function originProblem(value: string): string | undefined {
  if (value.includes("*")) return `"${value}": wildcards are not allowed; list each origin.`;
  try {
    const url = new URL(value);
    if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === value.replace(/\/$/, "")) return undefined;
  } catch {}
  return `"${value}" is not an origin: use scheme://host[:port], e.g. https://docs.example.com.`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * The messages that concern one input: its own path and its items' ("allowedOrigins.2" → line 3).
 *
 * @example
 * messagesFor({ "allowedOrigins.1": "bad" }, "allowedOrigins") // ["Line 2: bad"]
 */
export function messagesFor(errors: FieldErrors, path: string): string[] {
  const messages: string[] = [];
  for (const [key, message] of Object.entries(errors)) {
    if (key === path) messages.push(message);
    else if (key.startsWith(`${path}.`)) {
      const rest = key.slice(path.length + 1);
      messages.push(/^\d+$/.test(rest) ? `Line ${Number(rest) + 1}: ${message}` : message);
    }
  }
  return messages;
}

/** What the live preview shows: the widget's appearance options from the unsaved form. */
export function previewOptions(form: BotForm) {
  const questions = lines(form.starterQuestions).slice(0, 6);
  return {
    title: form.name.trim() || "Your bot",
    greeting: form.greeting,
    starterQuestions: questions,
    theme: form.themeMode,
    primaryColor: COLOR_PATTERN.test(form.primaryColor.trim()) ? form.primaryColor.trim() : undefined,
    aiNotice: form.aiNotice.trim() || undefined,
    showTierBadge: form.showTierBadge,
  };
}
