import type { LanguageModelUsage } from "ai";
import { estimateTokens } from "../models/offline-language-model";
import { costUsd, roundUsd, type PriceTable } from "./price-table";
import type { RouteDecision, Tier } from "./route-decision";

/** Tokens and cost of one model call within a turn. */
export interface ModelCallUsage {
  model: string;
  tier: Tier;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** True when the provider reported no usage (aborted, failed) and the tokens are estimated from the text. */
  estimated: boolean;
}

/** What a turn cost and how it was routed: sent as message metadata and recorded in the `turns` table. */
export interface TurnUsageSummary {
  /** The tier that produced the answer (the last one called). */
  tier: Tier;
  /** The model id that produced the answer. */
  model: string;
  escalated: boolean;
  reasons: string[];
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
  /** Per model call, in call order. */
  models: ModelCallUsage[];
  usageEstimated: boolean;
}

const zeroUsage = { inputTokens: 0, outputTokens: 0 } as LanguageModelUsage;

interface CallRecord {
  model: string;
  tier: Tier;
  promptText: string;
  streamedText: string;
  usage: LanguageModelUsage | undefined;
  /** The provider refused the call with an error status before generating: nothing was used. */
  rejected: boolean;
}

/**
 * Keeps the books of one turn while it runs: which models were called, what they streamed and what
 * the provider reported. `summary()` can be taken at any moment (the visitor may leave mid-answer):
 * calls without provider usage are estimated from their prompt and streamed text (about 4 characters
 * per token) and marked as estimated.
 *
 * @example
 * const ledger = new TurnLedger(DEFAULT_PRICES, decision);
 * const call = ledger.startCall("gpt-4.1-mini", "small", promptText);
 * call.streamedText += "Hello";
 * ledger.summary().costUsd;
 */
export class TurnLedger {
  readonly reasons: string[];
  escalated = false;
  private readonly calls: CallRecord[] = [];

  constructor(
    private readonly prices: PriceTable,
    readonly decision: RouteDecision,
  ) {
    this.reasons = [...decision.reasons];
  }

  startCall(model: string, tier: Tier, promptText: string): CallRecord {
    const call: CallRecord = { model, tier, promptText, streamedText: "", usage: undefined, rejected: false };
    this.calls.push(call);
    return call;
  }

  /** The last call was refused by the provider before generating (an HTTP error status): it used nothing. */
  markLastCallRejected(): void {
    const last = this.calls.at(-1);
    if (last) last.rejected = true;
  }

  addReason(reason: string): void {
    this.reasons.push(reason);
  }

  summary(): TurnUsageSummary {
    const models = this.calls.map((call) => this.callUsage(call));
    const last = this.calls.at(-1);
    const inputTokens = models.reduce((sum, call) => sum + call.inputTokens, 0);
    const outputTokens = models.reduce((sum, call) => sum + call.outputTokens, 0);
    return {
      tier: last?.tier ?? this.decision.tier,
      model: last?.model ?? "",
      escalated: this.escalated,
      reasons: [...this.reasons],
      usage: { inputTokens, outputTokens },
      costUsd: roundUsd(models.reduce((sum, call) => sum + call.costUsd, 0)),
      models,
      usageEstimated: models.some((call) => call.estimated),
    };
  }

  private callUsage(call: CallRecord): ModelCallUsage {
    const reported = call.rejected ? zeroUsage : call.usage;
    const estimated = reported?.inputTokens === undefined && reported?.outputTokens === undefined;
    const inputTokens = estimated ? estimateTokens(call.promptText) : (reported?.inputTokens ?? 0);
    const outputTokens = estimated ? estimateTokens(call.streamedText) : (reported?.outputTokens ?? 0);
    return {
      model: call.model,
      tier: call.tier,
      inputTokens,
      outputTokens,
      costUsd: costUsd(this.prices, call.model, call.tier, { inputTokens, outputTokens }),
      estimated,
    };
  }
}
