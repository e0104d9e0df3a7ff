import { describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs CLI modules
import { parseJsonc, setJsoncValue } from "./wrangler-config.mjs";

const config = `{
  // The worker.
  "name": "edgechat", /* inline */
  "d1_databases": [
    {
      "binding": "DB",
      "database_name": "edgechat",
      "database_id": "00000000-0000-4000-8000-000000000000", // placeholder
    },
  ],
  "vars": { "A": "1" }
}
`;

describe("JSONC config edits", () => {
  it("reads JSONC as wrangler does (comments, trailing commas)", () => {
    expect(parseJsonc(config)).toEqual({
      name: "edgechat",
      d1_databases: [{ binding: "DB", database_name: "edgechat", database_id: "00000000-0000-4000-8000-000000000000" }],
      vars: { A: "1" },
    });
  });

  it("replaces one value and leaves every other byte alone", () => {
    const edited = setJsoncValue(config, ["d1_databases", 0, "database_id"], "8f3b2c1e-5d4a-4b7e-9c2f-1a6d3e5b7c90");
    expect(edited).toBe(config.replace("00000000-0000-4000-8000-000000000000", "8f3b2c1e-5d4a-4b7e-9c2f-1a6d3e5b7c90"));
  });

  it("adds a missing key after the last one, indented like its neighbours", () => {
    const edited = setJsoncValue(config, ["vectorize"], [{ binding: "VECTORIZE", index_name: "edgechat" }]);
    expect(parseJsonc(edited).vectorize).toEqual([{ binding: "VECTORIZE", index_name: "edgechat" }]);
    expect(edited).toContain('  "vars": { "A": "1" },\n  "vectorize": [\n    {\n      "binding": "VECTORIZE",');
    expect(edited).toContain("// The worker.");
    expect(setJsoncValue(edited, ["vars", "B"], "2")).toContain('"vars": { "A": "1", "B": "2" }');
  });

  it("adds to an empty object and refuses a path that does not exist", () => {
    expect(parseJsonc(setJsoncValue("{}", ["name"], "x"))).toEqual({ name: "x" });
    expect(() => setJsoncValue(config, ["r2_buckets", 0, "bucket_name"], "x")).toThrow(/r2_buckets is missing/);
  });

  it("says where JSONC is broken", () => {
    expect(() => parseJsonc('{\n  "name": "x"\n  "main": "y"\n}')).toThrow(/line 3/);
  });
});
