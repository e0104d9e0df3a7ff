// The shapes of the console API (see ARCHITECTURE.md, "Owner console").
export type Role = "admin" | "editor" | "agent";
export type BotScope = "all" | string[];

export interface Member {
  id: string;
  name: string;
  displayName?: string;
  role: Role;
  bots: BotScope;
  createdAt?: string | number;
  status?: "active" | "invited";
}

/** A bot's settings as worker/bots/bot-config.ts validates them. */
export interface BotSettings {
  name: string;
  systemPrompt?: string;
  greeting?: string;
  starterQuestions?: string[];
  theme?: { primaryColor?: string; mode?: "light" | "dark" | "auto" };
  allowedOrigins?: string[];
  models?: { small?: string; large?: string };
  routing?: { policy?: "auto" | "always-small" | "always-large"; threshold?: number };
  images?: { enabled?: boolean; perSession?: number; perDay?: number };
  limits?: { dailyBudgetUsd?: number; budgetMessage?: string; maxTurnsPerSession?: number };
  handoffWebhookUrl?: string;
  turnstileSiteKey?: string;
  aiNotice?: string;
  showTierBadge?: boolean;
  /** Seconds a visitor's request for a person waits for a member before the webhook runs (0 = at once). */
  handoff?: { takeoverTimeoutSeconds?: number };
  /** Days conversations are kept (0 = only while the visitor's session lasts). */
  retentionDays?: number;
  /** Settings this console version does not edit are kept as they are. */
  [setting: string]: unknown;
}

export interface BotSummary {
  id: string;
  name: string;
  today?: { conversations: number; costUsd: number };
}

export interface ConsoleDocument {
  id: string;
  title: string;
  url?: string;
  format?: string;
  status: string;
  chunks?: number;
  updatedAt?: string | number;
  error?: string | { code?: string; message?: string };
  /** The knowledge source it came from (console/pages/sources-page.tsx); null when uploaded. */
  sourceId?: string | null;
}

export interface AnalyticsDay {
  date: string;
  conversations: number;
  answers: { small: number; large: number; escalated: number };
  costUsd: number;
  groundedShare: number | null;
  feedback: { up: number; down: number };
}

export interface Analytics {
  days: AnalyticsDay[];
  dailySpendingCapUsd?: number;
  unansweredQuestions: { question: string; count: number }[];
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  bots: BotScope;
  createdAt?: string | number;
  lastUsedAt?: string | number | null;
  revokedAt?: string | number | null;
  prefix?: string;
}
