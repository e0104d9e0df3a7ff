export const RARITY_RANK: number;
export function packWordVectors(table: { words: string[]; rows: number[][]; bits: 4 | 8 }): { index: string; bytes: string; commonVector: number[] };
