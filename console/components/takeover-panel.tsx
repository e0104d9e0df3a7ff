import { useState } from "preact/hooks";
import { messageOf } from "../api/console-api";
import { handBack, sendAgentMessage, takeOver, type HandoffState, type TranscriptMessage } from "../api/conversations-api";
import { formatDate } from "../format";
import { Notice } from "./form-field";

/** Who has the conversation, for people. */
export function handoffLabel(handoff: HandoffState): string {
  switch (handoff.state) {
    case "requested":
      return `The visitor asked for a person${handoff.requestedAt ? ` (${formatDate(handoff.requestedAt)})` : ""}. Nobody has taken it yet.`;
    case "human":
      return `${handoff.agentName || "A person"} has this conversation${handoff.since ? ` since ${formatDate(handoff.since)}` : ""}. The bot does not answer.`;
    case "timed_out":
      return "Nobody took the visitor's request in time: it went to the handoff webhook. The bot answers.";
    default:
      return "The bot answers this conversation.";
  }
}

/**
 * Take over / send / hand back for a member who may take over conversations. The state shown is the server's
 * (the page keeps it current from the live events), so two agents see the same.
 */
export function TakeoverPanel({ sessionId, handoff, onHandoff, onSent }: { sessionId: string; handoff: HandoffState; onHandoff: (handoff: HandoffState) => void; onSent: (message: TranscriptMessage) => void }) {
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const human = handoff.state === "human";

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const send = (event?: Event) => {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || busy) return;
    // The box empties as the message goes, so what the agent types while it is on its way stays theirs (emptying
    // it on the answer wiped that); a message that could not be sent comes back, before anything typed since.
    setDraft("");
    void act(async () => {
      try {
        onSent(await sendAgentMessage(sessionId, text));
      } catch (failure) {
        setDraft((current) => (current.trim() ? `${text}\n${current}` : text));
        throw failure;
      }
    });
  };

  return (
    <section class={`takeover card ${handoff.state}`} aria-labelledby="takeover-heading">
      <h2 id="takeover-heading">{human ? "You are talking to the visitor" : "Talk to the visitor"}</h2>
      <p class="takeover-state" role="status">
        {handoffLabel(handoff)}
      </p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {human ? (
        <form class="composer" onSubmit={send}>
          <label for="agent-message">Message to the visitor</label>
          <textarea
            id="agent-message"
            rows={3}
            value={draft}
            maxLength={4000}
            onInput={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey && !event.isComposing) send(event);
            }}
          />
          <p class="hint">Enter sends, Shift+Enter starts a new line. The visitor sees your name, not "AI".</p>
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || !draft.trim()}>
              Send
            </button>
            <button type="button" disabled={busy} onClick={() => void act(async () => onHandoff(await handBack(sessionId)))}>
              Hand back to the bot
            </button>
          </div>
        </form>
      ) : (
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={() => void act(async () => onHandoff(await takeOver(sessionId)))}>
            Take over
          </button>
        </div>
      )}
    </section>
  );
}
