/** A stored value with the version the compare-and-set works on; version 0 means absent. */
export interface VersionedValue {
  version: number;
  value: string;
}

/**
 * Persistence of the serialized CA state, shared by every replica. `save` writes only when the
 * stored version still equals `expectedVersion` (0 = nothing stored yet) and returns false
 * otherwise; it is atomic. The Store's getCaState / compareAndSetCaState fit this port.
 */
export interface CaStateRepository {
  load(): Promise<VersionedValue | null>;
  save(expectedVersion: number, value: string): Promise<boolean>;
}

/** {@link CaStateRepository} in process memory; each successful save adds one to the version. */
export class MemoryCaStateRepository implements CaStateRepository {
  #current: VersionedValue | null = null;

  async load(): Promise<VersionedValue | null> {
    return this.#current ? { ...this.#current } : null;
  }

  async save(expectedVersion: number, value: string): Promise<boolean> {
    if ((this.#current?.version ?? 0) !== expectedVersion) return false;
    this.#current = { version: expectedVersion + 1, value };

    return true;
  }
}
