import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// Runs a tiny script that parses its options with parseCommandLine, as the scripts under scripts/ do.
function run(...args: string[]) {
  const script = `
    import { exitWithUsage, parseCommandLine } from "./scripts/support/command-line.mjs";
    const values = parseCommandLine("usage: demo [--n <number>]", { n: { type: "string", default: "1" } });
    if (!(Number(values.n) > 0)) exitWithUsage("--n must be positive, got " + values.n, "usage: demo [--n <number>]");
    console.log("n=" + values.n);`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script, "--", ...args], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("parseCommandLine", () => {
  it("returns the options, with their defaults", () => {
    expect(run()).toMatchObject({ status: 0, stdout: "n=1\n" });
    expect(run("--n", "5")).toMatchObject({ status: 0, stdout: "n=5\n" });
  });

  it("prints the usage for --help and -h, and exits 0", () => {
    expect(run("--help")).toMatchObject({ status: 0, stdout: "usage: demo [--n <number>]\n" });
    expect(run("-h")).toMatchObject({ status: 0, stdout: "usage: demo [--n <number>]\n" });
  });

  it("says what is wrong, then the usage, and exits 2", () => {
    expect(run("--bogus")).toMatchObject({ status: 2, stdout: "", stderr: "Unknown option '--bogus'\nusage: demo [--n <number>]\n" });
    expect(run("--n", "0")).toMatchObject({ status: 2, stderr: "--n must be positive, got 0\nusage: demo [--n <number>]\n" });
  });
});
