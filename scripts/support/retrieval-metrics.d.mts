export interface RetrievalMetrics {
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}
export function rankOf(ranking: readonly string[], id: string): number;
export function retrievalMetrics(ranks: readonly number[]): RetrievalMetrics;
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number;
export function quantile(scores: readonly number[], q: number): number;
