/**
 * The bindings and variables an edgechat worker reads. Everything is optional:
 * with none of them set the worker runs fully offline.
 */
export interface EdgechatEnv {
  /** Static assets (widget.js, demo pages). */
  ASSETS?: Fetcher;
  /** With a key, the worker uses OpenAI (or any OpenAI-compatible server). */
  OPENAI_API_KEY?: string;
  /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1. */
  OPENAI_BASE_URL?: string;
  /** Chat model id for the configured provider (older name of EDGECHAT_SMALL_MODEL). */
  EDGECHAT_CHAT_MODEL?: string;
  /** Small (first) tier model id, default gpt-4.1-mini. */
  EDGECHAT_SMALL_MODEL?: string;
  /** Large tier model id, default gpt-4.1. */
  EDGECHAT_LARGE_MODEL?: string;
  /** JSON price overrides: {"<model>": {"input": USD per 1M tokens, "output": USD per 1M tokens}}. */
  EDGECHAT_PRICES?: string;
  /** "chat" (default, /v1/chat/completions) or "responses" (/v1/responses). */
  OPENAI_API_STYLE?: string;
  /** Bearer token for the admin API (a secret: `wrangler secret put ADMIN_TOKEN`, or .dev.vars locally). */
  ADMIN_TOKEN?: string;
  /** D1: bots, documents, usage. */
  DB?: D1Database;
  /** Milliseconds between the offline model's deltas (default 25). */
  OFFLINE_MODEL_DELAY_MS?: string;
}
