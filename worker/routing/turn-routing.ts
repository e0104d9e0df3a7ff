import type { ModelMessage } from "ai";
import type { Bot } from "../bots/bot";
import { tierModelsFor, type ModelSet } from "../models/model-set";
import { priceTableFrom, type PriceTable } from "./price-table";
import type { PreviousTurn } from "./follow-up-checks";
import { decideRoute, type RouteDecision, type RouteInput } from "./route-decision";
import { NO_RETRIEVAL, type RetrievalSignals } from "./retrieval-signals";
import type { TierModels } from "./routed-generation";

export interface TurnRoutingInput {
  bot: Bot;
  question: string;
  /** Earlier messages of the conversation; its visitor messages count as conversation depth. */
  history: ModelMessage[];
  models: ModelSet;
  /** Retrieval's signals for `route`; the turn itself calls `decide` with the signals of its own retrieval. */
  retrieval?: RetrievalSignals;
  /** EDGECHAT_PRICES (JSON price overrides). */
  prices?: string;
}

export interface TurnRouting {
  models: TierModels;
  /** The decision for `input.retrieval` (NO_RETRIEVAL when not given). */
  route: RouteDecision;
  /** The same decision for other retrieval signals: the chat turn calls it after retrieval. */
  decide: (retrieval: RetrievalSignals) => RouteDecision;
  prices: PriceTable;
}

/**
 * Everything the chat turn needs for routing: the bot's two tier models, the router's decision and
 * the price table. The chat route calls it before `streamChatTurn`.
 *
 * @example
 * const routing = planTurnRouting({ bot, question, history, models, retrieval, prices: env.EDGECHAT_PRICES });
 * return streamChatTurn({ …, models: routing.models, route: routing.route, prices: routing.prices });
 */
export function planTurnRouting(input: TurnRoutingInput): TurnRouting {
  const decide = (retrieval: RetrievalSignals) => decideRoute(routeInputFor(input, retrieval));
  return {
    models: tierModelsFor(input.models, input.bot.models, input.bot.id),
    route: decide(input.retrieval ?? NO_RETRIEVAL),
    decide,
    prices: cachedPriceTable(input.prices),
  };
}

let lastPrices: { source: string | undefined; table: PriceTable } | undefined;
function cachedPriceTable(source: string | undefined): PriceTable {
  if (lastPrices === undefined || lastPrices.source !== source) lastPrices = { source, table: priceTableFrom(source) };
  return lastPrices.table;
}

/**
 * What the router sees of a turn: the question, the conversation depth (earlier visitor messages), the
 * previous visitor message and the answer it got (for the second chance), retrieval and the bot's policy.
 */
export function routeInputFor(input: Pick<TurnRoutingInput, "bot" | "question" | "history">, retrieval: RetrievalSignals): RouteInput {
  let conversationDepth = 0;
  let previous: PreviousTurn | undefined;
  for (const message of input.history) {
    if (message.role === "user") {
      conversationDepth++;
      previous = { question: textOf(message) };
    } else if (message.role === "assistant" && previous) previous = { ...previous, answer: textOf(message) };
  }
  return { question: input.question, conversationDepth, retrieval, routing: input.bot.routing, previous };
}

function textOf(message: ModelMessage): string {
  if (typeof message.content === "string") return message.content;
  return message.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join("");
}
