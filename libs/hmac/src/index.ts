/** SHA-256 and HMAC-SHA256 as lowercase hex; verification is constant-time. */
export { sha256hex } from './lib/digest';
export { hmacHex, verifyHmacHex } from './lib/mac';
export { constantTimeEqualHex } from './lib/constant-time';

/** The canonical strings of PROTOCOL.md that go under a MAC, byte for byte. */
export {
  BUNDLE_MAC_LABEL,
  ENROLL_MAC_LABEL,
  RECOVER_MAC_LABEL,
  REQUEST_SIGNING_LABEL,
  bundleMacString,
  enrollMacString,
  recoverMacString,
  requestSigningString,
} from './lib/canonical-strings';
export type {
  BundleMacParams,
  EnrollMacParams,
  RecoverMacParams,
  RequestSigningParams,
} from './lib/canonical-strings';

/** Replay protection: skew check and single use of nonces over a pluggable memory. */
export { MemorySeenNonceMemory } from './lib/memory-seen-nonce-memory';
export { REPLAY_WINDOW_SECONDS, ReplayWindow, SKEW_SECONDS } from './lib/replay-window';
export type { ReplayCheckParams, ReplayWindowOptions } from './lib/replay-window';
export type { SeenNonceMemory } from './lib/seen-nonce-memory';

/** Coded errors: `replay`, `skew`, `hmac_input_invalid`. */
export { HmacError, HmacInputError, ReplayError, SkewError } from './lib/errors';
export type { HmacErrorCode } from './lib/errors';
