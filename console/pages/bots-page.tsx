import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/console-api";
import { listBots } from "../api/bots-api";
import type { BotSummary } from "../api/console-types";
import { Notice } from "../components/form-field";
import { formatUsd } from "../format";
import { Link, botPath } from "../router";
import { canEdit, useSession } from "../session-context";

/** /admin: the bots in the member's scope, with today's conversations and cost. */
export function BotsPage() {
  const { member } = useSession();
  const [bots, setBots] = useState<BotSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => void listBots().then(setBots, (failure) => setError(messageOf(failure))), []);

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Bots</h1>
        {canEdit(member) ? (
          <Link href="/admin/bots/new" class="button primary">
            New bot
          </Link>
        ) : null}
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {!bots && !error ? <p role="status">Loading bots…</p> : null}
      {bots && bots.length === 0 ? <p>No bots yet{canEdit(member) ? ": create your first one." : "."}</p> : null}
      {bots && bots.length > 0 ? (
        <div class="table-wrap">
          <table class="data bots-table">
            <caption class="sr-only">Your bots and today's activity</caption>
            <thead>
              <tr>
                <th scope="col">Bot</th>
                <th scope="col">Id</th>
                <th scope="col" class="number">
                  Conversations today
                </th>
                <th scope="col" class="number">
                  Cost today
                </th>
                <th scope="col">
                  <span class="sr-only">Pages</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bots.map((bot) => (
                <tr key={bot.id}>
                  <th scope="row">
                    <Link href={botPath(bot.id)} class="bot-name">
                      {bot.name}
                    </Link>
                  </th>
                  <td>
                    <code>{bot.id}</code>
                  </td>
                  <td class="number">{bot.today?.conversations ?? 0}</td>
                  <td class="number">{formatUsd(bot.today?.costUsd ?? 0)}</td>
                  <td class="row-links">
                    <Link href={botPath(bot.id, "documents")} aria-label={`Documents of ${bot.name}`}>
                      Documents
                    </Link>{" "}
                    <Link href={botPath(bot.id, "analytics")} aria-label={`Analytics of ${bot.name}`}>
                      Analytics
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
