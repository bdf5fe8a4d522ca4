/** Runtime ports: wall clock and randomness, injected so tests move time and fix bytes. */
export { CLOCK } from './lib/clock';
export type { Clock } from './lib/clock';
export { SystemClock, nowSeconds } from './lib/system-clock';
export { RANDOM } from './lib/random';
export type { Random } from './lib/random';
export { CryptoRandom } from './lib/crypto-random';

/** Typed configuration: defaults < JSON file < ZEN_* environment < flags, validated once. */
export { loadConfig } from './lib/load-config';
export type { ConfigSources } from './lib/load-config';
export { parseDuration, zDuration } from './lib/duration';
export { parseHostPort, zHostPort } from './lib/host-port';
export type { HostPort } from './lib/host-port';

/** `config_invalid`, naming every bad setting and where it came from, never a secret value. */
export { ConfigError } from './lib/errors';
export type { ConfigErrorCode, ConfigIssue } from './lib/errors';
