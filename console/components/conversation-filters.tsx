import { useEffect, useState } from "preact/hooks";
import { CONVERSATION_FLAGS, type ConversationFilters, type ConversationFlag, type ConversationFlags, type HandoffState } from "../api/conversations-api";

/** The flags of a conversation, for people. */
export const FLAG_LABELS: Record<ConversationFlag, string> = {
  needsPerson: "Needs a person",
  thumbsDown: "Thumbs down",
  noSources: "No sources",
  escalated: "Escalated",
  failed: "Failed or stopped",
};

/**
 * The inbox's filters: flags (all must hold), a date range and a search over the visitor's questions.
 * Flags and dates apply at once; the search applies when submitted.
 */
export function ConversationFiltersForm({ filters, onChange }: { filters: ConversationFilters; onChange: (filters: ConversationFilters) => void }) {
  const [q, setQ] = useState(filters.q ?? "");
  useEffect(() => setQ(filters.q ?? ""), [filters.q]);
  const toggle = (flag: ConversationFlag, on: boolean) => onChange({ ...filters, flags: CONVERSATION_FLAGS.filter((f) => (f === flag ? on : filters.flags.includes(f))) });
  const setDate = (key: "from" | "to", value: string) => onChange({ ...filters, [key]: value || undefined });
  const empty = !filters.flags.length && !filters.from && !filters.to && !filters.q;

  return (
    <form
      class="conversation-filters card"
      role="search"
      aria-label="Filter conversations"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...filters, q: q.trim() || undefined });
      }}
    >
      <fieldset class="flag-filters">
        <legend>Show only conversations that are</legend>
        <ul>
          {CONVERSATION_FLAGS.map((flag) => (
            <li key={flag}>
              <input id={`flag-${flag}`} type="checkbox" checked={filters.flags.includes(flag)} onChange={(event) => toggle(flag, event.currentTarget.checked)} />
              <label for={`flag-${flag}`}>{FLAG_LABELS[flag]}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div class="filter-row">
        <div class="field">
          <label for="filter-from">From</label>
          <input id="filter-from" type="date" value={filters.from ?? ""} max={filters.to} onChange={(event) => setDate("from", event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="filter-to">To</label>
          <input id="filter-to" type="date" value={filters.to ?? ""} min={filters.from} onChange={(event) => setDate("to", event.currentTarget.value)} />
        </div>
        <div class="field search-field">
          <label for="filter-q">Visitor's questions contain</label>
          <div class="copy-row">
            <input id="filter-q" type="search" value={q} maxLength={200} onInput={(event) => setQ(event.currentTarget.value)} />
            <button type="submit">Search</button>
          </div>
        </div>
      </div>
      {empty ? null : (
        <button type="button" class="link-button" onClick={() => onChange({ flags: [] })}>
          Clear filters
        </button>
      )}
    </form>
  );
}

/** A conversation's flags as badges (none: nothing). */
export function ConversationFlagBadges({ flags }: { flags: ConversationFlags }) {
  const set = CONVERSATION_FLAGS.filter((flag) => flags[flag]);
  if (!set.length) return null;
  return (
    <ul class="flag-badges" aria-label="Flags">
      {set.map((flag) => (
        <li key={flag} class={`badge flag-${flag}`}>
          {FLAG_LABELS[flag]}
        </li>
      ))}
    </ul>
  );
}

/** Where a conversation's handoff stands, as a short badge (none: nothing). */
export function HandoffBadge({ handoff }: { handoff: HandoffState }) {
  if (handoff.state === "none") return null;
  const text = handoff.state === "requested" ? "Person requested" : handoff.state === "human" ? `With ${handoff.agentName || "a person"}` : "Sent to webhook";
  return <span class={`badge handoff-${handoff.state}`}>{text}</span>;
}
