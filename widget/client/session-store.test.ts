import { describe, expect, it } from "vitest";
import { createSessionStore } from "./session-store";

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    clear: () => map.clear(),
    key: () => null,
    get length() {
      return map.size;
    },
  };
}

describe("createSessionStore", () => {
  it("saves, loads and clears through storage, shared by every store with the same key", () => {
    const storage = memoryStorage();
    const a = createSessionStore("k", () => storage);
    a.save({ sessionId: "s", token: "t", expiresAt: 1 });
    expect(createSessionStore("k", () => storage).load()).toEqual({ sessionId: "s", token: "t", expiresAt: 1 });
    a.clear();
    expect(createSessionStore("k", () => storage).load()).toBeUndefined();
  });

  it("falls back to memory when storage throws (blocked storage)", () => {
    const store = createSessionStore("k", () => {
      throw new DOMException("blocked", "SecurityError");
    });
    expect(store.load()).toBeUndefined();
    store.save({ sessionId: "s", token: "t" });
    expect(store.load()).toEqual({ sessionId: "s", token: "t" });
    store.clear();
    expect(store.load()).toBeUndefined();
  });

  it("ignores corrupt or foreign entries", () => {
    const storage = memoryStorage();
    storage.setItem("k", "{not json");
    expect(createSessionStore("k", () => storage).load()).toBeUndefined();
    storage.setItem("k", JSON.stringify({ sessionId: 1 }));
    expect(createSessionStore("k", () => storage).load()).toBeUndefined();
  });
});
