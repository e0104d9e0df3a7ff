// node scripts/wrangler-types.mjs [--check]: `wrangler types` for wrangler.jsonc, written to worker-configuration.d.ts (checked
// in), or with --check: fail when that file no longer matches wrangler.jsonc (npm test runs this).
// Both run in a scratch copy of the config because wrangler also types the secrets it finds in .dev.vars or .env,
// which differ from one developer to the next; the checked-in types must come from wrangler.jsonc alone.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseCommandLine } from "./support/command-line.mjs";

const USAGE = "usage: node scripts/wrangler-types.mjs [--check]";
const { check } = parseCommandLine(USAGE, { check: { type: "boolean", default: false } });
const TYPES = "worker-configuration.d.ts";
// The repo's own copy of wrangler, run from the scratch folder.
const WRANGLER = resolve("node_modules/wrangler/bin/wrangler.js");

const scratch = mkdtempSync(join(tmpdir(), "edgechat-types-"));
try {
  copyFileSync("wrangler.jsonc", join(scratch, "wrangler.jsonc"));
  symlinkSync(resolve("worker"), join(scratch, "worker"));
  if (check) copyFileSync(TYPES, join(scratch, TYPES));
  const args = [WRANGLER, "types", "--include-runtime=false", ...(check ? ["--check"] : [])];
  const result = spawnSync(process.execPath, args, {
    cwd: scratch,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" },
  });
  if (result.status !== 0) {
    console.error(`${result.stdout}${result.stderr}`);
    console.error(check ? `\n${TYPES} is out of date with wrangler.jsonc: run \`node scripts/wrangler-types.mjs\` and commit the result.` : "wrangler types failed.");
    process.exit(1);
  }
  if (check) console.log(`${TYPES} matches wrangler.jsonc.`);
  else {
    copyFileSync(join(scratch, TYPES), TYPES);
    console.log(`wrote ${TYPES} from wrangler.jsonc.`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
