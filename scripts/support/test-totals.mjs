// The closing line of `npm test`, read from vitest's JSON report: a test file that fails to load, or whose
// hooks or (global) setup fail, counts as failed even when none of its tests ran.

/**
 * Totals of a vitest JSON report (`--reporter=json`): passed tests, and failed ones plus every test file
 * that failed without a failing test (it did not load, or its setup failed), plus a run that failed
 * without any failing file (global setup, unhandled errors). `undefined` (no report written) is one failure.
 *
 * @example
 * testTotals(JSON.parse(readFileSync("node_modules/.cache/vitest-results.json", "utf8")))
 * // { passed: 383, failed: 8, failedFiles: ["/repo/test/e2e/widget-ui.test.ts", …], line: "tests: 383 passed, 8 failed" }
 */
export function testTotals(results, { exitCode = 0 } = {}) {
  if (!results || typeof results !== "object") {
    return { passed: 0, failed: 1, failedFiles: [], line: "tests: 0 passed, 1 failed (vitest wrote no results)" };
  }
  const files = Array.isArray(results.testResults) ? results.testResults : [];
  const failedFiles = files
    .filter((file) => file.status === "failed" && !(file.assertionResults ?? []).some((test) => test.status === "failed"))
    .map((file) => file.name);
  const passed = results.numPassedTests ?? 0;
  let failed = (results.numFailedTests ?? 0) + failedFiles.length;
  let note = failedFiles.length > 0 ? `${failedFiles.length} test file(s) failed before or around their tests` : "";
  if (failed === 0 && (results.success === false || (results.numFailedTestSuites ?? 0) > 0)) {
    failed = Math.max(1, results.numFailedTestSuites ?? 0);
    note = "the run failed outside any test (global setup or an unhandled error)";
  }
  // vitest's JSON report can say success while the run failed (an unhandled rejection): its exit code says.
  if (failed === 0 && exitCode !== 0) {
    failed = 1;
    note = `vitest exited with ${exitCode}: an unhandled error or a failure outside any test, see its output above`;
  }
  return { passed, failed, failedFiles, line: `tests: ${passed} passed, ${failed} failed${note ? ` (${note})` : ""}` };
}
