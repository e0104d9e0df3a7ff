import { DurableObject } from "cloudflare:workers";
import type { TurnOutcome } from "../chat/turn-outcome";
import type { EdgechatEnv } from "../env";
import type { HandoffState } from "../takeover/handoff-state";
import { conversationEvent, KEEPALIVE_EVENT, type EventAudience } from "../takeover/session-events";
import { deliverTimedOutHandoff } from "../takeover/handoff-timeout";
import { recordHandoffState } from "../takeover/handoff-index";

/** One message of a conversation as the session stores it. */
export interface StoredMessage {
  id: string;
  role: "user" | "assistant";
  text: string;
  /** Assistant messages: how the turn ended. User messages: "complete". */
  status: "complete" | "stopped" | "failed";
  sources: TurnOutcome["sources"];
  files: TurnOutcome["files"];
  /** Message metadata as streamed (model, tier, usage…); JSON. */
  metadata: Record<string, unknown>;
  /** For assistant messages: the user message they answer. */
  replyTo?: string;
  createdAt: number;
}

/** What `beginTurn` decided about a user message. */
export type TurnStart =
  /** A new message, now stored: answer it. */
  | { kind: "new" }
  /** The same message id was sent again and already has a complete answer: replay it, call no model. */
  | { kind: "answered"; answer: StoredMessage }
  /** The same message id was sent again, its earlier answer failed or was stopped: answer again, store nothing twice. */
  | { kind: "retry" }
  /** The same message id is being answered right now. */
  | { kind: "busy" }
  /** The conversation has reached its maximum number of user messages. */
  | { kind: "full" };

/** What `openTurn` found and did, in one call. */
export type OpenedTurn =
  /** The session belongs to another bot: nothing stored. */
  | { kind: "wrong_bot" }
  /** The bot needs a human check this session has not passed: nothing stored. */
  | { kind: "unverified" }
  | (TurnStart & {
      /** The conversation before this message, for the model (only for "new" and "retry"). */
      history: { role: "user" | "assistant"; text: string }[];
      /** The latest answers, newest last (for the handoff offer). */
      recentAnswers: Pick<StoredMessage, "status" | "metadata">[];
      /** Whether the session has passed the human check (Turnstile). */
      verified: boolean;
      /** Who has the conversation: while a person has it ("human"), the message is stored and no live turn is opened. */
      handoff: HandoffState;
    });

/** What `requestHandoff` did. */
export type HandoffRequest =
  /** The webhook handoff already ran for this conversation. */
  | { kind: "already_sent" }
  /** The conversation waits for a member (`first`: this call asked; false when it was already asked or taken). */
  | { kind: "requested"; first: boolean; handoff: HandoffState; firstQuestion: string | null };

/** What `postAgentMessage` did. */
export type AgentPost = { kind: "stored"; message: StoredMessage } | { kind: "not_taken_over" } | { kind: "id_taken" };

/** Comment lines keep idle event streams open through proxies. */
const KEEPALIVE_MS = 25_000;

/** Most event listeners one conversation keeps (a visitor's tabs and the agents watching): each holds memory. */
export const MAX_EVENT_LISTENERS = 32;

/** A turn whose answer has not been recorded within this time is considered dead (worker evicted). */
const TURN_STALE_MS = 5 * 60 * 1000;

/**
 * One conversation: a Durable Object with SQLite storage, addressed by `bot id + session id`, that holds
 * the transcript. The visitor's message is stored before any model call (`beginTurn`); the assistant's is
 * stored exactly once (`recordAnswer`, keyed by its message id) with the text that was actually streamed.
 * The worker builds the model's history from here only (`history`), never from the request.
 */
export class ChatSession extends DurableObject {
  private readonly sql: SqlStorage;
  private readonly bindings: EdgechatEnv;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.bindings = env as EdgechatEnv;
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL,
        sources TEXT NOT NULL DEFAULT '[]',
        files TEXT NOT NULL DEFAULT '[]',
        metadata TEXT NOT NULL DEFAULT '{}',
        reply_to TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS pending_turns (user_message_id TEXT PRIMARY KEY, started_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS live_chunks (seq INTEGER PRIMARY KEY AUTOINCREMENT, turn_id TEXT NOT NULL, text TEXT NOT NULL);
    `);
  }

  /** Readers following the answer being streamed (a reloaded page), by turn id. In memory: they keep the object alive. */
  private readonly followers = new Map<string, Set<ReadableStreamDefaultController<Uint8Array>>>();

  /** Starts recording the stream of a new answer (one at a time per conversation). */
  openLiveTurn(turnId: string): void {
    const previous = this.meta("live_turn");
    if (previous !== undefined) this.closeFollowers(previous);
    this.sql.exec("DELETE FROM live_chunks");
    this.setMeta("live_turn", turnId);
    this.sql.exec("DELETE FROM meta WHERE key = 'stop_turn'");
  }

  /**
   * Appends streamed text (server-sent events, as sent) of the live answer and passes it to followers;
   * `done` ends it. Returns whether the visitor asked to stop this answer.
   */
  appendLive(turnId: string, text: string, done: boolean): { stopRequested: boolean } {
    const live = this.meta("live_turn") === turnId;
    if (live && text) {
      this.sql.exec("INSERT INTO live_chunks (turn_id, text) VALUES (?, ?)", turnId, text);
      const bytes = new TextEncoder().encode(text);
      for (const controller of this.followers.get(turnId) ?? []) controller.enqueue(bytes);
    }
    const stopRequested = this.meta("stop_turn") === turnId;
    if (live && done) {
      this.closeFollowers(turnId);
      this.sql.exec("DELETE FROM live_chunks");
      this.sql.exec("DELETE FROM meta WHERE key IN ('live_turn', 'stop_turn')");
    }
    return { stopRequested };
  }

  /** Asks the live answer to stop; false when nothing is streaming. */
  requestStop(): boolean {
    const live = this.meta("live_turn");
    if (live === undefined) return false;
    this.setMeta("stop_turn", live);
    return true;
  }

  /**
   * The live answer from its first chunk: everything streamed so far, then each new chunk as it arrives,
   * closed at its end. Null when no answer is streaming.
   */
  followLive(): ReadableStream<Uint8Array> | null {
    const turnId = this.meta("live_turn");
    if (turnId === undefined) return null;
    const stored = this.sql.exec<{ text: string }>("SELECT text FROM live_chunks WHERE turn_id = ? ORDER BY seq", turnId).toArray();
    let registered: ReadableStreamDefaultController<Uint8Array> | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        const encoder = new TextEncoder();
        for (const row of stored) controller.enqueue(encoder.encode(row.text));
        registered = controller;
        const set = this.followers.get(turnId) ?? new Set();
        set.add(controller);
        this.followers.set(turnId, set);
      },
      cancel: () => {
        if (registered) this.followers.get(turnId)?.delete(registered);
      },
    });
  }

  private closeFollowers(turnId: string): void {
    for (const controller of this.followers.get(turnId) ?? []) {
      try {
        controller.close();
      } catch {
        // Already closed by its reader.
      }
    }
    this.followers.delete(turnId);
  }

  /** Binds a new session to its bot, or checks that an existing one belongs to it. */
  bind(botId: string): boolean {
    const owner = this.meta("bot_id");
    if (owner === undefined) {
      this.setMeta("bot_id", botId);
      return true;
    }
    return owner === botId;
  }

  /**
   * Everything a chat turn needs from its conversation before the model call, in ONE call (one wait on
   * the critical path instead of five): binds a new session to its bot (or checks the owner), applies the
   * human check (`verification`: "passed" records a pass the worker just verified, "required" refuses an
   * unverified session, "none" skips it), stores the visitor's message (`beginTurn`: idempotent by its
   * id), and for a message to answer returns the history and opens the live turn (`openLiveTurn`, turn id =
   * message id). A Durable Object runs one call at a time, so all of it happens as one step.
   */
  openTurn(input: {
    botId: string;
    messageId: string;
    text: string;
    maxUserMessages: number;
    now: number;
    verification: "none" | "required" | "passed";
    history: { maxMessages: number; maxChars: number };
    recentAnswers: number;
  }): OpenedTurn {
    if (!this.bind(input.botId)) return { kind: "wrong_bot" };
    if (input.verification === "passed") this.markVerified();
    else if (input.verification === "required" && !this.isVerified()) return { kind: "unverified" };
    const start = this.beginTurn(input);
    const handoff = this.handoffState();
    const recentAnswers = input.recentAnswers > 0 ? this.recentAnswers(input.recentAnswers) : [];
    const verified = this.isVerified();
    if (start.kind !== "new" && start.kind !== "retry") return { ...start, history: [], recentAnswers, verified, handoff };
    if (handoff.state === "human") {
      // A person has the conversation: the message is stored (and was fanned out); no answer is pending.
      this.sql.exec("DELETE FROM pending_turns WHERE user_message_id = ?", input.messageId);
      return { ...start, history: [], recentAnswers: [], verified, handoff };
    }
    const history = this.history({ beforeMessageId: input.messageId, ...input.history });
    this.openLiveTurn(input.messageId);
    return { ...start, history, recentAnswers, verified, handoff };
  }

  /** Stores the visitor's message (idempotent by its id) and says whether and how to answer it. */
  beginTurn(input: { messageId: string; text: string; maxUserMessages: number; now: number }): TurnStart {
    const existing = this.row(input.messageId);
    if (existing) {
      if (existing.role !== "user") return { kind: "busy" };
      const answer = this.latestAnswerTo(input.messageId);
      if (answer?.status === "complete") return { kind: "answered", answer };
      if (this.isPending(input.messageId, input.now)) return { kind: "busy" };
      this.sql.exec("INSERT OR REPLACE INTO pending_turns (user_message_id, started_at) VALUES (?, ?)", input.messageId, input.now);
      return { kind: "retry" };
    }
    const userMessages = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE role = 'user'").one().n;
    if (userMessages >= input.maxUserMessages) return { kind: "full" };
    this.sql.exec(
      "INSERT INTO messages (id, role, text, status, created_at) VALUES (?, 'user', ?, 'complete', ?)",
      input.messageId,
      input.text,
      input.now,
    );
    this.sql.exec("INSERT OR REPLACE INTO pending_turns (user_message_id, started_at) VALUES (?, ?)", input.messageId, input.now);
    this.publishMessage(input.messageId);
    return { kind: "new" };
  }

  /**
   * Stores the assistant's message exactly once: a second call with the same message id changes nothing.
   * Returns whether this call stored it.
   */
  recordAnswer(input: { replyTo: string; messageId: string; outcome: Omit<TurnOutcome, "messageId">; now: number }): boolean {
    this.sql.exec("DELETE FROM pending_turns WHERE user_message_id = ?", input.replyTo);
    const { outcome } = input;
    if (this.row(input.messageId)) return false;
    this.sql.exec(
      `INSERT INTO messages (id, role, text, status, sources, files, metadata, reply_to, created_at)
       VALUES (?, 'assistant', ?, ?, ?, ?, ?, ?, ?)`,
      input.messageId,
      outcome.text,
      outcome.status,
      JSON.stringify(outcome.sources),
      JSON.stringify(outcome.files),
      JSON.stringify(outcome.metadata),
      input.replyTo,
      input.now,
    );
    this.publishMessage(input.messageId);
    return true;
  }

  /** The whole transcript, oldest first. */
  messages(): StoredMessage[] {
    return this.sql.exec<MessageRow>("SELECT * FROM messages ORDER BY seq").toArray().map(toStoredMessage);
  }

  /**
   * The conversation before `beforeMessageId` as the model should see it: user messages and the answers the
   * visitor saw (failed answers left out), newest last, at most `maxMessages` and `maxChars` characters.
   */
  history(input: { beforeMessageId: string; maxMessages: number; maxChars: number }): { role: "user" | "assistant"; text: string }[] {
    const before = this.row(input.beforeMessageId)?.seq ?? Number.MAX_SAFE_INTEGER;
    const rows = this.sql
      .exec<MessageRow>(
        "SELECT * FROM messages WHERE seq < ? AND status != 'failed' AND text != '' ORDER BY seq DESC LIMIT ?",
        before,
        input.maxMessages,
      )
      .toArray();
    const picked: { role: "user" | "assistant"; text: string }[] = [];
    let chars = 0;
    for (const row of rows) {
      chars += row.text.length;
      if (chars > input.maxChars) break;
      picked.unshift({ role: row.role, text: row.text });
    }
    // A history that starts with an answer lost its question: drop it.
    while (picked[0]?.role === "assistant") picked.shift();
    return picked;
  }

  /** The latest assistant answers, newest last (for deciding whether to offer a person). */
  recentAnswers(limit: number): Pick<StoredMessage, "status" | "metadata">[] {
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE role = 'assistant' ORDER BY seq DESC LIMIT ?", limit)
      .toArray()
      .reverse()
      .map((row) => ({ status: row.status, metadata: JSON.parse(row.metadata) }));
  }

  /** Records that the conversation was handed to a person; false when it already was. */
  markHandedOff(now: number): boolean {
    if (this.meta("handed_off_at") !== undefined) return false;
    this.setMeta("handed_off_at", String(now));
    return true;
  }

  /** Forgets a handoff whose delivery failed, so the visitor can try again. */
  clearHandoff(): void {
    this.sql.exec("DELETE FROM meta WHERE key = 'handed_off_at'");
  }

  /**
   * Erases the conversation (issue 13: erasure and retention): the rows of every table of this object,
   * whatever feature made it, and any alarm; followers of a live answer are closed. Returns how many
   * messages there were and the URLs of the files (generated images) they showed, for the caller to delete.
   */
  async erase(): Promise<{ messages: number; fileUrls: string[] }> {
    const rows = this.sql.exec<{ files: string }>("SELECT files FROM messages").toArray();
    const fileUrls = rows.flatMap((row) => (JSON.parse(row.files) as { url: string }[]).map((file) => file.url));
    for (const turnId of [...this.followers.keys()]) this.closeFollowers(turnId);
    for (const listener of this.listeners) {
      try {
        listener.controller.close();
      } catch {
        // already closed
      }
    }
    this.listeners.clear();
    const tables = this.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'")
      .toArray();
    for (const { name } of tables) this.sql.exec(`DELETE FROM "${name.replaceAll('"', '""')}"`);
    await this.ctx.storage.deleteAlarm();
    return { messages: rows.length, fileUrls };
  }

  /** Who has the conversation now (docs/takeover.md). */
  handoffState(): HandoffState {
    const stored = this.meta("handoff");
    return stored === undefined ? { state: "none" } : (JSON.parse(stored) as HandoffState);
  }

  /**
   * The visitor asked for a person: the conversation waits for a member ("requested") until `timeoutMs`
   * from now, when the alarm runs the webhook handoff unless a member took it. Asking again changes nothing.
   */
  async requestHandoff(input: { botId: string; sessionId: string; now: number; timeoutMs: number; contact?: string; note?: string }): Promise<HandoffRequest> {
    if (this.meta("handed_off_at") !== undefined) return { kind: "already_sent" };
    const current = this.handoffState();
    const firstQuestion = this.firstQuestion();
    if (current.state === "requested" || current.state === "human") return { kind: "requested", first: false, handoff: current, firstQuestion };
    this.bind(input.botId);
    this.setMeta("session_id", input.sessionId);
    this.setMeta("handoff_contact", JSON.stringify({ contact: input.contact, note: input.note }));
    this.setMeta("handoff_deadline", String(input.now + input.timeoutMs));
    const handoff = this.setHandoff({ state: "requested", requestedAt: input.now, since: input.now });
    await this.ctx.storage.setAlarm(input.now + input.timeoutMs);
    return { kind: "requested", first: true, handoff, firstQuestion };
  }

  /**
   * A person takes the conversation: the bot stops answering it (an answer streaming now is stopped) and a
   * pending webhook handoff is called off. Taking a conversation someone else has moves it to this person.
   */
  async takeOver(input: { agentName: string; now: number }): Promise<HandoffState> {
    const current = this.handoffState();
    await this.ctx.storage.deleteAlarm();
    this.sql.exec("DELETE FROM meta WHERE key = 'handoff_deadline'");
    this.requestStop();
    if (current.state === "human" && current.agentName === input.agentName) return current;
    return this.setHandoff({ state: "human", agentName: input.agentName, requestedAt: current.requestedAt, since: input.now });
  }

  /** Hands the conversation back to the bot (also dismisses a request or a timed-out handoff). */
  async release(now: number): Promise<HandoffState> {
    await this.ctx.storage.deleteAlarm();
    this.sql.exec("DELETE FROM meta WHERE key = 'handoff_deadline'");
    if (this.handoffState().state === "none") return this.handoffState();
    return this.setHandoff({ state: "none", since: now });
  }

  /**
   * Stores a person's message (only while a person has the conversation), once: a message id sent again
   * returns the stored message. It is fanned out to every listener in transcript order. The author is the
   * person who has the conversation.
   */
  postAgentMessage(input: { messageId: string; text: string; now: number }): AgentPost {
    const existing = this.row(input.messageId);
    if (existing) {
      const message = toStoredMessage(existing);
      return (message.metadata.author as { kind?: string } | undefined)?.kind === "human" ? { kind: "stored", message } : { kind: "id_taken" };
    }
    const handoff = this.handoffState();
    if (handoff.state !== "human") return { kind: "not_taken_over" };
    const metadata = { author: { kind: "human", name: handoff.agentName ?? "Support" }, model: "none", source: "human", createdAt: input.now };
    this.sql.exec(
      "INSERT INTO messages (id, role, text, status, metadata, created_at) VALUES (?, 'assistant', ?, 'complete', ?, ?)",
      input.messageId,
      input.text,
      JSON.stringify(metadata),
      input.now,
    );
    this.publishMessage(input.messageId);
    return { kind: "stored", message: toStoredMessage(this.row(input.messageId)!) };
  }

  /**
   * The conversation's live events for one listener: first who has the conversation (`event: handoff`),
   * then the messages stored after `afterMessageId` (a reconnect), then every message as it is stored and
   * every change of hands, in order. In memory: a listener keeps the object awake (docs/takeover.md).
   * Null when the conversation already has `MAX_EVENT_LISTENERS` listeners.
   */
  followEvents(input: { audience: EventAudience; afterMessageId?: string }): ReadableStream<Uint8Array> | null {
    if (this.listeners.size >= MAX_EVENT_LISTENERS) return null;
    const after = input.afterMessageId === undefined ? undefined : this.row(input.afterMessageId)?.seq;
    const missed = after === undefined ? [] : this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq > ? ORDER BY seq", after).toArray();
    let listener: Listener | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.enqueue(conversationEvent(input.audience, { handoff: this.handoffState() }));
        for (const row of missed) controller.enqueue(conversationEvent(input.audience, { message: toStoredMessage(row) }));
        listener = { audience: input.audience, controller };
        this.listeners.add(listener);
        this.keepAlive();
      },
      cancel: () => {
        if (listener) this.listeners.delete(listener);
      },
    });
  }

  /**
   * The alarm of a handoff request nobody took in time: the webhook handoff runs, the visitor reads what
   * happens next (a message, stored and fanned out), then the state becomes "timed_out" (in that order, so
   * a widget that stops listening at "timed_out" has the message). A member who takes the conversation
   * while the webhook is being delivered keeps it: no notice, no state change.
   */
  override async alarm(): Promise<void> {
    const deadline = Number(this.meta("handoff_deadline"));
    const requested = this.handoffState();
    if (requested.state !== "requested" || !Number.isFinite(deadline)) return;
    if (Date.now() < deadline) {
      await this.ctx.storage.setAlarm(deadline);
      return;
    }
    this.sql.exec("DELETE FROM meta WHERE key = 'handoff_deadline'");
    const botId = this.meta("bot_id")!;
    const sessionId = this.meta("session_id")!;
    const { contact, note } = JSON.parse(this.meta("handoff_contact") ?? "{}") as { contact?: string; note?: string };
    const outcome = this.markHandedOff(Date.now())
      ? await deliverTimedOutHandoff(this.bindings, { botId, sessionId, contact, note, requestedAt: requested.requestedAt ?? Date.now(), messages: this.messages() })
      : undefined;
    if (this.handoffState().state !== "requested") return;
    if (outcome) {
      if (!outcome.delivered) this.clearHandoff(); // the visitor may ask again
      const messageId = crypto.randomUUID();
      const now = Date.now();
      const metadata = { model: "none", source: "handoff", handoff: outcome.delivered ? "sent" : "failed", createdAt: now };
      this.sql.exec(
        "INSERT INTO messages (id, role, text, status, metadata, created_at) VALUES (?, 'assistant', ?, 'complete', ?, ?)",
        messageId,
        outcome.message,
        JSON.stringify(metadata),
        now,
      );
      this.publishMessage(messageId);
    }
    const handoff = this.setHandoff({ ...requested, state: "timed_out", since: Date.now() });
    await recordHandoffState(this.bindings.DB, { botId, sessionId, handoff }).catch((error: unknown) => console.error("edgechat: handoff index", error));
  }

  private readonly listeners = new Set<Listener>();
  private keepAliveTimer: ReturnType<typeof setInterval> | null = null;

  private setHandoff(handoff: HandoffState): HandoffState {
    this.setMeta("handoff", JSON.stringify(handoff));
    this.publish({ handoff });
    return handoff;
  }

  private publishMessage(messageId: string): void {
    if (this.listeners.size === 0) return;
    const row = this.row(messageId);
    if (row) this.publish({ message: toStoredMessage(row) });
  }

  private publish(event: { message: StoredMessage } | { handoff: HandoffState }): void {
    const encoded = new Map<EventAudience, Uint8Array>();
    for (const listener of this.listeners) {
      const bytes = encoded.get(listener.audience) ?? conversationEvent(listener.audience, event);
      encoded.set(listener.audience, bytes);
      this.send(listener, bytes);
    }
  }

  private send(listener: Listener, bytes: Uint8Array): void {
    try {
      listener.controller.enqueue(bytes);
    } catch {
      this.listeners.delete(listener); // its reader is gone
    }
  }

  private keepAlive(): void {
    if (this.keepAliveTimer !== null) return;
    this.keepAliveTimer = setInterval(() => {
      for (const listener of this.listeners) this.send(listener, KEEPALIVE_EVENT);
      if (this.listeners.size === 0) {
        clearInterval(this.keepAliveTimer);
        this.keepAliveTimer = null;
      }
    }, KEEPALIVE_MS);
  }

  private firstQuestion(): string | null {
    return this.sql.exec<{ text: string }>("SELECT text FROM messages WHERE role = 'user' ORDER BY seq LIMIT 1").toArray()[0]?.text ?? null;
  }

  /** Whether the session passed its Turnstile check. */
  isVerified(): boolean {
    return this.meta("verified") === "1";
  }

  markVerified(): void {
    this.setMeta("verified", "1");
  }

  private isPending(messageId: string, now: number): boolean {
    const row = this.sql
      .exec<{ started_at: number }>("SELECT started_at FROM pending_turns WHERE user_message_id = ?", messageId)
      .toArray()[0];
    return row !== undefined && now - row.started_at < TURN_STALE_MS;
  }

  private latestAnswerTo(messageId: string): StoredMessage | undefined {
    const row = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE reply_to = ? ORDER BY seq DESC LIMIT 1", messageId)
      .toArray()[0];
    return row ? toStoredMessage(row) : undefined;
  }

  private row(id: string): MessageRow | undefined {
    return this.sql.exec<MessageRow>("SELECT * FROM messages WHERE id = ?", id).toArray()[0];
  }

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }
}

type Listener = { audience: EventAudience; controller: ReadableStreamDefaultController<Uint8Array> };

type MessageRow = {
  seq: number;
  id: string;
  role: "user" | "assistant";
  text: string;
  status: StoredMessage["status"];
  sources: string;
  files: string;
  metadata: string;
  reply_to: string | null;
  created_at: number;
};

function toStoredMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    role: row.role,
    text: row.text,
    status: row.status,
    sources: JSON.parse(row.sources),
    files: JSON.parse(row.files),
    metadata: JSON.parse(row.metadata),
    ...(row.reply_to ? { replyTo: row.reply_to } : {}),
    createdAt: row.created_at,
  };
}
