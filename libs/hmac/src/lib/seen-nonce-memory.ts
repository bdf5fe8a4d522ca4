/**
 * Port: remembers keys for a while and says whether a key is new. The Store port implements
 * it with an atomic `SET NX EX` on Redis; {@link MemorySeenNonceMemory} serves one process.
 */
export interface SeenNonceMemory {
  /**
   * Records `key` for `ttlSeconds` and resolves true when it was not already remembered.
   * Must be atomic: of two concurrent calls with the same live key, exactly one gets true.
   */
  rememberOnce(key: string, ttlSeconds: number): Promise<boolean>;
}
