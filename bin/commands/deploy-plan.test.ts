import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs CLI modules
import { describeStep, planDeploy } from "./deploy-plan.mjs";
// @ts-expect-error: plain .mjs CLI modules
import { summarizeConfig } from "./deploy.mjs";
// @ts-expect-error: plain .mjs CLI modules
import { readWranglerConfig, parseJsonc } from "./wrangler-config.mjs";
import {
  isWorkerNotFound,
  parseD1List,
  parseMetadataIndexList,
  parsePendingMigrations,
  parseQueueList,
  parseR2BucketList,
  parseSecretList,
  parseVectorizeList,
  parseWhoami,
  // @ts-expect-error: plain .mjs CLI modules
} from "./wrangler-output.mjs";

// Plans against wrangler 4.86's outputs as recorded in test/fixtures/wrangler-4.86.
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/wrangler-4.86/${name}`, import.meta.url), "utf8");
const repoConfig = summarizeConfig(readWranglerConfig(new URL("../..", import.meta.url).pathname.replace(/\/$/, "")));
const offline = { provider: "offline", embedding: { model: "offline-hashing", dimensions: 384 }, openaiKeySource: "none" };

/** The account before anything of edgechat exists (someone's blog is there). */
function firstRunState() {
  return {
    ...offline,
    config: repoConfig,
    loggedIn: parseWhoami(fixture("whoami.json")).loggedIn,
    accounts: parseWhoami(fixture("whoami.json")).accounts,
    d1Databases: parseD1List(fixture("d1-list.json")).filter((database: { name: string }) => database.name !== "edgechat"),
    r2Buckets: parseR2BucketList(fixture("r2-bucket-list-other.txt")),
    queues: [],
    vectorizeIndexes: parseVectorizeList(fixture("vectorize-list-other.json")),
    secrets: isWorkerNotFound(fixture("secret-list-not-found.txt")) ? [] : undefined,
  };
}

/** The account and config after a first run: everything exists, the config has the database id. */
function secondRunState() {
  const d1Databases = parseD1List(fixture("d1-list.json"));
  const id = d1Databases.find((database: { name: string }) => database.name === "edgechat").uuid;
  return {
    ...offline,
    config: { ...repoConfig, d1: { ...repoConfig.d1, database_id: id } },
    loggedIn: true,
    accounts: parseWhoami(fixture("whoami.json")).accounts,
    d1Databases,
    r2Buckets: parseR2BucketList(fixture("r2-bucket-list.txt")),
    queues: parseQueueList(fixture("queues-list.txt")),
    vectorizeIndexes: parseVectorizeList(fixture("vectorize-list.json")),
    metadataIndexes: parseMetadataIndexList(fixture("vectorize-list-metadata-index.json")),
    secrets: parseSecretList(fixture("secret-list.json")),
    pendingMigrations: parsePendingMigrations(fixture("d1-migrations-list-none.txt")),
  };
}

const lines = (plan: { steps: unknown[] }) => plan.steps.map((step) => describeStep(step, "wrangler.jsonc"));

describe("planDeploy", () => {
  it("creates the knowledge-source queue only when the account lacks it, and refuses a config that opens the fetch guard", () => {
    const first = lines(planDeploy(firstRunState()));
    expect(first).toContain("wrangler queues create edgechat-source-sync");
    expect(lines(planDeploy(secondRunState()))).not.toContain("wrangler queues create edgechat-source-sync");
    const opened = planDeploy({ ...secondRunState(), config: { ...secondRunState().config, vars: { EDGECHAT_FETCH_ALLOW_HOSTS: "127.0.0.1:8080" } } });
    expect(opened.errors.join("\n")).toMatch(/EDGECHAT_FETCH_ALLOW_HOSTS/);
  });


  it("creates everything on an account that has none of it, in order, then deploys", () => {
    const plan = planDeploy(firstRunState());
    expect(plan.errors).toEqual([]);
    expect(lines(plan)).toEqual([
      "wrangler d1 create edgechat --update-config=false",
      "edit wrangler.jsonc: d1_databases[0].database_id = <the id `wrangler d1 create` prints>",
      "wrangler r2 bucket create edgechat-images --update-config=false",
      "wrangler queues create edgechat-source-sync",
      "wrangler vectorize create edgechat --dimensions=384 --metric=cosine --update-config=false",
      "wrangler vectorize create-metadata-index edgechat --propertyName=documentId --type=string",
      "wrangler secret put ADMIN_TOKEN   # value on stdin: a generated value",
      "wrangler secret put SESSION_SECRET   # value on stdin: a generated value",
      "wrangler d1 migrations apply DB --remote",
      "wrangler deploy",
    ]);
    expect(plan.assumptions).toEqual(["assuming D1 migrations are pending (not checked: could not look it up)."]);
  });

  it("plans only `deploy` against the state a first run leaves", () => {
    const plan = planDeploy(secondRunState());
    expect(plan).toEqual({ steps: [{ kind: "wrangler", title: "deploy the Worker", args: ["deploy"] }], assumptions: [], errors: [] });
  });

  it("applies only when migrations are pending", () => {
    const plan = planDeploy({ ...secondRunState(), pendingMigrations: parsePendingMigrations(fixture("d1-migrations-list.txt")) });
    expect(lines(plan)).toEqual(["wrangler d1 migrations apply DB --remote", "wrangler deploy"]);
    expect(plan.steps[0].title).toContain("0001_documents.sql, 0002_bots.sql, 0003_turns.sql, 0004_image_usage.sql");
  });

  it("connects an existing database to a config that still has the placeholder id", () => {
    const state = secondRunState();
    const plan = planDeploy({ ...state, config: repoConfig });
    expect(lines(plan)).toEqual(['edit wrangler.jsonc: d1_databases[0].database_id = "8f3b2c1e-5d4a-4b7e-9c2f-1a6d3e5b7c90"', "wrangler deploy"]);
  });

  it("adds the metadata index to an existing index that lacks it", () => {
    const plan = planDeploy({ ...secondRunState(), metadataIndexes: [] });
    expect(lines(plan)).toEqual(["wrangler vectorize create-metadata-index edgechat --propertyName=documentId --type=string", "wrangler deploy"]);
  });

  it("sizes the index for OpenAI and asks for its key", () => {
    const plan = planDeploy({ ...firstRunState(), provider: "openai", embedding: { model: "text-embedding-3-small", dimensions: 1536 }, openaiKeySource: "env" });
    expect(lines(plan)).toContain("wrangler vectorize create edgechat --dimensions=1536 --metric=cosine --update-config=false");
    expect(lines(plan)).toContain("wrangler secret put OPENAI_API_KEY   # value on stdin: $OPENAI_API_KEY");
  });

  it("refuses, with a clear reason, an OpenAI deploy with no key and no way to ask", () => {
    const plan = planDeploy({ ...firstRunState(), provider: "openai", embedding: { model: "text-embedding-3-small", dimensions: 1536 } });
    expect(plan.errors).toEqual([expect.stringContaining("--openai-key-from-env")]);
  });

  it("does not ask for a key the Worker already has", () => {
    const state = secondRunState();
    const plan = planDeploy({ ...state, provider: "openai", secrets: [...state.secrets, "OPENAI_API_KEY"], vectorizeIndexes: [{ name: "edgechat", dimensions: 1536, metric: "cosine" }], embedding: { model: "text-embedding-3-small", dimensions: 1536 } });
    expect(lines(plan)).toEqual(["wrangler deploy"]);
  });

  it("refuses to reuse an index whose dimensions do not fit the model", () => {
    const plan = planDeploy({ ...secondRunState(), provider: "openai", secrets: ["ADMIN_TOKEN", "SESSION_SECRET", "OPENAI_API_KEY"], embedding: { model: "text-embedding-3-small", dimensions: 1536 } });
    expect(plan.errors).toEqual([expect.stringMatching(/"edgechat" has 384 dimensions, but text-embedding-3-small .* makes 1536/)]);
  });

  it("without a login still gives the whole plan and says what it assumed", () => {
    const plan = planDeploy({ ...offline, config: repoConfig, loggedIn: false });
    expect(plan.errors).toEqual([]);
    expect(lines(plan)).toEqual(lines(planDeploy(firstRunState())));
    expect(plan.assumptions).toEqual([
      'assuming there is no D1 database "edgechat" yet (not logged in: could not look it up).',
      'assuming there is no R2 bucket "edgechat-images" yet (not logged in: could not look it up).',
      'assuming there is no queue "edgechat-source-sync" yet (not logged in: could not look it up).',
      'assuming there is no Vectorize index "edgechat" yet (not logged in: could not look it up).',
      "assuming the Worker has no secrets yet (not logged in: could not look it up).",
      "assuming D1 migrations are pending (not logged in: could not look it up).",
    ]);
  });

  it("asks to choose an account when the login has several", () => {
    const accounts = [{ id: "a1", name: "Personal" }, { id: "b2", name: "Work" }];
    expect(planDeploy({ ...firstRunState(), accounts }).errors).toEqual([expect.stringContaining("CLOUDFLARE_ACCOUNT_ID")]);
    expect(planDeploy({ ...firstRunState(), accounts, accountFromEnv: "b2" }).errors).toEqual([]);
  });

  it("binds and names what a user's own config leaves out", () => {
    const config = summarizeConfig({
      path: "wrangler.jsonc",
      config: parseJsonc(`{ "name": "help-bot", "d1_databases": [{ "binding": "DB" }], "vectorize": [{ "binding": "OTHER", "index_name": "x" }] }`),
    });
    expect(lines(planDeploy({ ...offline, config, loggedIn: false }))).toEqual([
      'edit wrangler.jsonc: d1_databases[0].database_name = "help-bot"',
      "wrangler d1 create help-bot --update-config=false",
      "edit wrangler.jsonc: d1_databases[0].database_id = <the id `wrangler d1 create` prints>",
      'edit wrangler.jsonc: vectorize = [{"binding":"OTHER","index_name":"x"},{"binding":"VECTORIZE","index_name":"help-bot"}]',
      "wrangler vectorize create help-bot --dimensions=384 --metric=cosine --update-config=false",
      "wrangler vectorize create-metadata-index help-bot --propertyName=documentId --type=string",
      "wrangler secret put ADMIN_TOKEN   # value on stdin: a generated value",
      "wrangler secret put SESSION_SECRET   # value on stdin: a generated value",
      "wrangler d1 migrations apply DB --remote",
      "wrangler deploy",
    ]);
  });

  it("refuses a config without the D1 binding", () => {
    const config = summarizeConfig({ path: "wrangler.json", config: { name: "x" } });
    expect(planDeploy({ ...offline, config, loggedIn: false }).errors).toEqual([expect.stringContaining('no D1 binding "DB"')]);
  });
});
