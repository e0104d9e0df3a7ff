import { useEffect, useState } from "preact/hooks";
import { listHandoffs, type HandoffRequest } from "../api/conversations-api";
import { formatDate } from "../format";
import { Link, conversationPath } from "../router";

/** How often the console asks for open handoff requests: the issue allows no polling faster than every few seconds. */
export const HANDOFF_POLL_MS = 5_000;
/** After a failed request, wait longer (the endpoint may be missing on an older worker, or the network down). */
const FAILED_POLL_MS = 30_000;

/**
 * While the console is open, polls `GET /v1/console/handoffs` (one request at a time, 5 s apart) and shows each
 * visitor waiting for a person, with a link to the conversation. The region is always in the page and polite-live,
 * so a new request is announced by screen readers without moving the focus.
 */
export function HandoffNotice() {
  const [requests, setRequests] = useState<HandoffRequest[]>([]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      let pause = HANDOFF_POLL_MS;
      try {
        const found = await listHandoffs();
        if (!stopped) setRequests(found.sort((a, b) => a.requestedAt - b.requestedAt));
      } catch {
        pause = FAILED_POLL_MS;
      }
      if (!stopped) timer = setTimeout(() => void poll(), pause);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return (
    <div class={requests.length ? "handoff-notice" : "handoff-notice empty"} aria-live="polite" aria-atomic="false">
      {requests.length ? (
        <section aria-labelledby="handoff-notice-heading">
          <h2 id="handoff-notice-heading">{requests.length === 1 ? "A visitor asks for a person" : `${requests.length} visitors ask for a person`}</h2>
          <ul>
            {requests.map((request) => (
              <li key={`${request.botId}/${request.sessionId}`}>
                <Link href={conversationPath(request.botId, request.sessionId)} class="handoff-link">
                  {request.firstQuestion || "(no question)"}
                </Link>{" "}
                <span class="hint">
                  {request.botId} · {formatDate(request.requestedAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
