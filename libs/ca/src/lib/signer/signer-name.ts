import { SignerError } from '../errors';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_SEGMENTS = 8;

/**
 * Refuses a signer key name that could escape the key folder: every `/`-separated segment must
 * start with a letter or digit (so `.`, `..` and hidden names are out) and use only safe
 * characters. Throws SignerError `signer_name_invalid`.
 */
export function assertSignerName(name: string): void {
  const segments = typeof name === 'string' ? name.split('/') : [];
  const valid =
    segments.length > 0 &&
    segments.length <= MAX_SEGMENTS &&
    segments.every((segment) => SEGMENT.test(segment) && !segment.includes('..'));
  if (!valid) {
    throw new SignerError('signer_name_invalid', 'signer key name is not a safe relative name');
  }
}
