import { describe, expect, it } from "vitest";
import { withExplicitExtensions } from "./package-declarations.mjs";

describe("withExplicitExtensions (package declarations for NodeNext)", () => {
  const files = new Set(["./a.d.ts", "./dir/index.d.ts", "../up/b.d.ts"]);
  const exists = (path: string) => files.has(path);

  it("gives relative imports, re-exports and import() types the .js path Node loads", () => {
    const text = 'export { a } from "./a";\nimport type { D } from "./dir";\nexport * from "../up/b";\ntype X = import("./a").A;\nimport "./a";';
    expect(withExplicitExtensions(text, exists)).toBe(
      'export { a } from "./a.js";\nimport type { D } from "./dir/index.js";\nexport * from "../up/b.js";\ntype X = import("./a.js").A;\nimport "./a.js";',
    );
  });

  it("leaves package imports and explicit extensions alone, and refuses what it cannot resolve", () => {
    expect(withExplicitExtensions('import type { VNode } from "preact";\nexport { a } from "./a.js";', exists)).toBe(
      'import type { VNode } from "preact";\nexport { a } from "./a.js";',
    );
    expect(() => withExplicitExtensions('export * from "./missing";', exists)).toThrow(/Cannot resolve \.\/missing/);
  });
});
