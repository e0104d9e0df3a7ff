import { useEffect, useRef, useState } from "preact/hooks";
import { readHandoff, readMessage, sessionEventsUrl, type HandoffState, type TranscriptMessage } from "../api/conversations-api";

export type LiveState = "connecting" | "live" | "reconnecting";

/** Pauses before reconnecting after the server closed or refused the stream (the browser's own retry covers dropped connections). */
const RETRY_MS = [2_000, 5_000, 10_000, 30_000];

/**
 * Follows a session live from its server-sent events (`message`: a TranscriptMessage, `handoff`: a HandoffState).
 * EventSource reconnects by itself after a dropped connection; when the server ends or refuses the stream, this
 * opens a new one after a growing pause. Every (re)connection calls `onConnected`, so the page can fetch what was
 * stored before the stream started or while it was down (messages merge by id, so nothing shows twice).
 */
export function useSessionEvents(
  sessionId: string,
  handlers: { onMessage: (message: TranscriptMessage) => void; onHandoff: (handoff: HandoffState) => void; onConnected: () => void },
  enabled = true,
): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    const connect = () => {
      source = new EventSource(sessionEventsUrl(sessionId));
      source.addEventListener("open", () => {
        failures = 0;
        setState("live");
        latest.current.onConnected();
      });
      source.addEventListener("message", (event) => {
        const message = parse(event as MessageEvent<string>);
        if (message !== undefined) latest.current.onMessage(readMessage(message));
      });
      source.addEventListener("handoff", (event) => {
        const handoff = parse(event as MessageEvent<string>);
        if (handoff !== undefined) latest.current.onHandoff(readHandoff(handoff));
      });
      source.addEventListener("error", () => {
        if (stopped) return;
        setState("reconnecting");
        if (source?.readyState !== EventSource.CLOSED) return;
        source.close();
        timer = setTimeout(connect, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [sessionId, enabled]);

  return state;
}

function parse(event: MessageEvent<string>): unknown {
  try {
    return JSON.parse(event.data);
  } catch {
    return undefined;
  }
}
