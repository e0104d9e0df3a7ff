import { APICallError, streamText, type ModelMessage, type StopCondition, type ToolSet, type UIMessageChunk, type UIMessageStreamWriter } from "ai";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { answerCheck } from "./answer-checks";
import { createEscalateTool, ESCALATE_INSTRUCTIONS, ESCALATE_TOOL_NAME, escalationReasonText } from "./escalate-tool";
import { DEFAULT_FAILOVER, failoverReason, isFailoverError, ModelTimeoutError, retryAfterMs, type FailoverOptions } from "./failover";
import type { Tier } from "./route-decision";
import type { TurnLedger } from "./turn-usage";

/** The two models of a turn. The same model may serve both tiers. */
export interface TierModels {
  small: LanguageModelV3;
  large: LanguageModelV3;
}

export interface RoutedGenerationInput {
  /** The one assistant message's writer: every model call writes into it. */
  writer: UIMessageStreamWriter;
  models: TierModels;
  /** The books of the turn; its decision says which tier starts. */
  ledger: TurnLedger;
  system: string;
  messages: ModelMessage[];
  /** The turn's abort (the visitor left): never failed over, never retried. */
  abortSignal: AbortSignal;
  maxOutputTokens: number;
  /** Other tools (e.g. image generation) offered to both tiers. */
  tools?: ToolSet;
  /** Step limit when those tools need a step after their result (e.g. stepCountIs(3)); default one step. */
  stopWhen?: StopCondition<ToolSet>;
  failover?: Partial<FailoverOptions>;
  /** The text the visitor sees for a failure; never a provider's own message. */
  errorText: (error: unknown) => string;
  /** The prompt holds retrieved sources: the small model's answer is checked for hedging and citations. */
  grounded?: boolean;
}

type AttemptResult =
  | { kind: "done"; text: string }
  | { kind: "escalate"; shownText: string }
  | { kind: "failed-before-text"; error: unknown }
  | { kind: "failed-after-text" }
  | { kind: "aborted" };

/**
 * Generates the answer of one turn across the two tiers, writing everything into one assistant message:
 *
 * - It starts on the ledger's decided tier. The small model gets the `escalate` tool; when it calls it,
 *   the large model continues the same message. The escalate tool's own chunks are not shown.
 * - **Partial text rule:** text the small model streamed before escalating has already been shown, so it
 *   is kept (never silently rewritten); the large model is told what was shown and continues from it.
 *   The small model is instructed to escalate before writing anything, so normally there is none.
 * - **Failover:** an error before the first text delta (429, 5xx, timeout, network) moves the turn to the
 *   other tier once, after the provider's Retry-After capped at `maxRetryAfterMs`. An error after text
 *   has streamed ends the turn with an error part, keeping the partial text. Nothing is retried beyond
 *   that (`maxRetries: 0` on every call), so a turn makes at most three model calls.
 */
export async function runRoutedGeneration(input: RoutedGenerationInput): Promise<void> {
  const options = { ...DEFAULT_FAILOVER, ...input.failover };
  const { ledger } = input;
  let tier: Tier = ledger.decision.tier;
  let failedOver = false;
  let handover: Handover | undefined;
  for (;;) {
    const offerEscalation = tier === "small" && !ledger.escalated && !failedOver;
    const result = await runAttempt(input, options, tier, offerEscalation, handover);
    // A provider that refused the call with an error status (429, 5xx) before generating charged nothing.
    if (result.kind === "failed-before-text" && APICallError.isInstance(result.error) && result.error.statusCode !== undefined) {
      ledger.markLastCallRejected();
    }
    if (result.kind === "escalate") {
      ledger.escalated = true;
      handover = { shownText: result.shownText };
      tier = "large";
      continue;
    }
    // The second chance: the small model's finished answer hedges or cites nothing although the turn is
    // grounded, so the large model continues the same message (once; never after a failover, and only
    // when there is a different model to ask).
    if (result.kind === "done" && offerEscalation && input.models.large !== input.models.small) {
      const check = answerCheck({ text: result.text, grounded: input.grounded === true });
      if (check === "hedged-with-sources" || check === "no-citation") {
        ledger.escalated = true;
        ledger.addReason(`answer-check: ${check}`);
        handover = { shownText: result.text, check };
        tier = "large";
        continue;
      }
    }
    if (result.kind === "failed-before-text") {
      if (!failedOver && !input.abortSignal.aborted && isFailoverError(result.error)) {
        failedOver = true;
        ledger.addReason(`${failoverReason(result.error)}-${tier}`);
        await sleep(retryAfterMs(result.error, options.maxRetryAfterMs), input.abortSignal);
        if (input.abortSignal.aborted) return;
        tier = tier === "small" ? "large" : "small";
        continue;
      }
      input.writer.write({ type: "error", errorText: input.errorText(result.error) });
    }
    return;
  }
}

async function runAttempt(
  input: RoutedGenerationInput,
  options: FailoverOptions,
  tier: Tier,
  offerEscalation: boolean,
  handover: Handover | undefined,
): Promise<AttemptResult> {
  const model = input.models[tier];
  const system = systemPromptFor(input.system, offerEscalation, handover);
  const call = input.ledger.startCall(model.modelId, tier, promptText(system, input.messages));
  const attemptAbort = new AbortController();
  const onTurnAbort = () => attemptAbort.abort(input.abortSignal.reason);
  if (input.abortSignal.aborted) onTurnAbort();
  else input.abortSignal.addEventListener("abort", onTurnAbort, { once: true });
  let timer: number | undefined;
  let timedOut: ModelTimeoutError | undefined;
  const arm = (phase: "first-token" | "idle", ms: number) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = new ModelTimeoutError(phase, ms);
      attemptAbort.abort(timedOut);
    }, ms);
  };

  let lastError: unknown;
  const tools: ToolSet = { ...input.tools, ...(offerEscalation ? { [ESCALATE_TOOL_NAME]: createEscalateTool() } : {}) };
  const result = streamText({
    model,
    system,
    messages: input.messages,
    tools: Object.keys(tools).length > 0 ? tools : undefined,
    abortSignal: attemptAbort.signal,
    maxOutputTokens: input.maxOutputTokens,
    maxRetries: 0, // failover is ours: the SDK's own retries would multiply calls
    // A call of `escalate` (no execute) always ends the loop: it has no result to continue from.
    ...(input.stopWhen ? { stopWhen: input.stopWhen } : {}),
  });
  const stream = result.toUIMessageStream({
    sendStart: false,
    sendFinish: false,
    messageMetadata: ({ part }) => {
      if (part.type === "finish") call.usage = part.totalUsage;
      return undefined;
    },
    onError: (error) => {
      lastError = error;
      return input.errorText(error);
    },
  });

  // Chunks before the first text are held back: if the call fails before any text, they are dropped
  // and the other tier starts clean.
  const held: UIMessageChunk[] = [];
  const escalateCalls = new Set<string>();
  let escalation: string | undefined;
  let sawText = false;
  let failedAfterText = false;
  let aborted = false;
  arm("first-token", options.firstTokenTimeoutMs);
  try {
    for await (const chunk of stream) {
      if (sawText) arm("idle", options.idleTimeoutMs);
      if ("toolCallId" in chunk && (escalateCalls.has(chunk.toolCallId) || ("toolName" in chunk && chunk.toolName === ESCALATE_TOOL_NAME))) {
        escalateCalls.add(chunk.toolCallId);
        if (chunk.type === "tool-input-available") escalation = escalationReasonText(chunk.input);
        if (chunk.type === "tool-input-error") escalation = "";
        continue;
      }
      // Our own timeout aborts the call: for the visitor that is a failure, not a stop.
      if (chunk.type === "error" || (chunk.type === "abort" && timedOut && !input.abortSignal.aborted)) {
        const error = timedOut ?? lastError ?? new Error(chunk.type === "error" ? chunk.errorText : "aborted");
        if (!sawText && !input.abortSignal.aborted) return { kind: "failed-before-text", error };
        // An error chunk already carries the visitor's text (onError above); our timeout needs it made.
        if (!failedAfterText) input.writer.write({ type: "error", errorText: chunk.type === "error" && !timedOut ? chunk.errorText : input.errorText(error) });
        failedAfterText = true;
        continue;
      }
      if (chunk.type === "abort") aborted = true;
      const firstText = chunk.type === "text-delta" && !sawText && chunk.delta !== "";
      if (firstText) {
        sawText = true;
        for (const early of held.splice(0)) input.writer.write(early);
      }
      if (chunk.type === "text-delta") call.streamedText += chunk.delta;
      if (sawText || chunk.type === "abort") input.writer.write(chunk);
      else held.push(chunk);
      if (firstText) await letTheFirstDeltaOut();
    }
  } catch (thrown) {
    // The stream itself broke (e.g. aborted by our timeout with a non-abort reason): same rules as an error chunk.
    const error = timedOut ?? thrown;
    if (input.abortSignal.aborted) return { kind: "aborted" };
    if (!sawText) return { kind: "failed-before-text", error };
    if (!failedAfterText) input.writer.write({ type: "error", errorText: input.errorText(error) });
    return { kind: "failed-after-text" };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    input.abortSignal.removeEventListener("abort", onTurnAbort);
  }
  if (aborted || input.abortSignal.aborted) return { kind: "aborted" };
  if (failedAfterText) return { kind: "failed-after-text" };
  if (escalation !== undefined) {
    // What other tools did before the hand-over (e.g. an image shown) stays in the message.
    for (const early of held) input.writer.write(early);
    input.ledger.addReason(escalation ? `escalate-tool: ${escalation}` : "escalate-tool");
    return { kind: "escalate", shownText: call.streamedText };
  }
  // A call that ends without text or error (e.g. only a tool call of another tool): show what it sent.
  for (const early of held) input.writer.write(early);
  return { kind: "done", text: call.streamedText };
}

/** What the large model is told when it takes over: the text already shown and, for a second chance, why. */
interface Handover {
  shownText: string;
  check?: "hedged-with-sources" | "no-citation";
}

const SECOND_CHANCE_NOTES = {
  "hedged-with-sources": "That answer hedged or said it could not answer, although the sources below may contain the answer.",
  "no-citation": "That answer cites none of the sources below.",
} as const;

function systemPromptFor(system: string, offerEscalation: boolean, handover: Handover | undefined): string {
  if (offerEscalation) return `${system}\n\n${ESCALATE_INSTRUCTIONS}`;
  if (handover?.check) {
    return (
      `${system}\n\nA faster assistant already answered the visitor, who sees this answer:\n"""\n${handover.shownText}\n"""\n` +
      `${SECOND_CHANCE_NOTES[handover.check]} Add a better answer after it, from the sources and citing them, ` +
      `without repeating it; start with a short line such as "Let me look at this more closely."`
    );
  }
  if (handover && handover.shownText.trim() !== "") {
    return (
      `${system}\n\nA faster assistant started this answer and handed it to you. The visitor already sees this ` +
      `beginning, so continue from it without repeating it:\n"""\n${handover.shownText}\n"""`
    );
  }
  return system;
}

function promptText(system: string, messages: ModelMessage[]): string {
  let text = system;
  for (const message of messages) {
    if (typeof message.content === "string") text += `\n${message.content}`;
    else for (const part of message.content) if ("text" in part && typeof part.text === "string") text += `\n${part.text}`;
  }
  return text;
}

/**
 * Yields to the event loop once, right after an attempt's first text delta is written. Parts that are
 * already there (a provider's burst in one network read, a fast or cached model) are otherwise processed
 * to the end in one run of microtasks, and the runtime writes no byte of the response until that run ends:
 * the visitor's first word would wait for the whole burst. The yield lets the delta reach the socket first.
 */
function letTheFirstDeltaOut(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
