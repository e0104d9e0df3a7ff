import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import { Markdown, type MarkdownContext } from "../../widget/ui/markdown";
import { safeLinkUrl, workerImageUrl } from "../../widget/ui/safe-url";
import type { MessageAuthor, TranscriptMessage } from "../api/conversations-api";
import { formatDate, formatUsd } from "../format";

const LABELS = { copy: "Copy", copied: "Copied", source: "Source" };
const TIERS: Record<string, string> = { small: "Small model", large: "Large model", none: "No model" };
const STATUS_LABELS: Record<string, string> = { stopped: "Stopped", failed: "Failed", streaming: "Answering…" };

/** Who wrote a message, for people. */
export function authorLabel(author: MessageAuthor): string {
  return author.kind === "visitor" ? "Visitor" : author.kind === "ai" ? "AI" : `${author.name} (person)`;
}

/**
 * One message of a transcript as the visitor saw it: the visitor's text as text, answers as Markdown through
 * the widget's safe renderer (no HTML string is ever built), citations linked to the message's sources,
 * images only from this worker. Under an AI answer: tier, model, reasons, cost, sources with scores, feedback.
 */
export function TranscriptMessageView({ message, onCorrect, editor }: { message: TranscriptMessage; onCorrect?: (message: TranscriptMessage) => void; /** The correction editor, open under this answer. */ editor?: ComponentChildren }) {
  const linked = message.parts.flatMap((part) => (part.type === "source-url" ? [{ url: part.url, title: part.title }] : []));
  const sources = linked.length ? linked : (message.metadata.sources ?? []).flatMap((source) => (source.url ? [{ url: source.url, title: source.title }] : []));
  const context = useMemo<MarkdownContext>(() => ({ sources, workerOrigin: location.origin, labels: LABELS }), [JSON.stringify(sources)]);
  const images = message.parts.flatMap((part) => {
    const src = part.type === "file" && part.mediaType.startsWith("image/") ? workerImageUrl(part.url, location.origin) : undefined;
    return src ? [src] : [];
  });
  const kind = message.author.kind;
  const status = Object.hasOwn(STATUS_LABELS, message.status) ? STATUS_LABELS[message.status] : undefined;
  return (
    <li class={`turn ${kind}`} data-message-id={message.id}>
      <p class="turn-head">
        <span class="turn-author">{authorLabel(message.author)}</span>
        <time dateTime={new Date(message.createdAt).toISOString()}>{formatDate(message.createdAt)}</time>
        {status ? <span class={`badge ${message.status}`}>{status}</span> : null}
      </p>
      <div class="turn-body" dir="auto">
        {kind === "visitor" ? <p class="visitor-text">{message.text}</p> : message.text ? <Markdown text={message.text} context={context} /> : <p class="hint">(no text)</p>}
        {images.map((src) => (
          <a key={src} href={src} target="_blank" rel="noopener noreferrer" class="turn-image">
            <img src={src} alt="Generated image" loading="lazy" />
          </a>
        ))}
      </div>
      {kind === "ai" ? <AnswerDetails message={message} /> : null}
      {kind === "ai" && onCorrect && message.status !== "streaming" && !editor ? (
        <button type="button" class="correct-this" onClick={() => onCorrect(message)}>
          Correct this
        </button>
      ) : null}
      {editor}
    </li>
  );
}

/** How an AI answer was made: what the owner needs to judge and correct it. */
function AnswerDetails({ message }: { message: TranscriptMessage }) {
  const m = message.metadata;
  const reasons = [...(m.routeReasons ?? [])];
  return (
    <div class="answer-details">
      <ul class="answer-badges" aria-label="How this answer was made">
        {m.curated ? <li class="badge curated">Curated answer{m.correctionId ? ` · ${m.correctionId}` : ""}</li> : null}
        {m.tier ? <li class="badge">{TIERS[m.tier]}</li> : null}
        {m.model ? <li class="badge model">{m.model}</li> : null}
        {m.escalated ? <li class="badge escalated">Escalated</li> : null}
        {m.costUsd !== undefined ? <li class="badge">{formatUsd(m.costUsd)}</li> : null}
        {m.feedback ? <li class={`badge feedback-${m.feedback}`}>{m.feedback === "up" ? "Thumbs up" : "Thumbs down"}</li> : null}
      </ul>
      {reasons.length ? <p class="reasons">Routing: {reasons.join("; ")}</p> : null}
      {m.failoverReasons?.length ? <p class="reasons">Failover: {m.failoverReasons.join("; ")}</p> : null}
      {m.sources?.length ? (
        <ol class="answer-sources" aria-label="Sources of this answer">
          {m.sources.map((source, index) => {
            const href = source.url ? safeLinkUrl(source.url) : undefined;
            const title = source.title || source.url || `Source ${index + 1}`;
            return (
              <li key={index}>
                {href ? (
                  <a href={href} target="_blank" rel="noopener noreferrer">
                    {title}
                  </a>
                ) : (
                  title
                )}
                {source.score !== undefined ? <span class="score"> score {source.score.toFixed(2)}</span> : null}
              </li>
            );
          })}
        </ol>
      ) : message.status === "complete" && !m.curated ? (
        <p class="no-sources">No sources.</p>
      ) : null}
    </div>
  );
}
