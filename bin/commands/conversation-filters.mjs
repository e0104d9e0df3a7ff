// The inbox filters shared by `edgechat export` and `edgechat conversations list`, as the API's query string.

export const FILTER_OPTIONS = {
  flags: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  q: { type: "string" },
};

export const FILTER_USAGE = `Filters (combine): --flags needsPerson,thumbsDown,noSources,escalated,failed   --from <date|ms> --to <date|ms>
  (ISO date such as 2026-11-01, or unix milliseconds; a date as --to includes that day)   --q <words of the visitor's questions>`;

/**
 * @param {{ flags?: string, from?: string, to?: string, q?: string }} values
 * @returns {URLSearchParams}
 */
export function filterQuery(values) {
  const query = new URLSearchParams();
  for (const name of Object.keys(FILTER_OPTIONS)) if (values[name] !== undefined && values[name] !== "") query.set(name, values[name]);
  return query;
}
