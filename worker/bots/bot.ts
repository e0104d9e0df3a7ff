/**
 * A support bot: what it says, where it may run, what it may spend. The registry in D1
 * (worker/bots/bot-registry.ts) stores these; `DEMO_BOT` is the bot `npm start` seeds.
 */
export interface Bot {
  id: string;
  name: string;
  systemPrompt: string;
  greeting: string;
  starterQuestions: string[];
  theme: { primaryColor?: string; mode: "light" | "dark" | "auto" };
  /** Exact origins (scheme://host[:port]) whose pages may use the bot. The worker's own origin (hosted page) always may. */
  allowedOrigins: string[];
  /** Model ids per tier for the configured provider; unset means the deployment's defaults. */
  models: { small?: string; large?: string };
  /** Tier policy; with "auto", `threshold` (default 1) is the router's difficulty score for the large tier. */
  routing: { policy: "auto" | "always-small" | "always-large"; threshold?: number };
  images: { enabled: boolean; perSession: number; perDay: number };
  limits: BotLimits;
  /** Where a conversation is POSTed (signed) when the visitor accepts a human handoff. */
  handoffWebhookUrl?: string;
  /**
   * Live takeover (docs/takeover.md): how long a visitor who asked for a person waits for a member to take
   * the conversation before the webhook handoff runs (default 120 s; 0 = at once).
   */
  handoff?: { takeoverTimeoutSeconds: number };
  /** Cloudflare Turnstile site key; when set, the first turn of every session needs a verified Turnstile token. */
  turnstileSiteKey?: string;
  /** Shown under the panel, e.g. "Answers are AI-generated and may be wrong." */
  aiNotice?: string;
  /** Show the small/large tier badge on answers. */
  showTierBadge?: boolean;
  /**
   * Days a conversation is kept after its last activity (0–3650; unset: DEFAULT_RETENTION_DAYS). 0 keeps no
   * transcript beyond the live session. The retention job (Cron Trigger) deletes older ones.
   */
  retentionDays?: number;
}

/** How long conversations are kept when a bot sets no `retentionDays`. */
export const DEFAULT_RETENTION_DAYS = 90;

export interface BotLimits {
  /** Daily spending cap in US dollars (UTC day, summed from the `turns` table). 0 turns the bot off. */
  dailyBudgetUsd: number;
  /** What the visitor reads instead of an answer once the cap is reached. */
  budgetMessage?: string;
  /** Most user messages one conversation may have. */
  maxTurnsPerSession?: number;
}

/** The polite answer over the spending cap when the bot sets none of its own. */
export const DEFAULT_BUDGET_MESSAGE =
  "Sorry, this assistant has answered all the questions it can for today. Please try again tomorrow or contact the team directly.";

/** Default cap on user messages in one conversation. */
export const DEFAULT_MAX_TURNS_PER_SESSION = 100;

export const DEMO_BOT: Bot = {
  id: "demo",
  name: "Acme Cloud help",
  systemPrompt:
    "You are the support assistant of Acme Cloud. Answer questions about Acme Cloud from its documentation, briefly and precisely.",
  greeting: "Hi! Ask me anything about Acme Cloud.",
  starterQuestions: [],
  theme: { mode: "auto" },
  allowedOrigins: ["http://127.0.0.1:8787", "http://localhost:8787"],
  models: {},
  routing: { policy: "auto" },
  images: { enabled: true, perSession: 3, perDay: 50 },
  limits: { dailyBudgetUsd: 5 },
};
