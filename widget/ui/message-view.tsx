import { Component } from "preact";
import { useMemo } from "preact/hooks";
import type { ChatMessage } from "../client/chat-client";
import type { WidgetStrings } from "./i18n";
import { Markdown, type MarkdownContext } from "./markdown";
import { safeLinkUrl, workerImageUrl } from "./safe-url";

export interface MessageViewProps {
  message: ChatMessage;
  strings: WidgetStrings;
  workerOrigin: string;
  showTierBadge?: boolean;
  debug?: boolean;
  /** The visitor's rating of this message, if any. */
  rating?: "up" | "down";
  /** Present when feedback can be given. */
  onRate?: (message: ChatMessage, rating: "up" | "down") => void;
  /** Present when the visitor may ask for a person (the bot offered one in this answer: a `handoff` data part). */
  onHandoff?: () => void;
}

interface ImageData {
  state?: "generating" | "done" | "failed";
  prompt?: string;
  url?: string;
}

/**
 * One message. Re-rendered only when the message object, the rating or the strings change, so
 * a streaming answer never re-renders the rest of the transcript.
 */
export class MessageView extends Component<MessageViewProps> {
  override shouldComponentUpdate(next: MessageViewProps): boolean {
    const p = this.props;
    return next.message !== p.message || next.rating !== p.rating || next.strings !== p.strings || next.showTierBadge !== p.showTierBadge || !next.onRate !== !p.onRate || !next.onHandoff !== !p.onHandoff;
  }
  override render() {
    return <MessageBody {...this.props} />;
  }
}

function MessageBody({ message, strings, workerOrigin, showTierBadge, debug, rating, onRate, onHandoff }: MessageViewProps) {
  const text = message.parts
    .map((part) => (part.type === "text" ? part.text : ""))
    .filter(Boolean)
    .join("\n\n");
  const sources = message.parts.flatMap((part) => (part.type === "source-url" ? [part] : []));
  const context = useMemo<MarkdownContext>(
    () => ({ sources, workerOrigin, labels: { copy: strings.copy, copied: strings.copied, source: strings.source } }),
    // A new context only when a source arrives, so finished chunks stay memoised.
    [sources.length, workerOrigin, strings],
  );
  if (message.role === "user") {
    return (
      <div class="msg user" dir="auto">
        <span class="sr">{strings.you}: </span>
        {text}
      </div>
    );
  }
  const shown = new Set<string>();
  const images = message.parts.map((part, index) => {
    if (part.type === "data" && part.name === "image") {
      const data = (part.data ?? {}) as ImageData;
      const src = data.state === "done" && data.url ? workerImageUrl(data.url, workerOrigin) : undefined;
      if (src) shown.add(src);
      return <GeneratedImage key={`i${part.id ?? index}`} data={data} src={src} strings={strings} />;
    }
    return null;
  });
  const files = message.parts.map((part, index) => {
    if (part.type !== "file" || !part.mediaType.startsWith("image/")) return null;
    const src = workerImageUrl(part.url, workerOrigin);
    if (!src || shown.has(src)) return null;
    shown.add(src);
    return <GeneratedImage key={`f${index}`} data={{ state: "done", prompt: "" }} src={src} strings={strings} />;
  });
  // Only the sources the answer cites are listed (the server sends every retrieved one before the
  // answer, when it cannot know yet which the model will use).
  const cited = new Set([...text.matchAll(/\[(\d+)\]/g)].map((match) => +match[1]!));
  const listed = sources.filter((_, index) => cited.has(index + 1));
  const metadata = (message.metadata ?? {}) as { tier?: string; model?: string; costUsd?: number; author?: { kind: string; name?: string } };
  const streaming = message.state === "streaming";
  // A person's message (live takeover) carries their name instead of the assistant's label; feedback rates
  // the AI's answers only (not a person's, nor a notice this widget added, which has no metadata).
  const person = metadata.author?.kind === "human" && metadata.author.name;
  if (person || !message.metadata) onRate = undefined;
  return (
    <div class="msg assistant" dir="auto" data-state={message.state} aria-busy={streaming ? "true" : undefined}>
      {person ? <p class="by">{person}</p> : <span class="sr">{strings.assistant}: </span>}
      {text ? <Markdown text={text} context={context} /> : streaming && <span class="dots" aria-hidden="true" />}
      {images}
      {files}
      {onHandoff && message.parts.some((part) => part.type === "data" && part.name === "handoff") && (
        <button type="button" class="person" onClick={onHandoff}>
          {strings.person}
        </button>
      )}
      {listed.length > 0 && (
        <div class="sources">
          <p class="label">{strings.sources}</p>
          <ol>
            {sources.map((source, index) => {
              if (!cited.has(index + 1)) return null;
              const href = safeLinkUrl(source.url);
              const title = source.title || source.url;
              return (
                <li key={index} value={index + 1}>
                  {href ? (
                    <a href={href} target="_blank" rel="noopener noreferrer">
                      {title}
                    </a>
                  ) : (
                    title
                  )}
                </li>
              );
            })}
          </ol>
        </div>
      )}
      {!streaming && (onRate || (showTierBadge && metadata.tier)) && (
        <div class="meta">
          {showTierBadge && metadata.tier && (
            <span class="badge" title={metadata.model}>
              {metadata.tier}
              {debug && typeof metadata.costUsd === "number" && ` · $${metadata.costUsd.toFixed(5)}`}
            </span>
          )}
          {onRate && message.state === "done" && (
            <span class="rate">
              {rating ? (
                <span role="status">{strings.thanks}</span>
              ) : (
                <>
                  <button type="button" class="icon" aria-label={strings.good} onClick={() => onRate(message, "up")}>
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                      <path d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z" />
                    </svg>
                  </button>
                  <button type="button" class="icon" aria-label={strings.bad} onClick={() => onRate(message, "down")}>
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                      <path d="M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z" />
                    </svg>
                  </button>
                </>
              )}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

/** A generated image: a placeholder of the final size while it is made, then the image, which opens full size. */
function GeneratedImage({ data, src, strings }: { data: ImageData; src: string | undefined; strings: WidgetStrings }) {
  const prompt = data.prompt ?? "";
  if (data.state === "failed" || (data.state === "done" && !src)) {
    return <p class="img-failed">{strings.imageFailed}</p>;
  }
  return (
    <figure class="image">
      {src ? (
        <a href={src} target="_blank" rel="noopener noreferrer" class="frame">
          <img src={src} alt={prompt || strings.aiImage} width={512} height={512} />
        </a>
      ) : (
        <div class="frame placeholder" role="status">
          <span>{strings.generating}</span>
        </div>
      )}
      <figcaption>
        <span class="badge">{strings.aiImage}</span> {prompt}
      </figcaption>
    </figure>
  );
}
