export interface TestTotals {
  passed: number;
  failed: number;
  failedFiles: string[];
  line: string;
}
export function testTotals(results: unknown, options?: { exitCode?: number }): TestTotals;
