import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatClient, ChatMessage, ChatState } from "../client/chat-client";
import { resolveLocale } from "./i18n";
import { MessageView } from "./message-view";
import { safeLinkUrl } from "./safe-url";
import { textColorOn } from "./theme";

/** What the widget shows and how it looks. Every field is optional. */
export interface WidgetAppearance {
  /** Header title. */
  title?: string;
  /** First message shown before the visitor writes. */
  greeting?: string;
  /** Questions offered as buttons before the first message. */
  starterQuestions?: string[];
  /** Tells the visitor that answers come from an AI (on by default); false hides it. */
  aiNotice?: string | false;
  /** URL of an avatar image for the header (http or https). */
  avatar?: string;
  /** Interface language (en, fr, de, es, ar, he); by default the page's `<html lang>`. */
  locale?: string;
  /** Colour scheme; "auto" follows the visitor's system setting. */
  theme?: "light" | "dark" | "auto";
  /** Main colour (buttons, header, the visitor's bubbles), e.g. "#0f766e". */
  primaryColor?: string;
  /** Corner of the launcher. */
  position?: "right" | "left";
  /** Show the model tier (small/large) under answers. */
  showTierBadge?: boolean;
  /** Also show the cost of each answer next to the tier badge. */
  debug?: boolean;
}

export interface ChatWidgetProps extends WidgetAppearance {
  client: ChatClient;
  /** Open the panel; the widget follows changes of this prop. */
  open?: boolean;
  /** Called when the visitor opens or closes the panel. */
  onOpenChange?: (open: boolean) => void;
  /** Called by the "new conversation" button (after the client is reset). */
  onNewConversation?: () => void;
  /** Origin of the edgechat worker: generated images are loaded from there only. */
  workerOrigin?: string;
  /** Whether feedback buttons are shown (they post to the worker's /v1/feedback). */
  feedback?: boolean;
}

/**
 * The edgechat chat widget: a launcher button and a chat panel drawn from a ChatClient's state.
 * Model and document text is rendered as virtual DOM nodes, never as HTML.
 *
 * @example
 * render(<ChatWidget client={new ChatClient({ api: "/v1/chat" })} title="Help" />, shadowRoot);
 */
export function ChatWidget(props: ChatWidgetProps) {
  const { client, greeting, starterQuestions = [], avatar, showTierBadge, debug, onOpenChange, onNewConversation } = props;
  const { lang, dir, strings } = resolveLocale(props.locale);
  const title = props.title ?? "Chat";
  const aiNotice = props.aiNotice === undefined ? strings.aiNotice : props.aiNotice;
  const workerOrigin = props.workerOrigin ?? location.origin;
  const [state, setState] = useState<ChatState>(client.snapshot);
  const [open, setOpenState] = useState(!!props.open);
  const [draft, setDraft] = useState("");
  const [ratings, setRatings] = useState<Record<string, "up" | "down">>({});
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(open);

  useEffect(() => {
    // At most one render per frame, however many stream chunks arrive in between.
    let scheduled = 0;
    let latest = client.snapshot;
    const flush = () => ((scheduled = 0), setState(latest));
    const unsubscribe = client.subscribe((next) => {
      latest = next;
      scheduled ||= document.visibilityState === "visible" ? requestAnimationFrame(flush) : (setTimeout(flush, 16) as unknown as number);
    });
    // What changed between the first render and this subscription (a resumed history) is drawn too.
    setState(client.snapshot);
    return () => {
      unsubscribe();
      cancelAnimationFrame(scheduled);
      clearTimeout(scheduled);
    };
  }, [client]);
  useEffect(() => setOpenState(!!props.open), [props.open]);
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [state.messages, open]);
  useEffect(() => {
    // Focus moves into the dialog when it opens and back to the launcher when it closes.
    if (open) inputRef.current?.focus();
    else if (wasOpen.current) launcherRef.current?.focus();
    wasOpen.current = open;
  }, [open]);
  useEffect(() => {
    // Full screen on phones: follow the visual viewport so the on-screen keyboard never covers the input.
    const viewport = window.visualViewport;
    if (!open || !viewport) return;
    const fit = () => {
      const panel = panelRef.current;
      if (panel) panel.style.height = innerWidth < 640 ? `${viewport.height}px` : "";
    };
    fit();
    viewport.addEventListener("resize", fit);
    return () => viewport.removeEventListener("resize", fit);
  }, [open]);

  const setOpen = (value: boolean) => {
    setOpenState(value);
    onOpenChange?.(value);
  };
  const busy = state.status === "submitted" || state.status === "streaming";
  const send = (text: string) => {
    if (!text.trim() || busy) return;
    void client.send(text);
    setDraft("");
    if (inputRef.current) inputRef.current.style.height = "";
  };
  const rate = (message: ChatMessage, rating: "up" | "down") => {
    setRatings((current) => ({ ...current, [message.id]: rating }));
    void client.feedback(message.id, rating);
  };
  const color = props.primaryColor && /^#[0-9a-f]{3,8}$|^rgb|^hsl|^[a-z]+$/i.test(props.primaryColor) ? props.primaryColor : undefined;
  const style: Record<string, string> = color ? { "--ec-primary": color, "--ec-link": color, "--ec-on-primary": textColorOn(color) } : {};
  const avatarUrl = avatar && safeLinkUrl(avatar);

  return (
    <div class="root" lang={lang} dir={dir} data-theme={props.theme ?? "auto"} data-position={props.position ?? "right"} style={style}>
      {!open ? (
        <button ref={launcherRef} class="launcher" type="button" aria-label={strings.open} aria-haspopup="dialog" onClick={() => setOpen(true)}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
          </svg>
        </button>
      ) : (
        <div
          ref={panelRef}
          class="panel"
          role="dialog"
          aria-labelledby="ec-title"
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <div class="header">
            {avatarUrl && <img class="avatar" src={avatarUrl} alt="" width={28} height={28} />}
            <h2 id="ec-title">{title}</h2>
            <button class="icon" type="button" aria-label={strings.newChat} title={strings.newChat} onClick={() => (client.reset(), onNewConversation?.(), inputRef.current?.focus())}>
              <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d="M12 5V2L7 6l5 4V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z" />
              </svg>
            </button>
            <button class="icon" type="button" aria-label={strings.close} title={strings.close} onClick={() => setOpen(false)}>
              <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z" />
              </svg>
            </button>
          </div>
          {aiNotice && <p class="notice">{aiNotice}</p>}
          <div class="log" role="log" aria-live="polite" aria-busy={busy ? "true" : "false"} ref={logRef} tabIndex={0} aria-label={title}>
            {greeting && (
              <div class="msg assistant greeting">
                <p>{greeting}</p>
              </div>
            )}
            {state.messages.length === 0 && starterQuestions.length > 0 && (
              <div class="starters">
                {starterQuestions.map((question) => (
                  <button type="button" key={question} onClick={() => send(question)}>
                    {question}
                  </button>
                ))}
              </div>
            )}
            {state.messages.map((message) => (
              <MessageView
                key={message.id}
                message={message}
                strings={strings}
                workerOrigin={workerOrigin}
                showTierBadge={showTierBadge}
                debug={debug}
                rating={ratings[message.id]}
                onRate={props.feedback ? rate : undefined}
                onHandoff={!state.handoff || state.handoff.state === "none" ? () => void client.requestHandoff() : undefined}
              />
            ))}
            {state.status === "error" && (
              <div class="error" role="alert">
                <span>{state.error || strings.error}</span>
                <button type="button" onClick={() => void client.retry()}>
                  {strings.retry}
                </button>
              </div>
            )}
          </div>
          <form
            class="form"
            onSubmit={(event) => {
              event.preventDefault();
              send(draft);
            }}
          >
            <textarea
              ref={inputRef}
              rows={1}
              aria-label={strings.input}
              placeholder={strings.placeholder}
              value={draft}
              maxLength={8000}
              onInput={(event) => {
                const area = event.currentTarget;
                setDraft(area.value);
                area.style.height = "";
                area.style.height = `${Math.min(area.scrollHeight, 120)}px`;
              }}
              onKeyDown={(event) => {
                if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
                  event.preventDefault();
                  send(draft);
                }
              }}
            />
            {busy ? (
              <button class="send" type="button" onClick={() => client.stop()}>
                {strings.stop}
              </button>
            ) : (
              <button class="send" type="submit" disabled={!draft.trim()}>
                {strings.send}
              </button>
            )}
          </form>
        </div>
      )}
    </div>
  );
}
