// The code blocks of docs/*.md and their markers (docs/README.md, "Writing docs"): what the consumer test
// writes into its scratch projects, type-checks and runs, so the docs cannot drift from the package.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface DocsCodeBlock {
  /** docs page file name, e.g. "run-your-own-worker.md". */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's language, e.g. "ts". */
  language: string;
  /** `file=<project>:<path>`: written verbatim to that path of that scratch project. */
  file?: { project: string; path: string };
  /** `check=<project>`: a module type-checked in that scratch project. */
  check?: string;
  /** `run=<project>` (or `run=<project>-live` once its `wrangler dev` is up): shell lines run in order. */
  run?: string;
  text: string;
}

/** Languages a reader copies as code: each such block must carry `file=`, `check=` or `run=`. */
export const CODE_LANGUAGES = new Set(["ts", "tsx", "js", "jsx", "mjs", "cjs", "typescript", "javascript"]);

/** Parses the fenced blocks of one Markdown text. */
export function codeBlocksOf(page: string, markdown: string): DocsCodeBlock[] {
  const blocks: DocsCodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})(\S*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith(fence)) body.push(lines[j++]!);
    const attributes = Object.fromEntries([...open[3]!.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1]!, match[2]!]));
    const file = attributes.file ? /^([\w-]+):(.+)$/.exec(attributes.file) : undefined;
    if (attributes.file && !file) throw new Error(`${page}:${i + 1}: file= needs <project>:<path>, got ${attributes.file}`);
    blocks.push({
      page,
      line: i + 1,
      language: open[2]!,
      file: file ? { project: file[1]!, path: file[2]! } : undefined,
      check: attributes.check,
      run: attributes.run,
      text: `${body.join("\n")}\n`,
    });
    i = j;
  }
  return blocks;
}

/** Every code block of every page in `directory` (docs/). */
export function docsCodeBlocks(directory: string): DocsCodeBlock[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .flatMap((name) => codeBlocksOf(name, readFileSync(join(directory, name), "utf8")));
}
