import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../api/console-api";
import { exportUrl, filtersFromSearch, listConversations, searchFromFilters, type ConversationFilters, type ConversationSummary } from "../api/conversations-api";
import { BotTabs } from "../components/bot-tabs";
import { ConversationFiltersForm, ConversationFlagBadges, HandoffBadge } from "../components/conversation-filters";
import { Notice } from "../components/form-field";
import { formatDate, formatUsd } from "../format";
import { Link, botPath, conversationPath, navigate, useLocation } from "../router";

/**
 * /admin/bots/:id/conversations: the inbox, newest activity first. The filters live in the page's URL (so a
 * filtered view can be reloaded and shared), pages come by cursor ("Load more"), exports take the same filters.
 */
export function ConversationsPage({ botId }: { botId: string }) {
  const { search } = useLocation();
  const filters = filtersFromSearch(search);
  const key = searchFromFilters(filters);
  const [rows, setRows] = useState<ConversationSummary[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const request = useRef(0);

  const load = async (after: string | null) => {
    const attempt = ++request.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await listConversations(botId, filters, after);
      if (attempt !== request.current) return;
      setRows((current) => (after ? [...(current ?? []), ...page.conversations] : page.conversations));
      setCursor(page.nextCursor);
      if (after) setStatus(`${page.conversations.length} more conversations loaded.`);
    } catch (failure) {
      if (attempt === request.current) setError(messageOf(failure));
    } finally {
      if (attempt === request.current) setLoading(false);
    }
  };
  useEffect(() => {
    setRows(undefined);
    setCursor(null);
    void load(null);
  }, [botId, key]);

  const change = (next: ConversationFilters) => navigate(`${botPath(botId, "conversations")}${searchFromFilters(next)}`, { replace: true });
  const filtered = key !== "";

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Conversations</h1>
        <div class="actions export-links" role="group" aria-label="Export">
          <a class="button" href={exportUrl(botId, "jsonl", filters)} download>
            Export JSONL
          </a>
          <a class="button" href={exportUrl(botId, "csv", filters)} download>
            Export CSV
          </a>
        </div>
      </div>
      <BotTabs botId={botId} current="conversations" />
      <ConversationFiltersForm filters={filters} onChange={change} />
      <p class="sr-only" role="status">
        {status ?? (rows && !loading ? `${rows.length}${cursor ? " or more" : ""} conversations.` : "")}
      </p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {!rows && !error ? <p role="status">Loading conversations…</p> : null}
      {rows && rows.length === 0 ? <p class="empty">{filtered ? "No conversation matches these filters." : "No conversations yet. They appear here as visitors ask the bot."}</p> : null}
      {rows && rows.length > 0 ? (
        <div class="table-wrap">
          <table class="data conversations-table">
            <caption class="sr-only">Conversations of this bot, newest activity first</caption>
            <thead>
              <tr>
                <th scope="col">First question</th>
                <th scope="col" class="number">
                  Turns
                </th>
                <th scope="col">Last activity</th>
                <th scope="col" class="number">
                  Cost
                </th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.sessionId} class={row.handoff.state === "requested" ? "wants-person" : undefined}>
                  <th scope="row" class="question">
                    <Link href={conversationPath(botId, row.sessionId)}>{row.firstQuestion || "(no question)"}</Link>
                  </th>
                  <td class="number">{row.turns}</td>
                  <td>{formatDate(row.lastActivityAt)}</td>
                  <td class="number">{formatUsd(row.costUsd)}</td>
                  <td class="flags">
                    <HandoffBadge handoff={row.handoff} />
                    <ConversationFlagBadges flags={row.flags} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <button type="button" class="load-more" disabled={loading} onClick={() => void load(cursor)}>
          {loading ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </>
  );
}
