import type { VisitorSession } from "./visitor-session";

/** How long an answer keeps generating after the visitor's page went away (reload); within waitUntil's limit. */
export const LIVE_TURN_GRACE_MS = 25_000;
/** How often streamed text is written to the session (and a stop request looked for). */
export const LIVE_TURN_FLUSH_MS = 150;

export interface LiveTurn {
  /** Aborted by an explicit stop (`POST /v1/sessions/:id/stop`) or when the grace period after a disconnect ends. */
  signal: AbortSignal;
  /** Tees the answer's response: one branch to the visitor, one recorded in the session for a reload to resume. */
  attach(response: Response): Response;
}

/**
 * Opens the live turn in the session object, then attaches to it (`attachLiveTurn`). A chat turn opens it
 * in its one session call instead (`ChatSession.openTurn`) and only attaches.
 */
export async function startLiveTurn(
  session: VisitorSession,
  turnId: string,
  waitUntil: (promise: Promise<unknown>) => void,
  options: { graceMs?: number; flushMs?: number } = {},
): Promise<LiveTurn> {
  await session.store.openLiveTurn(turnId);
  return attachLiveTurn(session, turnId, waitUntil, options);
}

/**
 * Makes a chat turn survive a page reload. The answer's server-sent events go out to the visitor as
 * usual and are written to the session object in small batches (one reader feeds both). If the visitor goes
 * away, the generation goes on (up to `graceMs`) and a reloaded page follows it from the session with
 * `GET /v1/sessions/:id/stream`, with no second model call. An explicit stop aborts at once (next batch).
 * The live turn must be open in the session (`openTurn` or `openLiveTurn`); attaching waits for nothing.
 *
 * @example
 * const live = attachLiveTurn(session, turnId, ctx.waitUntil.bind(ctx));
 * return live.attach(streamChatTurn({ ..., signal: live.signal }));
 */
export function attachLiveTurn(
  session: VisitorSession,
  turnId: string,
  waitUntil: (promise: Promise<unknown>) => void,
  options: { graceMs?: number; flushMs?: number } = {},
): LiveTurn {
  const graceMs = options.graceMs ?? LIVE_TURN_GRACE_MS;
  const flushMs = options.flushMs ?? LIVE_TURN_FLUSH_MS;
  const stop = new AbortController();
  return {
    signal: stop.signal,
    attach(response) {
      if (!response.body) return response;
      // One reader of the answer feeds both the visitor and the session (no tee: one hop per chunk). The
      // visitor's stream is pushed to; when the page goes away the reader keeps going for the grace period.
      const source = response.body.getReader();
      let visitor!: ReadableStreamDefaultController<Uint8Array>;
      let visitorGone = false;
      const toVisitor = new ReadableStream<Uint8Array>({
        start(controller) {
          visitor = controller;
        },
        cancel() {
          // The page went away: keep generating for a while so a reload can pick the answer up.
          visitorGone = true;
          setTimeout(() => void source.cancel("grace period over").catch(() => {}), graceMs);
        },
      });
      waitUntil(record());
      return new Response(toVisitor, response);

      async function record(): Promise<void> {
        const decoder = new TextDecoder();
        let pending = "";
        let flushing: Promise<void> = Promise.resolve();
        let inFlight = false;
        const flush = (done: boolean) => {
          flushing = flushing.then(async () => {
            // The text is taken when the batch is sent, so what came while the previous one was in flight goes with it.
            const text = pending;
            pending = "";
            inFlight = true;
            try {
              const { stopRequested } = await session.store.appendLive(turnId, text, done);
              if (stopRequested) stop.abort(new DOMException("The visitor stopped the answer.", "AbortError"));
            } finally {
              inFlight = false;
            }
          });
          return flushing;
        };
        // At most one batch in flight: when the session object answers slower than flushMs (a loaded isolate,
        // hundreds of streams), ticks are skipped instead of queueing calls that would each add more load.
        const timer = setInterval(() => {
          if (!inFlight) void flush(false).catch(() => {});
        }, flushMs);
        try {
          for (;;) {
            const { done, value } = await source.read();
            if (done) break;
            pending += decoder.decode(value, { stream: true });
            if (!visitorGone) visitor.enqueue(value);
          }
          if (!visitorGone) visitor.close();
        } catch (error) {
          // Cancelled after the grace period (the turn ends as stopped), or the answer's stream failed.
          if (!visitorGone) visitor.error(error);
        } finally {
          clearInterval(timer);
          await flush(true).catch((error) => console.error("edgechat: recording the live answer failed", error));
        }
      }
    },
  };
}
