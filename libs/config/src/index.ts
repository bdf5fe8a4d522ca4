export { CLOCK } from './lib/clock';
export type { Clock } from './lib/clock';
export { SystemClock, nowSeconds } from './lib/system-clock';
export { RANDOM } from './lib/random';
export type { Random } from './lib/random';
export { CryptoRandom } from './lib/crypto-random';

export { loadConfig } from './lib/load-config';
export type { ConfigSources } from './lib/load-config';
export { parseDuration, zDuration } from './lib/duration';
export { parseHostPort, zHostPort } from './lib/host-port';
export type { HostPort } from './lib/host-port';

export { ConfigError } from './lib/errors';
export type { ConfigErrorCode, ConfigIssue } from './lib/errors';
