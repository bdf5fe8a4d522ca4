export { createCapturingLogger } from './lib/capturing-logger';
export type { CapturingLogger } from './lib/capturing-logger';
