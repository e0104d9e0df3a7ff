// An earlier commit's worker, to measure it beside this one in one run (npm run bench -- --before <ref>).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * The worker/ (and bin/) tree of a commit, in a temporary folder (remove `dir` when done), with this tree's
 * bench-before.ts in it; and the esbuild options that bundle it beside or instead of this tree: the bench
 * worker's `./bench-before` resolves into it, its packages come from this checkout's node_modules, and its
 * generated word-vector table is this one when unchanged. `entry(path)` is a file of that tree.
 *
 * @example
 * const before = workerTreeAt("main"); // then startRagHarness({ entry: before.entry("worker/main.ts"), esbuild: before.esbuild })
 */
export function workerTreeAt(ref) {
  const dir = mkdtempSync(join(tmpdir(), "edgechat-before-"));
  // bin/ too: the worker imports a few helpers it shares with the command line (bin/commands/document-files.mjs).
  execFileSync("sh", ["-c", `git archive ${JSON.stringify(ref)} worker bin | tar -x -C ${JSON.stringify(dir)}`]);
  copyFileSync("worker/test-support/bench-before.ts", join(dir, "worker/test-support/bench-before.ts"));
  const table = "worker/models/word-vectors-table.ts";
  let sameTable = true;
  try {
    execFileSync("git", ["diff", "--quiet", ref, "--", table], { stdio: "ignore" });
  } catch {
    sameTable = false;
  }
  return {
    dir,
    entry: (path) => join(dir, path),
    esbuild: {
      nodePaths: [resolve("node_modules")],
      plugins: [
        {
          name: "edgechat-before",
          setup(build) {
            build.onResolve({ filter: /^\.\/bench-before$/ }, (args) =>
              args.importer === resolve("worker/test-support/bench-chat-worker.ts") ? { path: join(dir, "worker/test-support/bench-before.ts") } : undefined,
            );
            if (sameTable) {
              build.onResolve({ filter: /word-vectors-table$/ }, (args) => (args.importer.startsWith(dir) ? { path: resolve(table) } : undefined));
            }
          },
        },
      ],
    },
  };
}
