import { termsOf } from "./text-tokens";

export interface Bm25Document {
  id: string;
  text: string;
}

/**
 * Plain Okapi BM25 (k1 = 1.2, b = 0.75) over whole documents, with the same terms as the keyword
 * index. It is the baseline `npm run eval:rag` compares edgechat's retrieval with.
 *
 * @example
 * new Bm25Ranker(docs).rank("rotate api key") // ["security/api-keys.md", …]
 */
export class Bm25Ranker {
  private readonly termCounts: Map<string, number>[] = [];
  private readonly lengths: number[] = [];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(private readonly documents: readonly Bm25Document[], private readonly k1 = 1.2, private readonly b = 0.75) {
    for (const document of documents) {
      const counts = new Map<string, number>();
      const terms = termsOf(document.text);
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const term of counts.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      this.termCounts.push(counts);
      this.lengths.push(terms.length);
    }
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, documents.length);
  }

  /** Ids of the documents that share at least one term with the query, best first. */
  rank(query: string): string[] {
    const terms = [...new Set(termsOf(query))];
    const n = this.documents.length;
    const scored: { id: string; score: number }[] = [];
    this.documents.forEach((document, i) => {
      let score = 0;
      for (const term of terms) {
        const tf = this.termCounts[i]!.get(term);
        if (!tf) continue;
        const df = this.documentFrequency.get(term)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * this.lengths[i]!) / this.averageLength));
      }
      if (score > 0) scored.push({ id: document.id, score });
    });
    return scored.sort((a, b) => b.score - a.score).map((entry) => entry.id);
  }
}
