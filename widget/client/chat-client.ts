import { readUIMessageChunks, type UIMessageChunk } from "./ui-message-chunk";
// The script-tag build swaps this for live-channel-loader.ts, which loads widget-live.js on first use.
import { followConversation, requestHandoff } from "./live-channel";

/** One part of a message, as the widget draws it. */
export type ChatMessagePart =
  | { type: "text"; text: string }
  | { type: "source-url"; sourceId: string; url: string; title?: string }
  | { type: "file"; url: string; mediaType: string }
  | { type: "data"; name: string; id?: string; data: unknown };

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  parts: ChatMessagePart[];
  /** Message metadata sent by the server (model, tier, usage…). */
  metadata?: unknown;
  /** For assistant messages: still streaming, complete, stopped by the visitor, or failed. */
  state?: "streaming" | "done" | "stopped" | "error";
}

export type ChatStatus = "ready" | "submitted" | "streaming" | "error";

export interface ChatState {
  messages: readonly ChatMessage[];
  status: ChatStatus;
  /** A message for the visitor when status is "error". */
  error?: string;
  /** Who has the conversation, as the server last said (an edgechat worker; docs/takeover.md). */
  handoff?: Handoff;
}

/** Who has the conversation: the bot ("none"), a person is asked for ("requested") or has it ("human", `agentName`), or nobody came ("timed_out"). */
export interface Handoff {
  state: "none" | "requested" | "human" | "timed_out";
  agentName?: string;
}

/** Pauses before the history is asked for again after a network or server error (then the session is kept as it is). */
export const RESUME_RETRY_MS = [1000, 2000, 4000, 8000, 16000];

export interface ChatClientOptions {
  /** Full URL of the chat endpoint, e.g. "https://bot.example.workers.dev/v1/chat" or any AI SDK route. */
  api: string;
  /** Bot id sent with every request. */
  botId?: string;
  /** Conversation id; a new random one by default. */
  chatId?: string;
  /** Extra JSON fields sent with every request. */
  body?: () => Record<string, unknown>;
  /** Extra headers sent with every request. */
  headers?: () => Record<string, string>;
  /** The fetch to use (defaults to the global one). */
  fetch?: typeof fetch;
  /** Called when the server starts or renews the session (store it to survive a reload). */
  onSession?: (session: ChatSession) => void;
}

/** The conversation's server session, from the `data-session` part at the start of every answer. */
export interface ChatSession {
  sessionId: string;
  token: string;
  /** When the token stops working (ms since the epoch or an ISO date). */
  expiresAt?: number | string;
}

type Listener = (state: ChatState) => void;

/**
 * A headless, framework-free chat client that speaks the AI SDK UI message stream protocol.
 * The edgechat widget is drawn on top of it; use it directly to draw your own UI.
 *
 * @example
 * const client = new ChatClient({ api: "https://my-worker.example/v1/chat", botId: "demo" });
 * client.subscribe((state) => render(state.messages));
 * await client.send("How do I reset my password?");
 */
export class ChatClient {
  private state: ChatState = { messages: [], status: "ready" };
  private readonly listeners = new Set<Listener>();
  private controller: AbortController | undefined;
  /** Position of the assistant message being streamed. */
  private liveIndex = -1;
  /** Index in the streaming message's parts of each text part, by the stream's text id. */
  private textParts: Record<string, number> = {};
  /** Follows the conversation's live events while a person is asked for or has it. */
  private live: AbortController | undefined;
  /** The conversation id sent as `id`: the server's session id once there is one. */
  chatId: string;
  /** The server session, once the server has sent one. */
  session: ChatSession | undefined;

  constructor(private readonly options: ChatClientOptions) {
    this.chatId = options.chatId ?? randomId();
  }

  /** @internal An edgechat endpoint's URL on the worker of `api`. */
  url(path: string): string {
    return new URL(path, new URL(this.options.api, globalThis.location?.href)).href;
  }

  /** @internal Calls the configured fetch (never as a method of this object: the global one would throw). */
  request(url: string, init?: RequestInit): Promise<Response> {
    return (this.options.fetch ?? fetch)(url, init);
  }

  /**
   * Resumes a stored session: the transcript is loaded from the server's history endpoint
   * (`GET /v1/sessions/:id/messages`) and merged before any message sent meanwhile. Returns false when
   * the session has expired or the server does not know it (the client then starts a new conversation);
   * a network or server error keeps the session and asks again after each pause of `RESUME_RETRY_MS`.
   * While a person is asked for or has the conversation, the client follows its live events.
   */
  async resume(session: ChatSession): Promise<boolean> {
    const expires = typeof session.expiresAt === "string" ? Date.parse(session.expiresAt) : session.expiresAt;
    if (expires !== undefined && expires < Date.now()) return false;
    this.session = session;
    this.chatId = session.sessionId;
    let response: Response | undefined;
    for (let attempt = 0; !response || response.status >= 500; attempt++) {
      // Offline or failing for now: keep the session, the conversation goes on where it was.
      if (attempt > RESUME_RETRY_MS.length || this.session !== session) return true;
      if (attempt) await new Promise((resolve) => setTimeout(resolve, RESUME_RETRY_MS[attempt - 1]));
      response = await this.request(this.url(`/v1/sessions/${encodeURIComponent(session.sessionId)}/messages`), {
        headers: { authorization: `Bearer ${session.token}` },
      }).catch(() => undefined);
    }
    try {
      if (!response.ok) throw new Error(String(response.status));
      const { messages, handoff } = (await response.json()) as { messages: Parameters<typeof fromUIMessage>[0][]; handoff?: Handoff };
      if (!Array.isArray(messages)) throw new Error("no messages");
      if (this.session !== session) return true;
      // Messages sent (or synced from another tab) before the history arrived stay, after it.
      const known = new Set(this.state.messages.map((message) => message.id));
      const earlier = messages.map(fromUIMessage).filter((message) => !known.has(message.id));
      if (this.liveIndex >= 0) this.liveIndex += earlier.length;
      this.update({ messages: [...earlier, ...this.state.messages] });
      if (handoff) this.receive(handoff);
      return true;
    } catch {
      // Unknown, expired or revoked (401/404) or not an edgechat backend: start afresh.
      this.session = undefined;
      this.chatId = randomId();
      return false;
    }
  }

  /**
   * Asks for a person (`POST /v1/sessions/:id/handoff`, after the server offered one): the answer's
   * message is shown to the visitor, and the client follows the conversation while a person is asked for.
   * The script-tag widget loads the code for it (and for following) on first use: `widget-live.js` from
   * its worker (docs/takeover.md).
   */
  async requestHandoff(): Promise<void> {
    await requestHandoff(this);
  }

  /**
   * Applies an event of the conversation's live channel: a stored message (added, or replacing this
   * client's copy of it) or who has the conversation (`handoff`), which starts or stops following it.
   */
  receive(event: Parameters<typeof fromUIMessage>[0] | Handoff): void {
    if ("state" in event) {
      const follow = event.state === "requested" || event.state === "human";
      if (!follow) this.live = void this.live?.abort();
      else if (!this.live && this.session) {
        const controller = (this.live = new AbortController());
        // Not loaded (offline, blocked): the next event tries again.
        followConversation(this, controller.signal, this.session).catch(() => this.live === controller && (this.live = undefined));
      }
      this.update({ handoff: event });
      return;
    }
    const message = fromUIMessage(event);
    const messages = [...this.state.messages];
    const index = messages.findIndex((known) => known.id === message.id);
    if (index < 0) messages.push(message);
    else if (index !== this.liveIndex) messages[index] = message;
    this.update({ messages });
  }

  /** Starts a new conversation: stops any answer, forgets the transcript and the session. */
  reset(): void {
    this.stop();
    this.receive({ state: "none" });
    this.session = undefined;
    this.chatId = randomId();
    this.update({ messages: [], status: "ready", error: undefined });
  }

  /**
   * Sends a thumbs up or down for an assistant message to `POST /v1/feedback`.
   * Resolves to whether the server accepted it.
   */
  async feedback(messageId: string, rating: "up" | "down"): Promise<boolean> {
    try {
      const response = await this.request(this.url("/v1/feedback"), {
        method: "POST",
        headers: { "content-type": "application/json", ...(this.session ? { authorization: `Bearer ${this.session.token}` } : {}) },
        body: JSON.stringify({ botId: this.options.botId, sessionId: this.session?.sessionId ?? this.chatId, messageId, rating }),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** The current messages, status and error. */
  get snapshot(): ChatState {
    return this.state;
  }

  /** Calls `listener` on every change; returns a function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces the transcript, e.g. with one loaded from the server after a reload. */
  setMessages(messages: readonly ChatMessage[]): void {
    this.update({ messages, status: "ready", error: undefined });
  }

  /** True while a request is being sent or an answer streams in. */
  get busy(): boolean {
    return this.state.status === "submitted" || this.state.status === "streaming";
  }

  /** Sends a user message and streams the assistant's answer into the state. */
  async send(text: string): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed || this.state.status === "submitted" || this.state.status === "streaming") return;
    const userMessage: ChatMessage = { id: randomId(), role: "user", parts: [{ type: "text", text: trimmed }] };
    this.update({ messages: [...this.state.messages, userMessage], status: "submitted", error: undefined });
    await this.stream(userMessage);
  }

  /** Sends the last user message again after an error. */
  async retry(): Promise<void> {
    const messages = [...this.state.messages];
    while (messages.length && messages[messages.length - 1]!.role === "assistant") messages.pop();
    const last = messages[messages.length - 1];
    if (!last) return;
    this.update({ messages, status: "submitted", error: undefined });
    await this.stream(last);
  }

  /** Stops the answer being streamed; the text received so far is kept. */
  stop(): void {
    this.controller?.abort();
  }

  private async stream(userMessage: ChatMessage): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.liveIndex = -1;
    this.textParts = {};
    const assistant: ChatMessage = { id: randomId(), role: "assistant", parts: [], state: "streaming" };
    try {
      const response = await (this.options.fetch ?? fetch)(this.options.api, {
        method: "POST",
        headers: { "content-type": "application/json", ...this.options.headers?.() },
        body: JSON.stringify({
          id: this.chatId,
          messages: [userMessage],
          trigger: "submit-message",
          botId: this.options.botId,
          ...(this.session ? { sessionToken: this.session.token } : {}),
          // A person has the conversation: the server then starts no retrieval before it checks.
          ...(this.state.handoff?.state === "human" ? { handoff: "human" } : {}),
          ...this.options.body?.(),
        }),
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(await errorMessage(response));
      this.liveIndex = this.state.messages.length;
      this.update({ messages: [...this.state.messages, assistant], status: "streaming" });
      let sliceStarted = Date.now();
      for await (const chunk of readUIMessageChunks(response.body, controller.signal)) {
        const failure = this.apply(assistant, chunk);
        if (failure) throw new Error(failure);
        // When a burst of chunks arrives at once, give the page a turn every few milliseconds
        // instead of one long task (input stays responsive, renders can happen in between).
        if (Date.now() - sliceStarted > 8) {
          await new Promise((resolve) => setTimeout(resolve));
          sliceStarted = Date.now();
        }
      }
      if (controller.signal.aborted) throw new DOMException("stopped", "AbortError");
      this.finish(assistant, "done", "ready");
    } catch (error) {
      if (controller.signal.aborted) this.finish(assistant, "stopped", "ready");
      else this.finish(assistant, "error", "error", error instanceof Error ? error.message : String(error));
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
  }

  /** Applies one stream chunk to the assistant message; returns an error text for an error chunk. */
  private apply(message: ChatMessage, chunk: UIMessageChunk): string | undefined {
    const parts = message.parts;
    switch (chunk.type) {
      case "start": {
        if (chunk.messageId) message.id = chunk.messageId;
        const metadata = chunk.messageMetadata as { takeover?: Handoff } | undefined;
        if (metadata !== undefined) message.metadata = metadata;
        if (metadata?.takeover) this.receive(metadata.takeover);
        break;
      }
      case "text-start":
        this.textParts[chunk.id] = parts.push({ type: "text", text: "" }) - 1;
        break;
      case "text-delta": {
        // A delta belongs to the text part of its id: a data part (an image placeholder) that
        // arrives between two deltas must not split the sentence in two.
        const index = this.textParts[chunk.id] ?? parts.length - 1;
        const part = parts[index];
        if (part?.type === "text") parts[index] = { type: "text", text: part.text + chunk.delta };
        else parts.push({ type: "text", text: chunk.delta });
        break;
      }
      case "source-url":
        parts.push({ type: "source-url", sourceId: chunk.sourceId, url: chunk.url, title: chunk.title });
        break;
      case "file":
        parts.push({ type: "file", url: chunk.url, mediaType: chunk.mediaType });
        break;
      case "message-metadata":
      case "finish":
        if (chunk.messageMetadata !== undefined) message.metadata = { ...(message.metadata as object), ...(chunk.messageMetadata as object) };
        break;
      case "error":
        return chunk.errorText || "The answer could not be completed.";
      default:
        if (chunk.type.startsWith("data-")) {
          const data = chunk as { type: string; id?: string; data: unknown; transient?: boolean };
          const name = data.type.slice(5);
          if (name === "session") {
            const session = data.data as ChatSession;
            if (session && typeof session.sessionId === "string" && typeof session.token === "string") {
              this.session = session;
              this.chatId = session.sessionId;
              this.options.onSession?.(session);
            }
            return undefined;
          }
          if (data.transient) return undefined;
          const index = data.id === undefined ? -1 : parts.findIndex((p) => p.type === "data" && p.name === name && p.id === data.id);
          const part: ChatMessagePart = { type: "data", name, id: data.id, data: data.data };
          if (index >= 0) parts[index] = part;
          else parts.push(part);
        } else return undefined;
    }
    this.replace(message);
    return undefined;
  }

  private finish(message: ChatMessage, state: ChatMessage["state"], status: ChatStatus, error?: string): void {
    message.state = state;
    if ((message.metadata as { takeover?: unknown } | undefined)?.takeover) {
      // A person has the conversation: the message was sent, and the answer comes on the live channel.
      this.update({ messages: this.state.messages.filter((_, index) => index !== this.liveIndex), status });
      this.liveIndex = -1;
      return;
    }
    if (this.liveIndex < 0) {
      // Failed before the answer started: show the failure as an (empty) assistant message.
      this.liveIndex = this.state.messages.length;
      this.state = { ...this.state, messages: [...this.state.messages, message] };
    }
    if (error !== undefined) this.state = { ...this.state, error };
    this.replace(message, status);
    this.liveIndex = -1;
    this.textParts = {};
  }

  /** Swaps in a fresh copy of the live message so renderers see a new object only for what changed. */
  private replace(message: ChatMessage, status: ChatStatus = this.state.status): void {
    const messages = [...this.state.messages];
    messages[this.liveIndex] = { ...message, parts: [...message.parts] };
    this.update({ messages, status });
  }

  private update(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

/** Turns a stored AI SDK UIMessage (`data-x` parts, step markers, tool parts) into the widget's message shape. */
export function fromUIMessage(message: { id: string; role: string; parts?: { type: string; [key: string]: unknown }[]; metadata?: unknown }): ChatMessage {
  const parts: ChatMessagePart[] = [];
  for (const part of message.parts ?? []) {
    if (part.type === "text" || part.type === "source-url" || part.type === "file") parts.push(part as ChatMessagePart);
    else if (part.type.startsWith("data-") && part.type !== "data-session") {
      parts.push({ type: "data", name: part.type.slice(5), id: part.id as string | undefined, data: part.data });
    }
  }
  const role = message.role === "user" ? "user" : "assistant";
  return { id: message.id, role, parts, metadata: message.metadata, state: role === "assistant" ? "done" : undefined };
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    /* not our JSON error */
  }
  return `The chat service answered with status ${response.status}.`;
}

/**
 * A random 128-bit id (32 hex digits) from the platform's CSPRNG. getRandomValues, unlike
 * randomUUID, also works on plain-http pages, where many sites still embed widgets.
 *
 * @example
 * randomId() // "9f86d081884c7d659a2feaa0c55ad015"
 */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
