import type { AuditEvidence } from './audit-record';

/**
 * Key names that denote secrets. A key equal to one of them, or ending in `_<name>`, is refused,
 * so `token_id` and `nonce_sha256` pass while `join_token` and `raw_nonce` do not.
 */
const SECRET_KEY_NAMES = [
  'hmac_key',
  'secret',
  'token',
  'nonce',
  'mac',
  'signature',
  'private_key',
  'password',
  'authorization',
] as const;

/** Key fragments refused wherever they appear in a key. */
const SECRET_KEY_FRAGMENTS = ['secret', 'private_key', 'password'] as const;

const EVIDENCE_KEY = /^[a-z][a-z0-9_]*$/;

/** Options of {@link normalizeEvidence}; only the checkpoint builder allows a signature. */
export interface NormalizeEvidenceOptions {
  allowSignature?: boolean;
}

/**
 * True when an evidence key names a secret (see {@link SECRET_KEY_NAMES}).
 * `signature` is allowed only when the caller says so (checkpoint records).
 */
export function isSecretEvidenceKey(key: string, options: NormalizeEvidenceOptions = {}): boolean {
  const lower = key.toLowerCase();
  if (options.allowSignature && lower === 'signature') return false;

  if (SECRET_KEY_FRAGMENTS.some((fragment) => lower.includes(fragment))) return true;

  return SECRET_KEY_NAMES.some((name) => lower === name || lower.endsWith(`_${name}`));
}

/**
 * Copies evidence into the form a record holds: snake_case keys, values that are strings,
 * safe integers, booleans or null. Other numbers (and bigints) become strings, as PROTOCOL.md
 * asks. Throws TypeError (a programmer error) for secret-named keys and for values of any other
 * type, so a secret or an object cannot be audited by mistake.
 */
export function normalizeEvidence(
  evidence: Readonly<Record<string, unknown>> | null | undefined,
  options: NormalizeEvidenceOptions = {},
): AuditEvidence | null {
  if (evidence === null || evidence === undefined) return null;

  if (typeof evidence !== 'object' || Array.isArray(evidence)) {
    throw new TypeError('audit evidence must be a plain object or null');
  }

  const result: AuditEvidence = {};
  for (const [key, value] of Object.entries(evidence)) {
    assertEvidenceKey(key, options);
    result[key] = normalizeEvidenceValue(key, value);
  }

  return result;
}

function assertEvidenceKey(key: string, options: NormalizeEvidenceOptions): void {
  if (!EVIDENCE_KEY.test(key)) {
    throw new TypeError(`audit evidence key is not snake_case: ${JSON.stringify(key)}`);
  }

  if (isSecretEvidenceKey(key, options)) {
    throw new TypeError(`audit evidence key names a secret and is refused: ${key}`);
  }
}

function normalizeEvidenceValue(key: string, value: unknown): string | number | boolean | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;

  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);

  if (typeof value === 'bigint') return value.toString();

  throw new TypeError(`audit evidence value of ${key} has type ${typeof value}`);
}
