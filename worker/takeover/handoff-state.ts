import type { Bot } from "../bots/bot";

/**
 * Who has a conversation (docs/takeover.md): the bot ("none"), the bot while the visitor waits for a person
 * ("requested"), a person ("human", `agentName`), or nobody came in time and the webhook handoff ran ("timed_out").
 * `requestedAt` is when the visitor asked for a person, `since` when the current state began (unix ms).
 */
export type HandoffState = {
  state: "none" | "requested" | "human" | "timed_out";
  agentName?: string;
  requestedAt?: number;
  since?: number;
};

/** Who wrote a message: the visitor, the AI, or a person of the team (by display name). */
export type MessageAuthor = { kind: "visitor" } | { kind: "ai" } | { kind: "human"; name: string };

/** How long a visitor waits for a member to take over before the webhook handoff runs, unless the bot sets it. */
export const DEFAULT_TAKEOVER_TIMEOUT_SECONDS = 120;

/** The bot's `handoff.takeoverTimeoutSeconds` in milliseconds (0: the webhook handoff runs at once, as before takeover existed). */
export function takeoverTimeoutMs(bot: Pick<Bot, "handoff">): number {
  return (bot.handoff?.takeoverTimeoutSeconds ?? DEFAULT_TAKEOVER_TIMEOUT_SECONDS) * 1000;
}
