// Reads what wrangler 4.86 prints. Where wrangler has a JSON mode we use it; `r2 bucket list`, `d1 create`,
// `d1 migrations list` and `deploy` only print text, so those are read by the lines wrangler writes
// (src/r2/bucket.ts, src/d1/create.ts, src/d1/migrations/list.ts, src/deploy/deploy.ts in workers-sdk).
// Recorded samples: test/fixtures/wrangler-4.86/.

/** Wrangler prints a banner and warnings around JSON in some versions: take the outermost JSON value. */
function jsonIn(output) {
  const start = output.search(/[[{]/);
  if (start === -1) throw new Error(`wrangler printed no JSON:\n${output.slice(0, 500)}`);
  const close = output[start] === "[" ? "]" : "}";
  return JSON.parse(output.slice(start, output.lastIndexOf(close) + 1));
}

/** `wrangler whoami --json` → logged in or not, and the accounts. */
export function parseWhoami(output) {
  const info = jsonIn(output);
  return { loggedIn: info.loggedIn === true, email: info.email, accounts: (info.accounts ?? []).map(({ id, name }) => ({ id, name })) };
}

/** `wrangler d1 list --json` → [{ uuid, name }]. */
export function parseD1List(output) {
  return jsonIn(output).map(({ uuid, name }) => ({ uuid, name }));
}

/** `wrangler d1 create <name>` → the new database's id, from the config snippet it prints (JSON or TOML). */
export function parseD1Create(output) {
  const match = /database_id"?\s*[:=]\s*"([0-9a-f-]{36})"/.exec(output);
  if (!match) throw new Error(`could not find the new database's id in wrangler's output:\n${output.slice(0, 500)}`);
  return match[1];
}

/** `wrangler r2 bucket list` (labelled blocks: "name:  <bucket>" / "creation_date:  …") → bucket names. */
export function parseR2BucketList(output) {
  return [...output.matchAll(/^name:\s+(\S+)\s*$/gm)].map((match) => match[1]);
}

/** `wrangler vectorize list --json` → [{ name, dimensions, metric }]. */
export function parseVectorizeList(output) {
  return jsonIn(output).map((index) => ({ name: index.name, dimensions: index.config?.dimensions, metric: index.config?.metric }));
}

/** `wrangler vectorize list-metadata-index <name> --json` → [{ propertyName, indexType }]. */
export function parseMetadataIndexList(output) {
  if (!/[[{]/.test(output)) return [];
  return jsonIn(output).map(({ propertyName, indexType }) => ({ propertyName, indexType }));
}

/** `wrangler secret list --format json` → secret names. */
export function parseSecretList(output) {
  return jsonIn(output).map(({ name }) => name);
}

/** wrangler's answer to `secret list` for a Worker that was never deployed. */
export function isWorkerNotFound(output) {
  return /Worker "[^"]+"(?: \(env: [^)]+\))? not found/.test(output) || /workers\.api\.error\.script_not_found|\[code: 10007\]/.test(output);
}

/** `wrangler d1 migrations list <db> --remote` → names of migrations not applied yet. */
export function parsePendingMigrations(output) {
  if (/No migrations to apply/.test(output)) return [];
  return [...new Set([...output.matchAll(/\b\d+_[\w.-]+?\.sql\b/g)].map((match) => match[0]))];
}

/** `wrangler deploy` → the worker's workers.dev URL (the first https target it lists), if any. */
export function parseDeployUrl(output) {
  return /^\s+(https:\/\/\S+\.workers\.dev)\s*$/m.exec(output)?.[1] ?? /^\s+(https:\/\/\S+)\s*$/m.exec(output)?.[1];
}

/**
 * `wrangler queues list` (a cli-table3 table: "│ id │ name │ created_on │ …") → queue names. An account
 * without queues prints an empty table.
 */
export function parseQueueList(output) {
  const rows = output
    .split("\n")
    .filter((line) => line.trim().startsWith("│"))
    .map((line) => line.trim().replace(/^│|│$/g, "").split("│").map((cell) => cell.trim()));
  if (rows.length === 0) return [];
  const column = rows[0].indexOf("name");
  if (column === -1) throw new Error(`Unexpected \`wrangler queues list\` output (no "name" column):\n${output.slice(0, 300)}`);
  return rows.slice(1).map((row) => row[column]).filter(Boolean);
}
