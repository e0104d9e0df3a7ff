import { useEffect, useState } from "preact/hooks";
import { consoleApi, messageOf } from "../api/console-api";
import { botUrl } from "../api/bots-api";
import type { Analytics } from "../api/console-types";
import { BotTabs } from "../components/bot-tabs";
import { DailyChart } from "../components/charts";
import { Notice } from "../components/form-field";
import { formatShare, formatUsd } from "../format";

const RANGES = [7, 30, 90] as const;

/** Whether the day had answers (a share of answers with sources means nothing without). */
const answered = (day: Analytics["days"][number]) => day.groundedShare !== null && day.answers.small + day.answers.large + day.answers.escalated > 0;

/** /admin/bots/:id/analytics: charts of the last 7, 30 or 90 days, each with a table equivalent. */
export function AnalyticsPage({ botId }: { botId: string }) {
  const [days, setDays] = useState<(typeof RANGES)[number]>(7);
  const [data, setData] = useState<Analytics>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setError(undefined);
    consoleApi<Analytics>("GET", `${botUrl(botId)}/analytics?days=${days}`).then(setData, (failure) => setError(messageOf(failure)));
  }, [botId, days]);

  const rows = data?.days ?? [];
  const dates = rows.map((d) => d.date);
  const today = rows[rows.length - 1];
  const total = (pick: (d: Analytics["days"][number]) => number) => rows.reduce((sum, d) => sum + pick(d), 0);
  const count = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

  return (
    <>
      <h1 tabIndex={-1}>Analytics</h1>
      <BotTabs botId={botId} current="analytics" />
      <div class="segmented range" role="group" aria-label="Period">
        {RANGES.map((range) => (
          <button key={range} type="button" aria-pressed={range === days} onClick={() => setDays(range)}>
            {range} days
          </button>
        ))}
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {!data && !error ? <p role="status">Loading analytics…</p> : null}
      {data ? (
        <>
          <dl class="totals">
            <div>
              <dt>Conversations today</dt>
              <dd class="today-conversations">{today?.conversations ?? 0}</dd>
            </div>
            <div>
              <dt>Cost today</dt>
              <dd class="today-cost">{formatUsd(today?.costUsd ?? 0)}</dd>
            </div>
            <div>
              <dt>Conversations, {days} days</dt>
              <dd>{total((d) => d.conversations)}</dd>
            </div>
            <div>
              <dt>Cost, {days} days</dt>
              <dd>{formatUsd(total((d) => d.costUsd))}</dd>
            </div>
          </dl>
          <div class="charts">
            <DailyChart title="Conversations per day" kind="bars" integer dates={dates} format={count} series={[{ label: "Conversations", tone: "series-1", values: rows.map((d) => d.conversations) }]} />
            <DailyChart
              title="Answers per day by tier"
              kind="bars"
              integer
              dates={dates}
              format={count}
              series={[
                { label: "Small model", tone: "series-1", values: rows.map((d) => d.answers.small) },
                { label: "Large model", tone: "series-2", values: rows.map((d) => d.answers.large) },
                { label: "Escalated", tone: "series-3", values: rows.map((d) => d.answers.escalated) },
              ]}
            />
            <DailyChart
              title="Cost per day"
              kind="bars"
              dates={dates}
              format={formatUsd}
              series={[{ label: "Cost", tone: "series-2", values: rows.map((d) => d.costUsd) }]}
              reference={data.dailySpendingCapUsd !== undefined ? { value: data.dailySpendingCapUsd, label: "Daily cap" } : undefined}
            />
            <DailyChart title="Share of answers with sources" kind="line" dates={dates} max={1} format={(v) => formatShare(v)} series={[{ label: "With sources", tone: "series-1", values: rows.map((d) => (answered(d) ? (d.groundedShare ?? 0) : null)) }]} />
            <DailyChart
              title="Feedback per day"
              kind="bars"
              integer
              dates={dates}
              format={count}
              series={[
                { label: "Thumbs up", tone: "series-4", values: rows.map((d) => d.feedback.up) },
                { label: "Thumbs down", tone: "series-3", values: rows.map((d) => d.feedback.down) },
              ]}
            />
          </div>
          <section aria-labelledby="unanswered-heading">
            <h2 id="unanswered-heading">Questions without sources</h2>
            <p class="hint">The most frequent questions no document answered: what to document next.</p>
            {data.unansweredQuestions.length ? (
              <div class="table-wrap">
                <table class="data unanswered">
                  <thead>
                    <tr>
                      <th scope="col">Question</th>
                      <th scope="col" class="number">
                        Times asked
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.unansweredQuestions.map((q) => (
                      <tr key={q.question}>
                        <td class="question">{q.question}</td>
                        <td class="number">{q.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p>None in this period.</p>
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
