// The conversations API's JSON shapes (issue 13; the contract shared by the inbox, takeover and console pages).

/** What the inbox filters on; each is true when any answer of the conversation had it. */
export interface ConversationFlags {
  /** A person was offered (the handoff offer) or asked for (the visitor accepted it). */
  needsPerson: boolean;
  /** An answer is currently rated thumbs down. */
  thumbsDown: boolean;
  /** An answer found no sources (retrieval found nothing or failed). */
  noSources: boolean;
  /** An answer went to the large model. */
  escalated: boolean;
  /** An answer failed or was stopped. */
  failed: boolean;
}

export const CONVERSATION_FLAGS = ["needsPerson", "thumbsDown", "noSources", "escalated", "failed"] as const satisfies readonly (keyof ConversationFlags)[];
export type ConversationFlag = (typeof CONVERSATION_FLAGS)[number];

export interface HandoffState {
  state: "none" | "requested" | "human" | "timed_out";
  agentName?: string;
  requestedAt?: number;
  since?: number;
}

/** One row of the inbox (times in unix ms). */
export interface ConversationSummary {
  sessionId: string;
  botId: string;
  startedAt: number;
  lastActivityAt: number;
  firstQuestion: string | null;
  turns: number;
  costUsd: number;
  flags: ConversationFlags;
  handoff: HandoffState;
}

export type { MessageAuthor } from "../takeover/handoff-state";
import type { MessageAuthor } from "../takeover/handoff-state";

/** One message of a transcript as the console shows it (text is Markdown, rendered safely, never as HTML). */
export interface TranscriptMessage {
  id: string;
  role: "user" | "assistant";
  author: MessageAuthor;
  createdAt: number;
  status: string;
  text: string;
  parts?: unknown[];
  metadata?: TranscriptAnswerMetadata;
}

/** What is known about one answer; absent fields are unknown. */
export interface TranscriptAnswerMetadata {
  tier?: "small" | "large" | "none";
  model?: string;
  escalated?: boolean;
  routeReasons?: string[];
  failoverReasons?: string[];
  costUsd?: number;
  sources?: { title?: string; url?: string; score?: number }[];
  curated?: boolean;
  correctionId?: string;
  feedback?: "up" | "down";
  author?: MessageAuthor;
}
