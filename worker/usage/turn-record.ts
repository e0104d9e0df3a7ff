import type { ChatTurnOutcome } from "../chat/chat-turn";

/** Who and what a turn was about, beyond what the turn's outcome carries. */
export interface TurnContext {
  botId: string;
  sessionId?: string;
  userMessageId?: string;
  /** The visitor's question (kept for "what to document next"; capped at 2000 characters). */
  question: string;
  /** Sources the answer was grounded on; unknown (NULL) until retrieval reports it. */
  grounded?: boolean;
  sourcesFound?: number;
  images?: number;
}

/** One row of the `turns` table (migrations/0003_turns.sql). */
export interface TurnRow {
  id: string;
  bot_id: string;
  session_id: string | null;
  user_message_id: string | null;
  status: "complete" | "stopped" | "failed";
  tier: "small" | "large";
  escalated: 0 | 1;
  route_reasons: string;
  models: string;
  input_tokens: number;
  output_tokens: number;
  images: number;
  cost_usd: number;
  usage_estimated: 0 | 1;
  grounded: 0 | 1 | null;
  sources_found: number;
  question: string;
  created_at: number;
}

/**
 * The `turns` row of an ended turn: status, the tier that answered, escalation, the router's reasons,
 * tokens and cost per model, and whether usage was estimated (aborted or failed calls without usage).
 *
 * @example
 * const row = turnRow(outcome, { botId: "demo", question: "How do I add a domain?" });
 */
export function turnRow(outcome: ChatTurnOutcome, context: TurnContext, now = Date.now()): TurnRow {
  const { usage } = outcome;
  return {
    id: outcome.messageId ?? crypto.randomUUID(),
    bot_id: context.botId,
    session_id: context.sessionId ?? null,
    user_message_id: context.userMessageId ?? null,
    status: outcome.status,
    tier: usage.tier,
    escalated: usage.escalated ? 1 : 0,
    route_reasons: JSON.stringify(usage.reasons),
    models: JSON.stringify(
      usage.models.map(({ model, tier, inputTokens, outputTokens, costUsd, estimated }) => ({
        model,
        tier,
        inputTokens,
        outputTokens,
        costUsd,
        estimated,
      })),
    ),
    input_tokens: usage.usage.inputTokens,
    output_tokens: usage.usage.outputTokens,
    images: context.images ?? 0,
    cost_usd: usage.costUsd,
    usage_estimated: usage.usageEstimated ? 1 : 0,
    grounded: context.grounded === undefined ? null : context.grounded ? 1 : 0,
    sources_found: context.sourcesFound ?? outcome.sources.length,
    question: context.question.slice(0, 2000),
    created_at: now,
  };
}

/**
 * Writes exactly one `turns` row for an ended turn. Call it from `onEnd` of `streamChatTurn`, which
 * fires once per turn. `INSERT OR IGNORE` makes a repeated call with the same message id harmless.
 *
 * @example
 * streamChatTurn({ …, onEnd: (outcome) => recordTurn(env.DB, outcome, { botId: bot.id, question }) });
 */
export async function recordTurn(db: D1Database, outcome: ChatTurnOutcome, context: TurnContext): Promise<void> {
  const row = turnRow(outcome, context);
  const columns = Object.keys(row) as (keyof TurnRow)[];
  await db
    .prepare(`INSERT OR IGNORE INTO turns (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
    .bind(...columns.map((column) => row[column]))
    .run();
}
