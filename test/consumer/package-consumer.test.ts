// The package as a stranger gets it: `npm pack` the tarball, install it into a scratch Vite SPA and a scratch
// Worker project built from the docs' own code blocks (docs/README.md, "Writing docs"), type-check both, and
// under `wrangler dev` create a bot, ingest a document and get a cited, streamed answer. Nothing here imports
// the repo's sources: only the tarball, plus the repo's build tools (wrangler, vite, typescript) as a user
// would have their own. Takes about 1-3 minutes (npm installs from the cache, vite build, two wrangler runs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_LANGUAGES, docsCodeBlocks, type DocsCodeBlock } from "../support/docs-code-blocks";
import { freePort } from "../support/e2e-global-setup";
import { textPdf } from "../../worker/test-support/pdf-fixtures";
// @ts-expect-error: a plain .mjs script shared with `npm start`
import { startWranglerDev, WRANGLER } from "../../scripts/wrangler-dev.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSC = join(REPO, "node_modules/typescript/bin/tsc");
const VITE = join(REPO, "node_modules/vite/bin/vite.js");
/** Build tools a docs `npm install` names that the test takes from the repo instead of installing again. */
const REPO_TOOLS = new Set(["wrangler", "typescript", "vite"]);
const QUIET = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" };
const TARBALL_CEILING_BYTES = 2_300_000;
// 4,055,591 B after issue 13 and 14 (console conversation pages, widget-live.js, edgechat/worker/pdf); 2.8 MB of it is the word-vector asset.
const UNPACKED_CEILING_BYTES = 4_300_000;

const blocks = docsCodeBlocks(join(REPO, "docs"));
const scratch = mkdtempSync(join(tmpdir(), "edgechat-consumer-"));
let tarball = "";
let worker: { url: string; stop: () => Promise<void>; output: () => string } | undefined;

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...QUIET, ...env }, timeout: 300_000 });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(" ")} (in ${cwd}) failed with ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Writes every `file=<project>:<path>` block of the docs into the project's directory. */
function writeFiles(project: string, directory: string) {
  for (const block of blocks.filter((candidate) => candidate.file?.project === project)) {
    const path = join(directory, block.file!.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, block.text);
  }
}

/**
 * Runs one docs shell line in a scratch project, as the reader would, with three substitutions: `npm install`
 * gets the packed tarball for `edgechat` (and leaves out the build tools the repo already has), `npx wrangler`
 * and `npx tsc` run the repo's copies, `npx edgechat` the installed package's CLI against `env.EDGECHAT_URL`.
 */
async function runDocsLine(line: string, directory: string, block: DocsCodeBlock, env: Record<string, string>) {
  const words = line.trim().split(/\s+/);
  const where = `${block.page}:${block.line}`;
  if (words[0] === "npm" && words[1] === "install") {
    const rest = words.slice(2).filter((word) => !REPO_TOOLS.has(word.replace(/(.)@.*$/, "$1")));
    const specs = rest.map((word) => (word === "edgechat" ? tarball : word));
    if (specs.some((word) => !word.startsWith("-"))) run("npm", ["install", ...specs, "--prefer-offline", "--no-audit", "--no-fund"], directory);
  } else if (line.trim() === "npx wrangler dev") {
    const started = await startWranglerDev({ port: await freePort(), cwd: directory, migrate: false });
    worker = started;
    env.EDGECHAT_URL = started.url;
  } else if (words[0] === "npx" && words[1] === "wrangler") {
    run(process.execPath, [WRANGLER, ...words.slice(2)], directory);
  } else if (words[0] === "npx" && words[1] === "tsc") {
    run(process.execPath, [TSC, ...words.slice(2)], directory);
  } else if (words[0] === "npx" && words[1] === "edgechat") {
    const args = line.trim().slice("npx edgechat ".length).match(/"[^"]*"|\S+/g)!.map((word) => word.replace(/^"(.*)"$/, "$1"));
    run(process.execPath, [join(directory, "node_modules/edgechat/bin/edgechat.mjs"), ...args], directory, env);
  } else {
    throw new Error(`${where}: the consumer test does not know how to run "${line}"; extend runDocsLine.`);
  }
}

async function runBlocks(run: string, directory: string, env: Record<string, string>) {
  for (const block of blocks.filter((candidate) => candidate.run === run)) {
    for (const line of block.text.split("\n").filter((text) => text.trim() && !text.trim().startsWith("#"))) await runDocsLine(line, directory, block, env);
  }
}

/**
 * GET that survives wrangler dev closing an idle keep-alive connection just as fetch reuses it ("other side
 * closed"): one retry on a fresh connection. Only for GETs, which are safe to repeat.
 */
async function get(url: string): Promise<Response> {
  try {
    return await fetch(url);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw error;
    return fetch(url);
  }
}

/** A type that is "typed" unless T is `any` (what broken declarations resolve to). */
const NOT_ANY = 'type NotAny<T> = 0 extends 1 & T ? "any" : "typed";\n';

beforeAll(() => {
  if (!existsSync(join(REPO, "dist/lib/worker.js")) || !existsSync(join(REPO, "dist/declarations/worker/index.d.ts"))) {
    throw new Error("dist/ is not built: run `npm run build` (npm test does) before the consumer test.");
  }
  // The build already ran (npm test's build step; `npm pack` alone runs it through prepack).
  const packed = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], REPO)) as { filename: string }[];
  tarball = join(scratch, packed[0]!.filename);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds what users run and read, and nothing else", () => {
    const [info] = JSON.parse(run("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], REPO)) as {
      size: number;
      unpackedSize: number;
      files: { path: string }[];
    }[];
    const paths = info!.files.map((file) => file.path);
    expect(paths.filter((path) => /\.test\.|\.map$|(^|\/)test-support\/|^examples\/|^dist\/types\/|word-vectors-table/.test(path))).toEqual([]);
    expect(paths.filter((path) => path.startsWith("dist/public/") && !/^dist\/public\/(widget(-live)?\.js|edgechat\/word-vectors-[\w-]+\.json|admin\/assets\/[\w.-]+\.(js|css))$/.test(path))).toEqual([]);
    for (const required of ["dist/lib/index.js", "dist/lib/client.js", "dist/lib/worker.js", "dist/declarations/worker/index.d.ts", "dist/lib/worker-pdf.js", "dist/declarations/worker/pdf.d.ts", "dist/public/widget.js", "dist/public/widget-live.js", "dist/public/admin/assets/console.js", "dist/public/admin/assets/console.css", "bin/edgechat.mjs", "migrations/0001_documents.sql"]) {
      expect(paths).toContain(required);
    }
    expect(info!.size).toBeLessThan(TARBALL_CEILING_BYTES);
    expect(info!.unpackedSize).toBeLessThan(UNPACKED_CEILING_BYTES);
  });

  it("marks every TS/JS block of docs/ as written, type-checked or run (docs/README.md)", () => {
    const unmarked = blocks.filter((block) => CODE_LANGUAGES.has(block.language) && !block.file && !block.check && !block.run);
    expect(unmarked.map((block) => `${block.page}:${block.line}`)).toEqual([]);
  });
});

describe("a Vite SPA that embeds the widget (docs/embed-widget.md)", () => {
  const spa = join(scratch, "spa");

  it("installs without the worker stack, builds with vite and type-checks under NodeNext, node16 and node10; require() works", () => {
    mkdirSync(spa, { recursive: true });
    writeFileSync(join(spa, "package.json"), JSON.stringify({ name: "scratch-spa", private: true, type: "module" }, null, 2));
    return (async () => {
      await runBlocks("spa", spa, {});
      writeFiles("spa", spa);
      expect(existsSync(join(spa, "node_modules/edgechat/package.json"))).toBe(true);
      for (const workerOnly of ["ai", "@ai-sdk/openai", "zod"]) expect(existsSync(join(spa, "node_modules", workerOnly))).toBe(false);

      // Every check=spa block is a module of the project; plus a guard that no entry's types are `any`.
      for (const block of blocks.filter((candidate) => candidate.check === "spa")) {
        writeFileSync(join(spa, "src", `docs-${block.page.replace(/\.md$/, "")}-${block.line}.ts`), block.text);
      }
      writeFileSync(
        join(spa, "src", "types-are-not-any.ts"),
        `import { mount } from "edgechat";\nimport { ChatClient } from "edgechat/client";\n${NOT_ANY}` +
          'export const checks: [NotAny<typeof mount>, NotAny<ChatClient>] = ["typed", "typed"];\n',
      );
      const tsconfig = (module: string) => ({
        compilerOptions: { target: "ES2022", module, moduleResolution: module, strict: true, noEmit: true, lib: ["ES2022", "DOM", "DOM.Iterable"], types: [] },
        include: ["src"],
      });
      for (const module of ["NodeNext", "Node16"]) {
        writeFileSync(join(spa, `tsconfig.${module}.json`), JSON.stringify(tsconfig(module)));
        run(process.execPath, [TSC, "-p", `tsconfig.${module}.json`], spa);
      }
      // Old `node` (node10) resolution has no `exports`: the types come through `types` and `typesVersions`.
      const node10 = { compilerOptions: { ...tsconfig("node10").compilerOptions, module: "commonjs", ignoreDeprecations: "5.0" }, files: ["src/types-are-not-any.ts"] };
      writeFileSync(join(spa, "tsconfig.node10.json"), JSON.stringify(node10));
      run(process.execPath, [TSC, "-p", "tsconfig.node10.json"], spa);
      run(process.execPath, [VITE, "build", "--logLevel", "warn"], spa);
      const html = readFileSync(join(spa, "dist/index.html"), "utf8");
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);

      const required = run(process.execPath, ["-e", 'const c = require("edgechat/client"); console.log(typeof c.ChatClient, typeof require("edgechat").mount)'], spa);
      expect(required.trim()).toBe("function function");
    })();
  }, 300_000);
});

describe("a Worker of one's own (docs/run-your-own-worker.md, word for word)", () => {
  const project = join(scratch, "worker");
  const env: Record<string, string> = {};

  it("installs, migrates, type-checks and starts under wrangler dev; serves /widget.js and /b/:id", async () => {
    mkdirSync(project, { recursive: true });
    writeFiles("worker", project);
    // Checked by the docs' own `npx tsc`: the worker entry's types are real, not `any`.
    writeFileSync(
      join(project, "src", "types-are-not-any.ts"),
      `import { createEdgechatWorker, ChatSession, LocalVectorIndex } from "edgechat/worker";\nimport { extractPdfText } from "edgechat/worker/pdf";\n${NOT_ANY}` +
        'export const checks: [NotAny<typeof createEdgechatWorker>, NotAny<ChatSession>, NotAny<LocalVectorIndex>, NotAny<typeof extractPdfText>] = ["typed", "typed", "typed", "typed"];\n',
    );
    await runBlocks("worker", project, env);
    expect(worker).toBeDefined();
    const script = await get(`${worker!.url}/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(10_000);
    expect(await (await get(`${worker!.url}/`)).text()).toMatch(/My own app/);
    // The owner console from the package: its page (served by the factory) and its script (a package asset).
    const consolePage = await get(`${worker!.url}/admin`);
    expect(consolePage.status).toBe(200);
    const consoleScript = /src="([^"]+\.js)"/.exec(await consolePage.text())?.[1];
    expect(consoleScript).toBeDefined();
    expect((await get(`${worker!.url}${consoleScript}`)).status).toBe(200);

    // What this Worker would upload: the word vectors are an asset, not part of the script.
    const outdir = join(scratch, "worker-upload");
    const dryRun = run(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", outdir], project);
    const gzipKiB = Number(/Total Upload: [\d.]+ KiB \/ gzip: ([\d.]+) KiB/.exec(dryRun)?.[1]);
    expect(gzipKiB * 1024).toBeLessThan(500_000);

    // `edgechat/worker/pdf` (docs/knowledge-sources.md, src/with-pdf.ts): only a Worker that imports it bundles
    // unpdf, resolved from the user's own node_modules; and it reads a PDF page by page.
    const withPdf = run(process.execPath, [WRANGLER, "deploy", "src/with-pdf.ts", "--dry-run", "--outdir", join(scratch, "worker-upload-pdf")], project);
    const withPdfGzipKiB = Number(/Total Upload: [\d.]+ KiB \/ gzip: ([\d.]+) KiB/.exec(withPdf)?.[1]);
    expect(withPdfGzipKiB - gzipKiB).toBeGreaterThan(300);
    // (The PDF outside the project, whose files wrangler dev is watching.)
    const pdfPath = join(scratch, "manual.pdf");
    writeFileSync(pdfPath, textPdf([["Zephyr kettle manual"], ["Descale every forty days", "Зефир"]]));
    const read = run(
      process.execPath,
      ["--input-type=module", "-e", `import { readFileSync } from "node:fs"; import { extractPdfText } from "edgechat/worker/pdf"; console.log(JSON.stringify((await extractPdfText(new Uint8Array(readFileSync(${JSON.stringify(pdfPath)})))).pages));`],
      project,
    );
    expect(JSON.parse(read)).toEqual(["Zephyr kettle manual", expect.stringMatching(/^Descale every forty days\s+Зефир$/)]);
  }, 400_000);

  it("creates a bot, ingests a document and streams an answer that cites it", async () => {
    expect(worker, "the Worker did not start").toBeDefined();
    await runBlocks("worker-live", project, env);
    const page = await get(`${worker!.url}/b/support`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="/widget.js" data-bot="support"');

    const response = await fetch(`${worker!.url}/v1/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: worker!.url },
      body: JSON.stringify({ botId: "support", messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "How long do refunds take?" }] }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const chunks = (await response.text())
      .split("\n")
      .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
      .map((line) => JSON.parse(line.slice(6)) as { type: string; url?: string; title?: string; delta?: string });
    const sources = chunks.filter((chunk) => chunk.type === "source-url");
    expect(sources[0]).toMatchObject({ title: "Refunds", url: "/docs/refunds" });
    const deltas = chunks.filter((chunk) => chunk.type === "text-delta");
    expect(deltas.length).toBeGreaterThan(3);
    const text = deltas.map((chunk) => chunk.delta).join("");
    expect(text).toContain("5 business days");
    expect(text).toContain("[1]");
  }, 120_000);
});

