// The user's wrangler config (wrangler.json or wrangler.jsonc): find it, read it, and change single
// values in place so that comments, order and formatting stay as the user wrote them.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Wrangler's own search order. */
const CONFIG_NAMES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/**
 * @param {string} directory
 * @param {string} [explicitPath] --config
 * @returns {{ path: string, text: string, config: any }}
 */
export function readWranglerConfig(directory, explicitPath) {
  const path = explicitPath ?? CONFIG_NAMES.map((name) => join(directory, name)).find((candidate) => existsSync(candidate));
  if (!path || !existsSync(path)) {
    throw new Error(`No wrangler config found in ${directory} (looked for ${CONFIG_NAMES.join(", ")}). Create a wrangler.jsonc (see docs/deploy.md).`);
  }
  if (path.endsWith(".toml")) {
    throw new Error(
      `${path} is TOML; edgechat deploy edits wrangler.jsonc or wrangler.json only. Convert it (same keys, JSON syntax) to wrangler.jsonc and run again.`,
    );
  }
  const text = readFileSync(path, "utf8");
  return { path, text, config: parseJsonc(text) };
}

/** Writes `text` back to the config file. */
export function writeWranglerConfig(path, text) {
  writeFileSync(path, text);
}

/**
 * Parses JSON with comments and trailing commas (JSONC), as wrangler does.
 * @param {string} text
 */
export function parseJsonc(text) {
  return valueOf(parseTree(text));
}

/**
 * Sets `value` at `path` (keys and array indexes) and returns the new text. Every object on the way
 * must exist except the last key, which is replaced when present and added otherwise; comments and
 * everything else stay byte for byte.
 *
 * @example
 * setJsoncValue(text, ["d1_databases", 0, "database_id"], "6c1b…")
 * @param {string} text
 * @param {(string|number)[]} path
 * @param {unknown} value
 */
export function setJsoncValue(text, path, value) {
  const root = parseTree(text);
  let node = root;
  for (const key of path.slice(0, -1)) {
    node = childOf(node, key);
    if (!node) throw new Error(`Cannot set ${path.join(".")}: ${key} is missing.`);
  }
  const last = path.at(-1);
  if (node.type === "array") {
    const item = node.items[/** @type {number} */ (last)];
    if (!item) throw new Error(`Cannot set ${path.join(".")}: no item ${last}.`);
    return replaceRange(text, item.start, item.end, format(value, indentAt(text, item.start)));
  }
  if (node.type !== "object") throw new Error(`Cannot set ${path.join(".")}: not an object.`);
  const existing = node.properties.find((property) => property.key === last);
  if (existing) return replaceRange(text, existing.value.start, existing.value.end, format(value, indentAt(text, existing.keyStart)));
  const previous = node.properties.at(-1);
  if (!previous) {
    const indent = `${indentAt(text, node.start)}  `;
    return replaceRange(text, node.start + 1, node.start + 1, `\n${indent}${JSON.stringify(last)}: ${format(value, indent)}\n${indentAt(text, node.start)}`);
  }
  const indent = indentAt(text, previous.keyStart);
  const separator = sameLine(text, node.start, previous.keyStart) ? " " : `\n${indent}`;
  return replaceRange(text, previous.value.end, previous.value.end, `,${separator}${JSON.stringify(last)}: ${format(value, indent)}`);
}

function replaceRange(text, start, end, replacement) {
  return text.slice(0, start) + replacement + text.slice(end);
}

/** JSON of `value`, multi-line values indented to continue at `indent`. */
function format(value, indent) {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
}

function indentAt(text, offset) {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))[0];
}

function sameLine(text, a, b) {
  return !text.slice(a, b).includes("\n");
}

function childOf(node, key) {
  if (node.type === "object") return node.properties.find((property) => property.key === key)?.value;
  if (node.type === "array" && typeof key === "number") return node.items[key];
  return undefined;
}

function valueOf(node) {
  if (node.type === "object") return Object.fromEntries(node.properties.map((property) => [property.key, valueOf(property.value)]));
  if (node.type === "array") return node.items.map(valueOf);
  return node.value;
}

/**
 * A small JSONC parser that remembers where every value starts and ends.
 * @returns {{ type: "object", start: number, end: number, properties: { key: string, keyStart: number, value: any }[] } | { type: "array", start: number, end: number, items: any[] } | { type: "literal", start: number, end: number, value: unknown }}
 */
function parseTree(text) {
  let at = 0;
  const fail = (message) => {
    const line = text.slice(0, at).split("\n").length;
    throw new Error(`Invalid JSONC at line ${line}: ${message}`);
  };
  const skip = () => {
    for (;;) {
      const rest = text.slice(at, at + 2);
      if (/^\s/.test(rest)) at++;
      else if (rest === "//") at = text.indexOf("\n", at) === -1 ? text.length : text.indexOf("\n", at);
      else if (rest === "/*") {
        const close = text.indexOf("*/", at + 2);
        if (close === -1) fail("unclosed comment");
        at = close + 2;
      } else return;
    }
  };
  const string = () => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    if (at >= text.length) fail("unclosed string");
    at++;
    return JSON.parse(text.slice(start, at));
  };
  const value = () => {
    skip();
    const start = at;
    const char = text[at];
    if (char === "{") {
      at++;
      const properties = [];
      for (;;) {
        skip();
        if (text[at] === "}") break;
        if (text[at] !== '"') fail(`expected a property name, got ${JSON.stringify(text[at] ?? "end of file")}`);
        const keyStart = at;
        const key = string();
        skip();
        if (text[at] !== ":") fail(`expected ":" after ${JSON.stringify(key)}`);
        at++;
        properties.push({ key, keyStart, value: value() });
        skip();
        if (text[at] === ",") at++;
        else if (text[at] !== "}") fail(`expected "," or "}" after ${JSON.stringify(key)}`);
      }
      at++;
      return { type: "object", start, end: at, properties };
    }
    if (char === "[") {
      at++;
      const items = [];
      for (;;) {
        skip();
        if (text[at] === "]") break;
        items.push(value());
        skip();
        if (text[at] === ",") at++;
        else if (text[at] !== "]") fail('expected "," or "]"');
      }
      at++;
      return { type: "array", start, end: at, items };
    }
    if (char === '"') return { type: "literal", start, value: string(), end: at };
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at));
    if (!literal) fail(`unexpected ${JSON.stringify(char ?? "end of file")}`);
    at += literal[0].length;
    return { type: "literal", start, end: at, value: JSON.parse(literal[0]) };
  };
  const root = value();
  skip();
  if (at < text.length) fail("unexpected text after the end");
  return root;
}
