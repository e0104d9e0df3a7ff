import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/console-api";
import { addSource, cancelSourceSync, listSources, removeSource, syncSource, type NewSource, type Source, type SourceKind, type SourceSchedule, type SyncReport } from "../api/sources-api";
import { BotTabs } from "../components/bot-tabs";
import { Notice, SelectInput, TextInput } from "../components/form-field";
import { formatDate } from "../format";
import { canEdit, useSession } from "../session-context";

/** While a sync runs the page asks for its report this often: every few seconds, never faster. */
export const SYNC_POLL_MS = 3000;

const KINDS: readonly { value: SourceKind; label: string }[] = [
  { value: "crawl", label: "Website (crawl from a start page)" },
  { value: "sitemap", label: "Sitemap (or sitemap index)" },
  { value: "url", label: "One page" },
];
const SCHEDULES: readonly { value: SourceSchedule; label: string }[] = [
  { value: "manual", label: "Only when I sync" },
  { value: "daily", label: "Daily" },
  { value: "weekly", label: "Weekly" },
];
const KIND_LABELS: Record<string, string> = { crawl: "Crawl", sitemap: "Sitemap", url: "Page", file: "Files" };
const SCHEDULE_LABELS: Record<string, string> = { manual: "Manual", daily: "Daily", weekly: "Weekly" };
const STATUS_LABELS: Record<SyncReport["status"], string> = { running: "Syncing…", completed: "Synced", cancelled: "Cancelled", failed: "Failed" };

interface Draft {
  kind: SourceKind;
  url: string;
  schedule: SourceSchedule;
  maxPages: string;
  maxDepth: string;
  pathPrefix: string;
}
const EMPTY: Draft = { kind: "crawl", url: "", schedule: "manual", maxPages: "", maxDepth: "", pathPrefix: "" };

/** /admin/bots/:id/sources: web sources (page, sitemap, crawl) with schedule and limits, their syncs live. */
export function SourcesPage({ botId }: { botId: string }) {
  const { member } = useSession();
  const editable = canEdit(member);
  const [sources, setSources] = useState<Source[]>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  /** How many loads have ended, so each one, failed or not, leads to the next poll. */
  const [loads, setLoads] = useState(0);

  const load = async () => {
    try {
      setSources(await listSources(botId));
      setError(undefined);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setLoads((count) => count + 1);
    }
  };
  useEffect(() => void load(), [botId]);

  // Poll while a sync runs (one request at a time, SYNC_POLL_MS apart), stop when none does or the page goes.
  // A failed poll shows its error and the next one goes on (it stopped the polling for good before).
  const running = sources?.some((source) => source.sync?.status === "running") ?? false;
  useEffect(() => {
    if (!running) return;
    timer.current = setTimeout(() => void load(), SYNC_POLL_MS);
    return () => clearTimeout(timer.current);
  }, [running, loads]);

  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors = draftErrors(draft);
    setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    setBusy(true);
    const sent = draft;
    try {
      const source = await addSource(botId, toNewSource(sent));
      // Empty the form only if it still holds what was sent: what the person typed meanwhile is theirs.
      setDraft((current) => (current === sent ? EMPTY : current));
      setStatus(`Added ${source.url}; its first sync has started.`);
      await load();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 400) setFieldErrors({ "source-url": [failure.message] });
      else setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const act = async (message: string, action: () => Promise<unknown>) => {
    try {
      await action();
      setStatus(message);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const remove = (source: Source) => {
    if (!confirm(`Remove ${source.url}? Its documents are deleted and the bot stops answering from them.`)) return;
    void act(`Removed ${source.url}.`, () => removeSource(botId, source.id));
  };

  const crawls = draft.kind !== "url";
  return (
    <>
      <h1 tabIndex={-1}>Sources</h1>
      <BotTabs botId={botId} current="sources" />
      {error ? <Notice tone="error">{error}</Notice> : null}
      {editable ? (
        <form class="settings source-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="add-source-heading">
          <section>
            <h2 id="add-source-heading">Add a source</h2>
            <p class="hint">The worker fetches the pages, keeps their main text and indexes it. Only public http(s) addresses; robots.txt is respected.</p>
            <div class="two">
              <SelectInput id="source-kind" label="Kind" value={draft.kind} options={KINDS} onChange={(kind) => set({ kind })} />
              <SelectInput id="source-schedule" label="Sync" value={draft.schedule} options={SCHEDULES} onChange={(schedule) => set({ schedule })} />
            </div>
            <TextInput id="source-url" label={draft.kind === "sitemap" ? "Sitemap URL" : draft.kind === "crawl" ? "Start page URL" : "Page URL"} type="url" value={draft.url} onInput={(url) => set({ url })} placeholder="https://docs.example.com/" required errors={fieldErrors["source-url"]} />
            {crawls ? (
              <div class="three">
                <TextInput id="source-max-pages" label="Page limit" hint="Default 500, at most 5,000." inputMode="numeric" value={draft.maxPages} onInput={(maxPages) => set({ maxPages })} errors={fieldErrors["source-max-pages"]} />
                <TextInput id="source-max-depth" label={draft.kind === "crawl" ? "Link depth" : "Sitemap nesting"} hint="Default 3, at most 10." inputMode="numeric" value={draft.maxDepth} onInput={(maxDepth) => set({ maxDepth })} errors={fieldErrors["source-max-depth"]} />
                {draft.kind === "crawl" ? <TextInput id="source-path-prefix" label="Path prefix" hint="Only URLs under it, e.g. /docs/." value={draft.pathPrefix} onInput={(pathPrefix) => set({ pathPrefix })} errors={fieldErrors["source-path-prefix"]} /> : null}
              </div>
            ) : null}
            <p>
              <button type="submit" class="primary" disabled={busy}>
                {busy ? "Adding…" : "Add and sync"}
              </button>
            </p>
          </section>
        </form>
      ) : null}
      <p class="sr-only" role="status">
        {status}
      </p>
      {!sources && !error ? <p role="status">Loading sources…</p> : null}
      {sources && sources.length === 0 ? <p>No sources yet. Add your docs site, help center sitemap or a page, and the bot keeps up with it.</p> : null}
      {sources && sources.length > 0 ? (
        <ul class="sources" aria-label="Sources of this bot">
          {sources.map((source) => (
            <SourceItem
              key={source.id}
              source={source}
              editable={editable}
              onSync={() => void act(`Sync of ${source.url} started.`, () => syncSource(botId, source.id))}
              onCancel={() => void act(`Sync of ${source.url} cancelled.`, () => cancelSourceSync(botId, source.id))}
              onRemove={() => remove(source)}
            />
          ))}
        </ul>
      ) : null}
    </>
  );
}

function SourceItem({ source, editable, onSync, onCancel, onRemove }: { source: Source; editable: boolean; onSync: () => void; onCancel: () => void; onRemove: () => void }) {
  const sync = source.sync;
  const running = sync?.status === "running";
  const headingId = `source-${source.id}`;
  return (
    <li class="source" aria-labelledby={headingId}>
      <div class="source-head">
        <h2 id={headingId} class="source-url">
          <span class="badge">{KIND_LABELS[source.kind] ?? source.kind}</span> {source.url}
        </h2>
        {editable ? (
          <div class="row-actions">
            {running ? (
              <button type="button" onClick={onCancel} aria-label={`Cancel sync of ${source.url}`}>
                Cancel sync
              </button>
            ) : (
              <button type="button" onClick={onSync} aria-label={`Sync now: ${source.url}`}>
                Sync now
              </button>
            )}
            <button type="button" class="danger" onClick={onRemove} aria-label={`Remove ${source.url}`}>
              Remove
            </button>
          </div>
        ) : null}
      </div>
      <p class="source-meta">
        {SCHEDULE_LABELS[source.schedule] ?? source.schedule} sync{source.schedule !== "manual" && source.nextSyncAt ? `, next ${formatDate(source.nextSyncAt)}` : ""} · up to {source.limits.maxPages} page{source.limits.maxPages === 1 ? "" : "s"}
        {source.kind !== "url" ? `, depth ${source.limits.maxDepth}` : ""}
        {source.limits.pathPrefix ? `, under ${source.limits.pathPrefix}` : ""}
      </p>
      {sync ? <SyncSummary sync={sync} url={source.url} /> : <p>Not synced yet.</p>}
    </li>
  );
}

const COUNTS: readonly [keyof SyncReport, string][] = [
  ["found", "found"],
  ["indexed", "indexed"],
  ["unchanged", "unchanged"],
  ["duplicate", "duplicates"],
  ["skipped", "skipped"],
  ["failed", "failed"],
  ["removed", "removed"],
];

function SyncSummary({ sync, url }: { sync: SyncReport; url: string }) {
  const running = sync.status === "running";
  const done = Math.max(0, sync.found - sync.queued);
  return (
    <div class="sync">
      <p>
        <span class={`badge ${sync.status === "completed" ? "ready" : sync.status === "failed" ? "failed" : ""}`}>{STATUS_LABELS[sync.status] ?? sync.status}</span>{" "}
        {running ? `started ${formatDate(sync.startedAt)}` : `${formatDate(sync.finishedAt ?? sync.startedAt)}`}
        {sync.error ? <span class="doc-error"> {sync.error}</span> : null}
      </p>
      {running ? (
        <p class="sync-progress">
          <progress max={Math.max(sync.found, 1)} value={done} aria-label={`Sync of ${url}`} /> <span>{`${done} of ${sync.found} pages`}</span>
        </p>
      ) : null}
      <dl class="sync-counts" aria-label={`Last sync of ${url}`}>
        {COUNTS.map(([key, label]) => (
          <div key={key} class={key === "failed" && sync.failed > 0 ? "problem" : undefined}>
            <dt>{label}</dt>
            <dd>{sync[key] as number}</dd>
          </div>
        ))}
      </dl>
      {sync.problems.length ? (
        <details class="problems">
          <summary>
            {sync.problems.length} page{sync.problems.length === 1 ? "" : "s"} with problems
          </summary>
          <table class="data">
            <caption class="sr-only">Pages of {url} that were not indexed, and why</caption>
            <thead>
              <tr>
                <th scope="col">Page</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {sync.problems.map((problem) => (
                <tr key={problem.url}>
                  <td class="doc-source">{problem.url}</td>
                  <td>{problem.outcome}</td>
                  <td class="doc-error">{problem.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}

/** Client checks of the add form, by field id (the server checks again and says why a URL is refused). */
export function draftErrors(draft: Draft): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!/^https?:\/\/\S+$/i.test(draft.url.trim())) errors["source-url"] = ["Enter an http:// or https:// address."];
  const whole = (value: string, min: number, max: number) => value.trim() === "" || (/^\d+$/.test(value.trim()) && Number(value) >= min && Number(value) <= max);
  if (!whole(draft.maxPages, 1, 5000)) errors["source-max-pages"] = ["A whole number from 1 to 5,000."];
  if (!whole(draft.maxDepth, 0, 10)) errors["source-max-depth"] = ["A whole number from 0 to 10."];
  if (draft.pathPrefix.trim() && !draft.pathPrefix.trim().startsWith("/")) errors["source-path-prefix"] = ["Start it with /."];
  return errors;
}

function toNewSource(draft: Draft): NewSource {
  const limits: NewSource["limits"] = {};
  if (draft.kind !== "url") {
    if (draft.maxPages.trim()) limits.maxPages = Number(draft.maxPages);
    if (draft.maxDepth.trim()) limits.maxDepth = Number(draft.maxDepth);
    if (draft.kind === "crawl" && draft.pathPrefix.trim()) limits.pathPrefix = draft.pathPrefix.trim();
  }
  return { kind: draft.kind, url: draft.url.trim(), schedule: draft.schedule, ...(Object.keys(limits).length ? { limits } : {}) };
}
