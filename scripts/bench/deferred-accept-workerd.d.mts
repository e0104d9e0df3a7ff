export function withDeferredAccept<T>(start: () => Promise<T>): Promise<{ result: T; deferred: boolean }>;
