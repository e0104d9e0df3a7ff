// The plan of `edgechat deploy`: from what exists (the wrangler config and the Cloudflare account, as
// wrangler reported them) to the list of steps that makes a working production worker. Pure: no files,
// no processes, so every case is testable against recorded wrangler outputs. deploy.mjs runs the steps.

/** Secrets the worker needs in production; generated at random when absent. */
export const GENERATED_SECRETS = ["ADMIN_TOKEN", "SESSION_SECRET"];
/** The metadata index retrieval filters on (worker/rag: vector metadata `documentId`). */
export const METADATA_INDEX = { propertyName: "documentId", type: "string" };
/** The D1 id in edgechat's own wrangler.jsonc before a first deploy (Cloudflare's templates use "placeholder"). */
const PLACEHOLDER_IDS = new Set(["00000000-0000-4000-8000-000000000000", "placeholder", ""]);

/**
 * @typedef {{ binding: string, database_name?: string, database_id?: string }} D1Binding
 * @typedef {{
 *   config: { path: string, name?: string, accountId?: string, d1?: { index: number } & D1Binding,
 *             r2?: { index: number, binding: string, bucket_name?: string },
 *             vectorize?: { index: number, binding: string, index_name?: string }, otherVectorizeBindings: object[],
 *             queues?: string[], vars?: Record<string, unknown> },
 *   loggedIn?: boolean, accounts?: { id: string, name: string }[], accountFromEnv?: string,
 *   d1Databases?: { uuid: string, name: string }[], r2Buckets?: string[], queues?: string[],
 *   vectorizeIndexes?: { name: string, dimensions: number, metric: string }[],
 *   metadataIndexes?: { propertyName: string, indexType: string }[],
 *   secrets?: string[], pendingMigrations?: string[],
 *   provider: string, embedding: { model: string, dimensions: number },
 *   openaiKeySource: "prompt" | "env" | "none",
 * }} DeployState  Lists left undefined are unknown (no login, or a dry run that does not look).
 *
 * @typedef {{ kind: "wrangler", title: string, args: string[], secret?: { name: string, source: "generated" | "prompt" | "env" }, output?: "d1-id" }
 *   | { kind: "config", title: string, path: (string|number)[], value?: unknown, valueFrom?: "d1-id" }} Step
 */

/**
 * @param {DeployState} state
 * @returns {{ steps: Step[], assumptions: string[], errors: string[] }}
 */
export function planDeploy(state) {
  const { config } = state;
  const steps = [];
  const assumptions = [];
  const errors = [];
  const unknown = (what) => assumptions.push(`${what} (${state.loggedIn === false ? "not logged in" : "not checked"}: could not look it up).`);

  if (!config.name) errors.push(`${config.path} has no "name": the Worker needs one.`);
  if (state.loggedIn && (state.accounts?.length ?? 0) > 1 && !state.accountFromEnv && !config.accountId) {
    errors.push(
      `Your login has ${state.accounts.length} accounts (${state.accounts.map((account) => `${account.name} ${account.id}`).join(", ")}). ` +
        `Choose one: set CLOUDFLARE_ACCOUNT_ID, or "account_id" in ${config.path}.`,
    );
  }
  const workerName = config.name ?? "edgechat";

  // D1: bots, documents, usage. Without it the worker cannot keep bots.
  if (!config.d1) {
    errors.push(`${config.path} has no D1 binding "DB". Add: "d1_databases": [{ "binding": "DB", "database_name": "${workerName}", "migrations_dir": "migrations" }]`);
  } else {
    const name = resourceNames(config).d1;
    const at = ["d1_databases", config.d1.index];
    if (!config.d1.database_name) steps.push({ kind: "config", title: `name the D1 database "${name}"`, path: [...at, "database_name"], value: name });
    const configuredId = config.d1.database_id ?? "";
    const existing = state.d1Databases?.find((database) => database.name === name);
    if (existing) {
      if (existing.uuid !== configuredId) steps.push({ kind: "config", title: `use the existing D1 database "${name}"`, path: [...at, "database_id"], value: existing.uuid });
    } else if (state.d1Databases === undefined && !PLACEHOLDER_IDS.has(configuredId)) {
      unknown(`assuming the D1 database ${configuredId} in ${config.path} exists`);
    } else {
      if (state.d1Databases === undefined) unknown(`assuming there is no D1 database "${name}" yet`);
      steps.push({ kind: "wrangler", title: `create the D1 database "${name}"`, args: ["d1", "create", name, "--update-config=false"], output: "d1-id" });
      steps.push({ kind: "config", title: "write the new database's id", path: [...at, "database_id"], valueFrom: "d1-id" });
    }
  }

  // R2 for generated images: only when the config binds a bucket (images are optional).
  if (config.r2) {
    const name = resourceNames(config).r2;
    if (!config.r2.bucket_name) steps.push({ kind: "config", title: `name the R2 bucket "${name}"`, path: ["r2_buckets", config.r2.index, "bucket_name"], value: name });
    if (state.r2Buckets === undefined) unknown(`assuming there is no R2 bucket "${name}" yet`);
    if (!state.r2Buckets?.includes(name)) steps.push({ kind: "wrangler", title: `create the R2 bucket "${name}"`, args: ["r2", "bucket", "create", name, "--update-config=false"] });
  }

  // Queues the config binds (knowledge-source syncs): wrangler deploy does not create them.
  for (const queue of config.queues ?? []) {
    if (state.queues === undefined) unknown(`assuming there is no queue "${queue}" yet`);
    if (!state.queues?.includes(queue)) steps.push({ kind: "wrangler", title: `create the queue "${queue}"`, args: ["queues", "create", queue] });
  }

  // A test-only escape hatch of the fetch guard must never reach production (worker/fetch/fetch-policy-from-env.ts).
  if (config.vars && "EDGECHAT_FETCH_ALLOW_HOSTS" in config.vars) {
    errors.push(
      `${config.path} sets EDGECHAT_FETCH_ALLOW_HOSTS in "vars": it lets knowledge sources and webhooks reach private hosts, which only tests may do. Remove it before deploying.`,
    );
  }

  // Vectorize, sized for the embedding model, with the metadata index retrieval filters on.
  const indexName = resourceNames(config).vectorize;
  if (!config.vectorize) {
    steps.push({
      kind: "config",
      title: `bind the Vectorize index "${indexName}" as VECTORIZE`,
      path: ["vectorize"],
      value: [...config.otherVectorizeBindings, { binding: "VECTORIZE", index_name: indexName }],
    });
  } else if (!config.vectorize.index_name) {
    steps.push({ kind: "config", title: `name the Vectorize index "${indexName}"`, path: ["vectorize", config.vectorize.index, "index_name"], value: indexName });
  }
  const { dimensions, model } = state.embedding;
  const index = state.vectorizeIndexes?.find((candidate) => candidate.name === indexName);
  if (index && index.dimensions !== dimensions) {
    errors.push(
      `The Vectorize index "${indexName}" has ${index.dimensions} dimensions, but ${model} (provider ${state.provider}) makes ${dimensions}. ` +
        `Use another index name in ${config.path} ("vectorize" → "index_name"), delete the index (\`wrangler vectorize delete ${indexName}\`, which loses its vectors), ` +
        `or set EDGECHAT_EMBEDDING_DIMENSIONS=${index.dimensions} if the model can make vectors that long.`,
    );
  }
  if (!index) {
    if (state.vectorizeIndexes === undefined) unknown(`assuming there is no Vectorize index "${indexName}" yet`);
    steps.push({
      kind: "wrangler",
      title: `create the Vectorize index "${indexName}" (${dimensions} dimensions for ${model}, cosine)`,
      args: ["vectorize", "create", indexName, `--dimensions=${dimensions}`, "--metric=cosine", "--update-config=false"],
    });
  }
  if (!index || !state.metadataIndexes?.some((entry) => entry.propertyName === METADATA_INDEX.propertyName)) {
    if (index && state.metadataIndexes === undefined) unknown(`assuming "${indexName}" has no ${METADATA_INDEX.propertyName} metadata index yet`);
    steps.push({
      kind: "wrangler",
      title: `index the "${METADATA_INDEX.propertyName}" metadata of "${indexName}"`,
      args: ["vectorize", "create-metadata-index", indexName, `--propertyName=${METADATA_INDEX.propertyName}`, `--type=${METADATA_INDEX.type}`],
    });
  }

  // Secrets: generated ones when absent, the model key when the provider needs one.
  if (state.secrets === undefined) unknown("assuming the Worker has no secrets yet");
  for (const name of GENERATED_SECRETS) {
    if (!state.secrets?.includes(name)) steps.push({ kind: "wrangler", title: `set ${name} (generated: 32 random bytes)`, args: ["secret", "put", name], secret: { name, source: "generated" } });
  }
  if (state.provider === "openai" && !state.secrets?.includes("OPENAI_API_KEY")) {
    if (state.openaiKeySource === "none") {
      errors.push("The provider is openai and the Worker has no OPENAI_API_KEY. Run in a terminal to be asked for it, or set OPENAI_API_KEY and pass --openai-key-from-env.");
    } else {
      const from = state.openaiKeySource === "env" ? "from $OPENAI_API_KEY" : "asked for in the terminal";
      steps.push({ kind: "wrangler", title: `set OPENAI_API_KEY (${from})`, args: ["secret", "put", "OPENAI_API_KEY"], secret: { name: "OPENAI_API_KEY", source: state.openaiKeySource } });
    }
  }

  // Schema, then the code.
  if (config.d1) {
    if (state.pendingMigrations === undefined) unknown("assuming D1 migrations are pending");
    if (state.pendingMigrations === undefined || state.pendingMigrations.length > 0) {
      const which = state.pendingMigrations?.length ? ` (${state.pendingMigrations.join(", ")})` : "";
      steps.push({ kind: "wrangler", title: `apply the D1 migrations${which}`, args: ["d1", "migrations", "apply", config.d1.binding, "--remote"] });
    }
  }
  steps.push({ kind: "wrangler", title: "deploy the Worker", args: ["deploy"] });
  return { steps, assumptions, errors };
}

/**
 * The names of the D1 database, R2 bucket and Vectorize index: as the config has them, else derived
 * from the Worker's name (edgechat → edgechat, edgechat-images, edgechat).
 */
export function resourceNames(config) {
  const worker = config.name ?? "edgechat";
  return {
    d1: config.d1?.database_name || worker,
    r2: config.r2?.bucket_name || `${worker}-images`,
    vectorize: config.vectorize?.index_name || worker,
  };
}

/** One line per step, as `--dry-run` prints it: the exact wrangler command, or the config edit. */
export function describeStep(step, configPath) {
  if (step.kind === "config") {
    const where = step.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${key}`)).join("").replace(/^\./, "");
    const value = step.valueFrom === "d1-id" ? "<the id `wrangler d1 create` prints>" : JSON.stringify(step.value);
    return `edit ${configPath}: ${where} = ${value}`;
  }
  const command = `wrangler ${step.args.map(shellQuote).join(" ")}`;
  if (!step.secret) return command;
  const source = { generated: "a generated value", prompt: "the key you type (hidden)", env: "$OPENAI_API_KEY" }[step.secret.source];
  return `${command}   # value on stdin: ${source}`;
}

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
