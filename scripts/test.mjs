// npm test: the whole suite, in the order that fails fastest.
// type-check -> binding types (worker-configuration.d.ts still matches wrangler.jsonc) -> build (the e2e tests use the built widget) -> examples (built as npm users build them) -> size budget -> vitest (unit, worker in workerd, e2e in Chromium).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { testTotals } from "./support/test-totals.mjs";

const RESULTS = "node_modules/.cache/vitest-results.json";

const started = Date.now();
const steps = [
  ["type-check", ["node_modules/typescript/bin/tsc", "-b"]],
  ["binding types", ["scripts/wrangler-types.mjs", "--check"]],
  ["build", ["scripts/build.mjs"]],
  ["examples", ["scripts/build-examples.mjs"]],
  ["size budget", ["scripts/size.mjs", "--no-build"]],
  ["vitest", ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${RESULTS}`, ...process.argv.slice(2)]],
];
for (const [name, args] of steps) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (name === "vitest") printTotals(result.status ?? 1);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
console.log(`\n✔ all tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);

// One plain closing line that CI and people can read: "N passed, N failed" (files that failed to load count).
function printTotals(exitCode) {
  let results;
  try {
    results = JSON.parse(readFileSync(RESULTS, "utf8"));
  } catch {
    results = undefined;
  }
  const totals = testTotals(results, { exitCode });
  for (const file of totals.failedFiles) console.log(`  failed to run: ${file}`);
  console.log(`\n${totals.line}`);
}
