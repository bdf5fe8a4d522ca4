import { MemoryStore, StoreUnavailableError } from '@zen/store';
import type { Store } from '@zen/store';

/** A memory store that answers `store_unavailable` to every call while `down` is set. */
export function makeFlakyStore(nowMs: () => number): {
  store: Store;
  setDown(down: boolean): void;
} {
  const inner = new MemoryStore({ nowMs });
  let down = false;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (down && property !== 'close' && property !== 'start') {
          return Promise.reject(new StoreUnavailableError());
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });

  return { store, setDown: (next) => (down = next) };
}
