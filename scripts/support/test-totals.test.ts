import { describe, expect, it } from "vitest";
import { testTotals } from "./test-totals.mjs";

const passing = { name: "/repo/a.test.ts", status: "passed", message: "", assertionResults: [{ status: "passed" }, { status: "passed" }] };

describe("testTotals (the closing line of npm test)", () => {
  it("counts passed and failed tests of a clean run", () => {
    const results = { success: true, numPassedTests: 2, numFailedTests: 0, numFailedTestSuites: 0, testResults: [passing] };
    expect(testTotals(results).line).toBe("tests: 2 passed, 0 failed");
  });

  it("counts a test file that failed to load (no tests ran) as failed", () => {
    const broken = { name: "/repo/test/e2e/widget-ui.test.ts", status: "failed", message: "Chromium not found", assertionResults: [] };
    const results = { success: false, numPassedTests: 2, numFailedTests: 0, numFailedTestSuites: 1, testResults: [passing, broken] };
    expect(testTotals(results)).toMatchObject({ passed: 2, failed: 1, failedFiles: ["/repo/test/e2e/widget-ui.test.ts"] });
    expect(testTotals(results).line).toMatch(/^tests: 2 passed, 1 failed \(1 test file/);
  });

  it("counts a file whose hooks failed after its tests passed, but not a file already counted by its failing tests", () => {
    const hookFailed = { name: "/repo/b.test.ts", status: "failed", message: "afterAll failed", assertionResults: [{ status: "passed" }] };
    const testFailed = { name: "/repo/c.test.ts", status: "failed", message: "", assertionResults: [{ status: "failed" }, { status: "passed" }] };
    const results = { success: false, numPassedTests: 4, numFailedTests: 1, numFailedTestSuites: 2, testResults: [passing, hookFailed, testFailed] };
    expect(testTotals(results)).toMatchObject({ passed: 4, failed: 2, failedFiles: ["/repo/b.test.ts"] });
  });

  it("counts a failed global setup (no files at all) as a failure", () => {
    expect(testTotals({ success: false, numPassedTests: 0, numFailedTests: 0, numFailedTestSuites: 0, testResults: [] }).line).toBe(
      "tests: 0 passed, 1 failed (the run failed outside any test (global setup or an unhandled error))",
    );
    expect(testTotals(undefined).failed).toBe(1);
  });
  it("counts a run that vitest failed (exit code) with no failing test, as an unhandled rejection does", () => {
    const results = { success: true, numPassedTests: 762, numFailedTests: 0, numFailedTestSuites: 0, testResults: [] };
    expect(testTotals(results, { exitCode: 1 }).line).toMatch(/^tests: 762 passed, 1 failed \(vitest exited with 1/);
    expect(testTotals(results, { exitCode: 0 }).line).toBe("tests: 762 passed, 0 failed");
  });
});
