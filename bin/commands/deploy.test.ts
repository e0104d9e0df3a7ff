import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

// `edgechat deploy` end to end: the real CLI in a child process, in a scratch project holding a copy of
// the repo's wrangler.jsonc, with a fake `wrangler` first on PATH that records every call.
const repo = new URL("../..", import.meta.url).pathname;
const fakeWrangler = join(repo, "test/support/fake-wrangler.mjs");
const migrations = readdirSync(join(repo, "migrations")).filter((name) => name.endsWith(".sql")).sort();
/** Commands that only read. Anything else changes the account. */
const READ_ONLY = ["whoami", "d1 list", "r2 bucket list", "queues list", "vectorize list", "vectorize list-metadata-index", "secret list", "d1 migrations list"];

// Every wrangler call starts a node process: a whole deploy takes seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const projects: string[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) rmSync(project, { recursive: true, force: true });
});

function scratchProject(initialAccount: Record<string, unknown>) {
  const project = mkdtempSync(join(tmpdir(), "edgechat-deploy-"));
  projects.push(project);
  copyFileSync(join(repo, "wrangler.jsonc"), join(project, "wrangler.jsonc"));
  const bin = join(project, ".fake-bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "wrangler"), `#!/bin/sh\nexec "${process.execPath}" "${fakeWrangler}" "$@"\n`);
  chmodSync(join(bin, "wrangler"), 0o755);
  writeFileSync(join(project, "account.json"), JSON.stringify({ migrations, d1: [], r2: [], vectorize: [], secrets: {}, ...initialAccount }));
  const deploy = (args: string[] = [], env: Record<string, string> = {}) => {
    writeFileSync(join(project, "calls.jsonl"), "");
    const { EDGECHAT_PROVIDER: _provider, OPENAI_API_KEY: _key, CLOUDFLARE_ACCOUNT_ID: _account, ...inherited } = process.env;
    const result = spawnSync(process.execPath, [join(repo, "bin/edgechat.mjs"), "deploy", ...args], {
      cwd: project,
      encoding: "utf8",
      env: { ...inherited, PATH: `${bin}:${process.env.PATH}`, FAKE_WRANGLER_LOG: join(project, "calls.jsonl"), FAKE_WRANGLER_STATE: join(project, "account.json"), ...env },
    });
    const calls = readFileSync(join(project, "calls.jsonl"), "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { args: string[]; stdin: string });
    return { ...result, calls, commands: calls.map((call) => call.args.join(" ")) };
  };
  const account = () => JSON.parse(readFileSync(join(project, "account.json"), "utf8"));
  const config = () => readFileSync(join(project, "wrangler.jsonc"), "utf8");
  return { project, deploy, account, config };
}

const mutating = (commands: string[]) => commands.filter((command) => !READ_ONLY.some((read) => command === read || command.startsWith(`${read} `)));

describe("edgechat deploy --dry-run", () => {
  it("without a login prints the whole plan, runs nothing but whoami and changes no file", () => {
    const { deploy, config } = scratchProject({ loggedIn: false });
    const before = config();
    const result = deploy(["--dry-run"]);
    expect(result.status).toBe(0);
    expect(result.commands).toEqual(["whoami --json"]);
    expect(result.stdout).toContain("Not logged in to Cloudflare: the plan assumes nothing exists yet.");
    for (const line of [
      "1. wrangler d1 create edgechat --update-config=false",
      "2. edit wrangler.jsonc: d1_databases[0].database_id = <the id `wrangler d1 create` prints>",
      "3. wrangler r2 bucket create edgechat-images --update-config=false",
      "4. wrangler queues create edgechat-source-sync",
      "5. wrangler vectorize create edgechat --dimensions=384 --metric=cosine --update-config=false",
      "6. wrangler vectorize create-metadata-index edgechat --propertyName=documentId --type=string",
      "7. wrangler secret put ADMIN_TOKEN   # value on stdin: a generated value",
      "8. wrangler secret put SESSION_SECRET   # value on stdin: a generated value",
      "9. wrangler d1 migrations apply DB --remote",
      "10. wrangler deploy",
      "assuming there is no D1 database \"edgechat\" yet (not logged in: could not look it up).",
      "Dry run: nothing was created, changed or deployed.",
    ]) {
      expect(result.stdout).toContain(line);
    }
    expect(config()).toBe(before);
  });

  it("with a login looks (read-only commands only) and plans what is missing", () => {
    const { deploy, account, config } = scratchProject({ loggedIn: true, r2: ["edgechat-images"] });
    const before = { account: account(), config: config() };
    const result = deploy(["--dry-run"]);
    expect(result.status).toBe(0);
    expect(mutating(result.commands)).toEqual([]);
    expect(result.commands).toEqual(["whoami --json", "d1 list --json", "r2 bucket list", "queues list", "vectorize list --json", "secret list --format json"]);
    expect(result.stdout).toContain("wrangler d1 create edgechat");
    expect(result.stdout).not.toContain("wrangler r2 bucket create");
    expect({ account: account(), config: config() }).toEqual(before);
  });
});

describe("edgechat deploy", () => {
  it("creates everything, keeps the config's comments, never prints secrets; a second run only deploys", () => {
    const { project, deploy, account, config } = scratchProject({ loggedIn: true });
    writeFileSync(join(project, ".gitignore"), "node_modules/");
    const first = deploy();
    expect(first.status, first.stderr).toBe(0);
    const state = account();
    expect(state.d1).toEqual([{ uuid: expect.any(String), name: "edgechat" }]);
    expect(state.r2).toEqual(["edgechat-images"]);
    expect(state.vectorize).toEqual([{ name: "edgechat", dimensions: 384, metric: "cosine", metadataIndexes: [{ propertyName: "documentId", indexType: "string" }] }]);
    expect(state.appliedMigrations).toEqual(migrations);
    expect(state.deploys).toBe(1);
    // The id is written in place; the comments around it survive.
    expect(config()).toContain(`"database_id": "${state.d1[0].uuid}"`);
    expect(config()).toContain("// Pinned: the newest date the workerd bundled with wrangler 4.86 supports.");
    // Secrets: random, sent on stdin, never printed; the admin token is kept for its owner only.
    expect(Object.keys(state.secrets)).toEqual(["ADMIN_TOKEN", "SESSION_SECRET"]);
    expect(state.secrets.ADMIN_TOKEN).toMatch(/^[\w-]{43}$/);
    expect(state.secrets.SESSION_SECRET).not.toBe(state.secrets.ADMIN_TOKEN);
    for (const secret of Object.values(state.secrets) as string[]) {
      expect(first.stdout + first.stderr).not.toContain(secret);
      expect(first.calls.some((call) => call.args.includes(secret))).toBe(false);
    }
    const tokenFile = join(project, ".edgechat-admin-token");
    expect(readFileSync(tokenFile, "utf8").trim()).toBe(state.secrets.ADMIN_TOKEN);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(project, ".gitignore"), "utf8")).toBe("node_modules/\n.edgechat-admin-token\n");
    expect(first.stdout).toContain("Worker:   https://edgechat.dev-account.workers.dev");
    expect(first.stdout).toContain("Console:  https://edgechat.dev-account.workers.dev/admin");
    expect(first.stdout).toContain('<script src="https://edgechat.dev-account.workers.dev/widget.js" data-bot="<bot id>" async></script>');
    expect(first.stdout).toContain(`ADMIN_TOKEN: ${state.secrets.ADMIN_TOKEN.slice(0, 4)}…`);

    const second = deploy();
    expect(second.status, second.stderr).toBe(0);
    expect(mutating(second.commands)).toEqual(["deploy"]);
    expect(second.commands).toContain("d1 migrations list DB --remote");
    expect(account().secrets).toEqual(state.secrets);
    expect(second.stdout).not.toContain("ADMIN_TOKEN:");
  });

  it("with OpenAI sizes the index for text-embedding-3-small and sets the key from the environment", () => {
    const { deploy, account } = scratchProject({ loggedIn: true });
    const result = deploy(["--openai-key-from-env"], { OPENAI_API_KEY: "sk-test-key-123" });
    expect(result.status, result.stderr).toBe(0);
    expect(account().vectorize[0].dimensions).toBe(1536);
    expect(account().secrets.OPENAI_API_KEY).toBe("sk-test-key-123");
    expect(result.calls.find((call) => call.args.join(" ") === "secret put OPENAI_API_KEY")?.stdin).toBe("sk-test-key-123");
    expect(result.stdout).not.toContain("sk-test-key-123");
  });

  it("without a terminal refuses an OpenAI deploy that lacks the key, before changing anything", () => {
    const { deploy, account } = scratchProject({ loggedIn: true });
    const result = deploy(["--provider", "openai"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--openai-key-from-env");
    expect(mutating(result.commands)).toEqual([]);
    expect(account().d1).toEqual([]);
  });

  it("says what to do without a login, or with a TOML config", () => {
    const broken = scratchProject({ loggedIn: true, whoamiFails: true });
    const failed = broken.deploy();
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("`wrangler whoami --json` failed");
    expect(broken.deploy(["--dry-run"]).stdout).toContain("assuming there is no D1 database \"edgechat\" yet (not checked: could not look it up).");

    const loggedOut = scratchProject({ loggedIn: false });
    const result = loggedOut.deploy();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("npx wrangler login");
    expect(result.commands).toEqual(["whoami --json"]);

    const toml = scratchProject({ loggedIn: true });
    rmSync(join(toml.project, "wrangler.jsonc"));
    writeFileSync(join(toml.project, "wrangler.toml"), 'name = "edgechat"\n');
    const refused = toml.deploy(["--dry-run"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("wrangler.toml is TOML; edgechat deploy edits wrangler.jsonc or wrangler.json only");
    expect(existsSync(join(toml.project, "wrangler.jsonc"))).toBe(false);
  });
});
