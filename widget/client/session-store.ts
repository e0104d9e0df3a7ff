import type { ChatSession } from "./chat-client";

/** Where the widget keeps its session between page loads. */
export interface SessionStore {
  load(): ChatSession | undefined;
  save(session: ChatSession): void;
  clear(): void;
}

/**
 * Keeps the session in localStorage under `key`, so it survives a reload and is shared by the
 * site's tabs. Every storage access is wrapped: where storage is blocked (Safari private mode,
 * sandboxed iframes, disabled cookies) the session lives in memory for this page instead.
 *
 * @example
 * const store = createSessionStore("edgechat:demo");
 * store.save({ sessionId: "s1", token: "t" });
 */
export function createSessionStore(key: string, storage: () => Storage | undefined = () => globalThis.localStorage): SessionStore {
  let memory: ChatSession | undefined;
  return {
    load() {
      try {
        const raw = storage()?.getItem(key);
        if (raw) {
          const value = JSON.parse(raw) as ChatSession;
          if (typeof value?.sessionId === "string" && typeof value.token === "string") return value;
        }
      } catch {
        /* blocked storage or a corrupt entry: fall back to memory */
      }
      return memory;
    },
    save(session) {
      memory = session;
      try {
        storage()?.setItem(key, JSON.stringify(session));
      } catch {
        /* memory only */
      }
    },
    clear() {
      memory = undefined;
      try {
        storage()?.removeItem(key);
      } catch {
        /* memory only */
      }
    },
  };
}
