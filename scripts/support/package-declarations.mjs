// The package's type declarations (dist/declarations), from tsc's output (dist/types): only the widget's and the
// worker's public code, and every relative import given the `.js` path Node would load, so the types resolve under
// moduleResolution bundler, node16 and nodenext alike (extensionless relative imports are `any` under NodeNext).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * A declaration file's text with each relative module specifier ("./x", "../y") made explicit:
 * "./x.js" when x.d.ts exists next to it, "./x/index.js" when x is a folder with index.d.ts.
 *
 * @example
 * withExplicitExtensions('export { a } from "./a";', (path) => path.endsWith("a.d.ts")) // 'export { a } from "./a.js";'
 */
export function withExplicitExtensions(text, exists) {
  const fix = (specifier) => {
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) return specifier;
    if (/\.(js|mjs|cjs|json)$/.test(specifier)) return specifier;
    if (exists(`${specifier}.d.ts`)) return `${specifier}.js`;
    if (exists(`${specifier}/index.d.ts`)) return `${specifier}/index.js`;
    throw new Error(`Cannot resolve ${specifier} to a declaration file.`);
  };
  return text
    .replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"']+)\2/g, (_match, prefix, quote, specifier) => `${prefix}${quote}${fix(specifier)}${quote}`);
}

/** The package's entry points' declarations, relative to dist/types. */
export const DECLARATION_ENTRIES = ["widget/index.d.ts", "widget/client/index.d.ts", "worker/index.d.ts", "worker/pdf.d.ts"];

/**
 * Copies the declarations the entry points reach (and nothing else: no stale or test outputs) from `typesDir`
 * to `outDir`, with explicit extensions; returns the number of files written.
 */
export function writePackageDeclarations(typesDir = "dist/types", outDir = "dist/declarations") {
  rmSync(outDir, { recursive: true, force: true });
  const pending = DECLARATION_ENTRIES.map((entry) => resolve(typesDir, entry));
  const done = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (done.has(file)) continue;
    done.add(file);
    const exists = (specifier) => existsSync(resolve(dirname(file), specifier));
    const text = withExplicitExtensions(readFileSync(file, "utf8"), exists);
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)\.js["']/g)) {
      pending.push(resolve(dirname(file), `${match[1]}.d.ts`));
    }
    const target = join(outDir, relative(typesDir, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return done.size;
}
