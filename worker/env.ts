/**
 * The bindings and variables an edgechat worker reads. Everything is optional:
 * with none of them set the worker runs fully offline.
 */
export interface EdgechatEnv {
  /** Static assets (widget.js, demo pages). */
  ASSETS?: Fetcher;
  /** Workers AI binding (`"ai": { "binding": "AI" }` in wrangler.jsonc): with it, models run on Workers AI by default. */
  AI?: Ai;
  /** offline | openai | workers-ai | auto (default: AI binding → workers-ai, else OPENAI_API_KEY → openai, else offline). */
  EDGECHAT_PROVIDER?: string;
  /** The source of one part, overriding EDGECHAT_PROVIDER (docs/workers-ai.md). */
  EDGECHAT_SMALL_PROVIDER?: string;
  EDGECHAT_LARGE_PROVIDER?: string;
  EDGECHAT_EMBEDDING_PROVIDER?: string;
  EDGECHAT_IMAGE_PROVIDER?: string;
  /** Comma-separated Workers AI model ids that support tool calling, beyond the known ones. */
  EDGECHAT_WORKERS_AI_TOOL_MODELS?: string;
  /** Cloudflare AI Gateway name: OpenAI and Workers AI calls then go through it, tagged with bot and tier. */
  AI_GATEWAY_ID?: string;
  /** The account of the gateway (needed for OpenAI through the gateway). */
  CLOUDFLARE_ACCOUNT_ID?: string;
  /** An authenticated gateway's token (a secret: `wrangler secret put AI_GATEWAY_TOKEN`). */
  AI_GATEWAY_TOKEN?: string;
  /** AI Gateway's URL, default https://gateway.ai.cloudflare.com/v1; only tests change it (to a fake). */
  AI_GATEWAY_BASE_URL?: string;
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
  /** R2 bucket that stores generated images (served by GET /v1/images/:id). */
  IMAGES?: R2Bucket;
  /** Image model id for the configured provider (default gpt-image-1-mini). */
  EDGECHAT_IMAGE_MODEL?: string;
  /** Production vector index: a Cloudflare Vectorize binding (see README, "Vectorize"). */
  VECTORIZE?: Vectorize;
  /** Local stand-in for Vectorize (Durable Object `LocalVectorIndex`), used when VECTORIZE is not bound. */
  VECTOR_INDEX?: DurableObjectNamespace<import("./vector/local-vector-index").LocalVectorIndex>;
  /** Embedding model id for the configured provider (default text-embedding-3-small). */
  EDGECHAT_EMBEDDING_MODEL?: string;
  /** Embedding dimensions; must equal the Vectorize index's dimensions (default 1536 with OpenAI, 384 offline). */
  EDGECHAT_EMBEDDING_DIMENSIONS?: string;
  /** Distance metric of the local stand-in index (default cosine; a real index has its own). */
  EDGECHAT_VECTOR_METRIC?: string;
  /** Lowest vector similarity a passage needs to count as relevant (default 0.35 OpenAI, 0.15 offline). */
  EDGECHAT_RETRIEVAL_MIN_SCORE?: string;
  /** How close a visitor's question must be to a curated answer's question or phrasing to use it (docs/corrections.md). */
  EDGECHAT_CORRECTION_MIN_SCORE?: string;
  /** Milliseconds between the offline model's deltas (default 25). */
  OFFLINE_MODEL_DELAY_MS?: string;
  /** HMAC key for session tokens (a secret; `npm start` generates one into .dev.vars). */
  SESSION_SECRET?: string;
  /** Pepper of console passwords (a secret, at least 16 characters); defaults to a key derived from SESSION_SECRET. */
  CONSOLE_PEPPER?: string;
  /** One Durable Object (SQLite) per conversation: its transcript. */
  CHAT_SESSIONS?: DurableObjectNamespace<import("./sessions/chat-session").ChatSession>;
  /** Workers Rate Limiting: chat turns per session and per client IP, scoped to the bot. */
  RATE_LIMIT_SESSION?: RateLimit;
  RATE_LIMIT_IP?: RateLimit;
  /** Secret key of the Turnstile widget used by bots with a `turnstileSiteKey`. */
  TURNSTILE_SECRET_KEY?: string;
  /** Turnstile's siteverify URL; only tests change it (to a fake). */
  TURNSTILE_VERIFY_URL?: string;
  /** Queue of knowledge-source sync work (worker/sources): one message per page to fetch. */
  SOURCE_SYNC_QUEUE?: Queue<import("./sources/source-types").SyncMessage>;
  /** Public URL of this deployment, named in the crawler's User-Agent. */
  EDGECHAT_PUBLIC_URL?: string;
  /**
   * Exact `host:port` pairs (comma-separated) that source syncs and webhooks may reach although private, for tests'
   * fixture servers on 127.0.0.1. Logged loudly; never set it in a deployed config.
   */
  EDGECHAT_FETCH_ALLOW_HOSTS?: string;
  /**
   * Seconds after which the Cron Trigger re-sends the message of a page a running source sync claimed but nobody
   * processed (default 300). Only a local queue loses messages (a restarted `wrangler dev`); tests shorten it.
   */
  EDGECHAT_SYNC_STALLED_AFTER_SECONDS?: string;
}
