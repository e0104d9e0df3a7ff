import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/console-api";
import { eraseConversation, getConversation, mayTakeOver, mergeMessages, type ConversationSummary, type HandoffState, type TranscriptMessage } from "../api/conversations-api";
import { BotTabs } from "../components/bot-tabs";
import { CorrectionEditor } from "../components/correction-editor";
import { ConversationFlagBadges } from "../components/conversation-filters";
import { Notice } from "../components/form-field";
import { TakeoverPanel, handoffLabel } from "../components/takeover-panel";
import { useSessionEvents } from "../components/transcript-events";
import { TranscriptMessageView } from "../components/transcript-message";
import { formatDate, formatUsd } from "../format";
import { Link, botPath } from "../router";
import { canEdit, useSession } from "../session-context";

const LIVE_LABELS = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };

/** /admin/bots/:id/conversations/:sessionId: the transcript, live, with takeover, corrections and erasure. */
export function ConversationPage({ botId, sessionId }: { botId: string; sessionId: string }) {
  const { member } = useSession();
  const [conversation, setConversation] = useState<ConversationSummary>();
  const [messages, setMessages] = useState<TranscriptMessage[]>([]);
  const [handoff, setHandoff] = useState<HandoffState>({ state: "none" });
  const [error, setError] = useState<string>();
  const [erased, setErased] = useState<string>();
  /** The AI answer whose correction is being written, and what became of the last one. */
  const [correcting, setCorrecting] = useState<string>();
  const [corrected, setCorrected] = useState<string>();
  const loads = useRef(0);
  const loaded = useRef(false);
  /** Once the live stream has said who has the conversation, it is the truth (the stored summary may lag behind it). */
  const liveHandoff = useRef(false);
  const updateHandoff = (next: HandoffState) => {
    liveHandoff.current = true;
    setHandoff(next);
  };
  const inbox = botPath(botId, "conversations");

  const load = () => {
    const attempt = ++loads.current;
    return getConversation(botId, sessionId).then(
      (body) => {
        if (attempt !== loads.current) return;
        loaded.current = true;
        setConversation(body.conversation);
        if (!liveHandoff.current) setHandoff(body.conversation.handoff);
        setMessages((current) => mergeMessages(current, body.messages));
      },
      (failure) => {
        const gone = failure instanceof ApiError && failure.status === 404;
        // A refresh that fails for a passing reason keeps the transcript on screen; the live stream goes on.
        if (attempt === loads.current && (gone || !loaded.current)) setError(gone ? "There is no such conversation of this bot (it may have been erased or expired)." : messageOf(failure));
      },
    );
  };
  useEffect(() => {
    setMessages([]);
    setError(undefined);
    void load();
  }, [botId, sessionId]);

  // The editor takes the focus as it opens (CorrectionEditor); closing it gives the focus back to the answer's
  // button, in the same step as the editor goes (never a frame later, when the person may be typing elsewhere).
  const lastCorrected = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    if (correcting) lastCorrected.current = correcting;
    else if (lastCorrected.current) document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(lastCorrected.current)}"] .correct-this`)?.focus();
  }, [correcting]);

  // Live messages change the summary (turns, cost, last activity, flags): fetch it again once they settle.
  const refresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(refresh.current), []);
  const live = useSessionEvents(
    sessionId,
    {
      onMessage: (message) => {
        setMessages((current) => mergeMessages(current, [message]));
        clearTimeout(refresh.current);
        refresh.current = setTimeout(() => void load(), 1_500);
      },
      onHandoff: updateHandoff,
      onConnected: () => void load(),
    },
    !error && !erased,
  );

  const erase = async () => {
    if (!confirm("Erase this conversation? Its messages, feedback and generated images are deleted everywhere. This cannot be undone.")) return;
    try {
      const counts = await eraseConversation(botId, sessionId);
      const count = (key: string) => (typeof counts[key] === "number" ? (counts[key] as number) : 0);
      setErased(`Erased: ${count("messages")} messages, ${count("turns")} turns, ${count("feedback")} feedback, ${count("images")} images.`);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const title = conversation?.firstQuestion || "Conversation";
  return (
    <>
      <p class="crumbs">
        <Link href={inbox}>← All conversations</Link>
      </p>
      <h1 tabIndex={-1} class="conversation-title">
        {title}
      </h1>
      <BotTabs botId={botId} current="conversations" />
      {erased ? (
        <Notice tone="success">
          {erased} <Link href={inbox}>Back to the conversations</Link>
        </Notice>
      ) : error ? (
        <Notice tone="error">{error}</Notice>
      ) : !conversation ? (
        <p role="status">Loading the conversation…</p>
      ) : (
        <div class="conversation-layout">
          <section class="transcript" aria-labelledby="transcript-heading">
            {corrected ? <Notice tone="success">{corrected}</Notice> : null}
            <div class="transcript-head">
              <h2 id="transcript-heading">Transcript</h2>
              <span class={`live-state ${live}`}>{LIVE_LABELS[live]}</span>
            </div>
            {messages.length ? (
              <div role="log" aria-label="Messages">
                <ol class="turns">
                  {messages.map((message, index) => (
                    <TranscriptMessageView
                      key={message.id}
                      message={message}
                      onCorrect={canEdit(member) ? (answer) => (setCorrecting(answer.id), setCorrected(undefined)) : undefined}
                      editor={
                        correcting === message.id ? (
                          <>
                            <h3 class="correct-heading">Correct this answer: visitors who ask this get your answer from now on</h3>
                            <CorrectionEditor
                              botId={botId}
                              initial={correctionDraft(messages, index)}
                              onSaved={() => {
                                setCorrecting(undefined);
                                setCorrected("Saved as a curated answer: visitors who ask this get the corrected answer from now on.");
                              }}
                              onCancel={() => setCorrecting(undefined)}
                            />
                          </>
                        ) : undefined
                      }
                    />
                  ))}
                </ol>
              </div>
            ) : (
              <p>No messages are stored for this conversation.</p>
            )}
          </section>
          <aside class="conversation-side" aria-label="About this conversation">
            {mayTakeOver(member) ? <TakeoverPanel sessionId={sessionId} handoff={handoff} onHandoff={updateHandoff} onSent={(message) => setMessages((current) => mergeMessages(current, [message]))} /> : <p class="card takeover-state">{handoffLabel(handoff)}</p>}
            <section class="card" aria-labelledby="facts-heading">
              <h2 id="facts-heading">Details</h2>
              <dl class="facts">
                <dt>Session</dt>
                <dd class="session-id">{sessionId}</dd>
                <dt>Started</dt>
                <dd>{formatDate(conversation.startedAt)}</dd>
                <dt>Last activity</dt>
                <dd>{formatDate(conversation.lastActivityAt)}</dd>
                <dt>Turns</dt>
                <dd>{conversation.turns}</dd>
                <dt>Cost</dt>
                <dd>{formatUsd(conversation.costUsd)}</dd>
              </dl>
              <ConversationFlagBadges flags={conversation.flags} />
            </section>
            {canEdit(member) ? (
              <section class="card" aria-labelledby="erase-heading">
                <h2 id="erase-heading">Erase</h2>
                <p class="hint">Deletes this conversation everywhere it is stored, including its generated images.</p>
                <button type="button" class="danger" onClick={() => void erase()}>
                  Erase conversation
                </button>
              </section>
            ) : null}
          </aside>
        </div>
      )}
    </>
  );
}

/** "Correct this" starts from the visitor's question before the answer, the answer, and its sources with links. */
function correctionDraft(messages: TranscriptMessage[], index: number) {
  const answer = messages[index]!;
  const question = messages.slice(0, index).reverse().find((message) => message.author.kind === "visitor");
  const sources = (answer.metadata.sources ?? []).flatMap((source) => (source.url && /^https?:\/\//.test(source.url) ? [{ title: source.title || source.url, url: source.url }] : []));
  return { question: question?.text ?? "", answer: answer.text, sources };
}
