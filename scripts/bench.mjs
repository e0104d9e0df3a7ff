// npm run bench [-- --json]: performance figures of edgechat, one section per feature.
// Each section is a module in scripts/bench/ exporting a function that returns its figures.
import { formatRoutingBench, runRoutingBench } from "./bench/routing-bench.mjs";

const sections = [{ name: "routing", run: runRoutingBench, format: formatRoutingBench }];
const json = process.argv.includes("--json");
const results = {};
let failed = false;
for (const section of sections) {
  const result = await section.run();
  results[section.name] = result;
  if (result.withinBudget === false) failed = true;
  if (!json) console.log(section.format(result));
}
if (json) console.log(JSON.stringify(results, null, 2));
if (failed) process.exitCode = 1;
