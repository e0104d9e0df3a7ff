// The one Node API the bench worker uses (workerd provides it with nodejs_compat); the worker's
// tsconfig has no Node types.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}
