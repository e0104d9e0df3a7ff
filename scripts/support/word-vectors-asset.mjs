// The offline models' word-vector table as a static asset (dist/public/edgechat/word-vectors-<id>.json):
// the Worker fetches it through ASSETS when it first runs offline, so no Worker bundle carries it.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const WORD_VECTORS_TABLE_MODULE = "worker/models/word-vectors-table.ts";

/** The generated table module's constants (`export const NAME = <JSON>;`, one a line) as the asset's JSON object. */
export function packedTableFromModule(source = readFileSync(WORD_VECTORS_TABLE_MODULE, "utf8")) {
  const constants = {};
  for (const match of source.matchAll(/^export const (WORD_VECTOR_[A-Z]+) = (.*);$/gm)) constants[match[1]] = JSON.parse(match[2]);
  const packed = {
    id: constants.WORD_VECTOR_ID,
    index: constants.WORD_VECTOR_INDEX,
    bytes: constants.WORD_VECTOR_BYTES,
    count: constants.WORD_VECTOR_COUNT,
    dimensions: constants.WORD_VECTOR_DIMENSIONS,
    bits: constants.WORD_VECTOR_BITS,
    commonVector: constants.WORD_VECTOR_COMMON,
  };
  const missing = Object.entries(packed).filter(([, value]) => value === undefined).map(([key]) => key);
  if (missing.length > 0) throw new Error(`${WORD_VECTORS_TABLE_MODULE} lacks ${missing.join(", ")}: regenerate it with npm run build:word-vectors.`);
  return packed;
}

/**
 * Writes the asset under `publicDir` unless an up-to-date one is there; returns its path.
 *
 * @example
 * writeWordVectorsAsset("dist/public") // "dist/public/edgechat/word-vectors-glove6b-50000w-64d-4b.json"
 */
export function writeWordVectorsAsset(publicDir = "dist/public") {
  const source = readFileSync(WORD_VECTORS_TABLE_MODULE, "utf8");
  const id = /^export const WORD_VECTOR_ID = "([^"]+)";$/m.exec(source)?.[1];
  if (!id) throw new Error(`${WORD_VECTORS_TABLE_MODULE} has no WORD_VECTOR_ID.`);
  const path = join(publicDir, "edgechat", `word-vectors-${id}.json`);
  if (existsSync(path) && statSync(path).mtimeMs >= statSync(WORD_VECTORS_TABLE_MODULE).mtimeMs) return path;
  mkdirSync(dirname(path), { recursive: true });
  // Written aside and renamed, so a worker serving the directory never reads half a file.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(packedTableFromModule(source)));
  renameSync(temporary, path);
  return path;
}
