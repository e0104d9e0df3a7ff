import { describe, expect, it } from "vitest";

describe("the edgechat package entry", () => {
  it("has no side effects on import: no DOM needed, no globals added", async () => {
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const entry = await import("./index");
    const client = await import("./client/index");
    expect(typeof entry.mount).toBe("function");
    expect(typeof entry.ChatWidget).toBe("function");
    expect(typeof client.ChatClient).toBe("function");
    expect(Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name))).toEqual([]);
  });
});
