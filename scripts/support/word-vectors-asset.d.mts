import type { PackedWordVectors } from "../../worker/models/word-vectors";
export const WORD_VECTORS_TABLE_MODULE: string;
export function packedTableFromModule(source?: string): PackedWordVectors;
export function writeWordVectorsAsset(publicDir?: string): string;
