// Command-line options for the scripts under scripts/: node's parseArgs plus the behaviour every
// script owes its user: `--help` / `-h` prints the usage, and a bad option or value says what is
// wrong, then the usage, and exits 2.
import { parseArgs } from "node:util";

/**
 * Parses process.argv with `options` (a `--help` option is added). Exits 0 after printing `usage`
 * for --help, and 2 with the parser's message and `usage` for an unknown or malformed option.
 *
 * @example
 * const values = parseCommandLine("usage: npm run x -- [--json]", { json: { type: "boolean", default: false } });
 */
export function parseCommandLine(usage, options) {
  let values;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: "boolean", short: "h", default: false } } }));
  } catch (error) {
    exitWithUsage(error.message, usage);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}

/** Prints what is wrong and the usage, and exits 2 (a usage error). */
export function exitWithUsage(message, usage) {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}
