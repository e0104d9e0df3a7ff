/**
 * A support bot: what it says, where it may run, what it may spend. The registry (D1, hosted-bot
 * issue) stores these; until a bot is loaded from it, `DEMO_BOT` is the bot every turn uses.
 */
export interface Bot {
  id: string;
  name: string;
  systemPrompt: string;
  greeting: string;
  starterQuestions: string[];
  theme: { primaryColor?: string; mode: "light" | "dark" | "auto" };
  /** Exact origins (scheme://host[:port]) whose pages may use the bot. */
  allowedOrigins: string[];
  /** Model ids per tier for the configured provider; unset means the deployment's defaults. */
  models: { small?: string; large?: string };
  /** Tier policy; with "auto", `threshold` (default 1) is the router's difficulty score for the large tier. */
  routing: { policy: "auto" | "always-small" | "always-large"; threshold?: number };
  images: { enabled: boolean; perSession: number; perDay: number };
  limits: { dailyBudgetUsd: number };
  handoffWebhookUrl?: string;
}

export const DEMO_BOT: Bot = {
  id: "demo",
  name: "Acme Cloud help",
  systemPrompt:
    "You are the support assistant of Acme Cloud. Answer questions about Acme Cloud from its documentation, briefly and precisely.",
  greeting: "Hi! Ask me anything about Acme Cloud.",
  starterQuestions: [],
  theme: { mode: "auto" },
  allowedOrigins: [],
  models: {},
  routing: { policy: "auto" },
  images: { enabled: true, perSession: 3, perDay: 50 },
  limits: { dailyBudgetUsd: 5 },
};
