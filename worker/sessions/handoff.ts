import type { UIMessageChunk } from "ai";
import type { StoredMessage } from "./chat-session";
import { FetchRefusedError, type FetchPolicy } from "../fetch/address-policy";
import { FetchFailedError, guardedFetch } from "../fetch/guarded-fetch";

/** What the bot's webhook receives when a visitor accepts a human handoff. */
export interface HandoffPayload {
  type: "edgechat.handoff";
  deliveryId: string;
  botId: string;
  sessionId: string;
  /** How the visitor wants to be reached, if they said. */
  contact?: string;
  note?: string;
  requestedAt: number;
  messages: { role: "user" | "assistant"; text: string; status: string; createdAt: number }[];
}

const encoder = new TextEncoder();

/** Pauses between webhook attempts; tests shorten them. */
export const HANDOFF_RETRY_DELAYS_MS = { value: [500, 2000] };

/** What the visitor reads once the team has the conversation through the webhook. */
export function handoffSentMessage(contact?: string): string {
  return contact
    ? `Thanks! A person from the team has this conversation and will contact you at ${contact}.`
    : "Thanks! A person from the team now has this conversation and will follow up as soon as they can.";
}

/** What the visitor reads when the webhook could not be reached. */
export const HANDOFF_FAILED_MESSAGE = "We could not reach the team just now. Please try again in a moment.";

/**
 * The signature header value for a webhook body: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
 * Receivers recompute it with the bot's handoff secret and compare in constant time; the timestamp
 * (header `x-edgechat-timestamp`, unix seconds) lets them refuse old replays.
 *
 * @example
 * const expected = await signWebhook(secret, request.headers.get("x-edgechat-timestamp"), await request.text());
 */
export async function signWebhook(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`)));
  return `v1=${[...signature].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * POSTs the transcript to the bot's webhook, signed, retrying on network errors and 5xx/429 answers with
 * growing pauses. Every attempt carries the same `x-edgechat-delivery` id so a receiver can drop duplicates.
 * The request goes through the SSRF-guarded fetcher (the owner chose the URL): private addresses, local names
 * and redirects are refused without retry. Returns whether some attempt was accepted (2xx).
 */
export async function deliverHandoff(input: {
  url: string;
  secret: string;
  payload: HandoffPayload;
  /** Which hosts the webhook may reach (fetchPolicyFromEnv). */
  policy: FetchPolicy;
  fetch?: typeof fetch;
  /** Pauses before the 2nd, 3rd… attempt. */
  retryDelaysMs?: number[];
}): Promise<{ delivered: boolean; attempts: number }> {
  const body = JSON.stringify(input.payload);
  const delays = input.retryDelaysMs ?? [500, 2000];
  let attempts = 0;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
    attempts++;
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await guardedFetch(input.url, {
        policy: input.policy,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "edgechat-handoff/1",
          "x-edgechat-delivery": input.payload.deliveryId,
          "x-edgechat-timestamp": timestamp,
          "x-edgechat-signature": await signWebhook(input.secret, timestamp, body),
        },
        body,
        maxRedirects: 0,
        timeoutMs: 10_000,
        maxBytes: 1024 * 1024,
        fetch: input.fetch,
      });
      if (response.status >= 200 && response.status <= 299) return { delivered: true, attempts };
      if (response.status < 500 && response.status !== 429) return { delivered: false, attempts };
    } catch (error) {
      console.error("edgechat: handoff delivery failed", error);
      if (error instanceof FetchRefusedError || (error instanceof FetchFailedError && error.code === "too_many_redirects")) return { delivered: false, attempts };
    }
  }
  return { delivered: false, attempts };
}

/** The transcript as the webhook receives it. */
export function handoffMessages(messages: StoredMessage[]): HandoffPayload["messages"] {
  return messages.map((message) => ({ role: message.role, text: message.text, status: message.status, createdAt: message.createdAt }));
}

const ASKS_FOR_A_PERSON =
  /\b(human|real person|a person|someone real|live (agent|chat|person)|(support|customer service) (agent|team|person|rep)|representative|speak to (someone|an? agent|support)|talk to (someone|an? agent|support|a person))\b/i;

/**
 * Whether to offer a human handoff on this turn: the visitor asks for a person, or the last two answers
 * could not help (failed, or answered without any source).
 */
export function shouldOfferHandoff(question: string, recentAnswers: { status: string; metadata: Record<string, unknown> }[]): boolean {
  if (ASKS_FOR_A_PERSON.test(question)) return true;
  const lastTwo = recentAnswers.slice(-2);
  return lastTwo.length === 2 && lastTwo.every((answer) => answer.status === "failed" || answer.metadata.grounded === false);
}

/** The `data-handoff` part that tells the widget to offer "talk to a person" (before the answer). */
export function handoffOfferChunk(): UIMessageChunk {
  return { type: "data-handoff", id: "handoff", data: { offered: true } };
}
