const REDACTED = '[redacted]';
const MAX_DEPTH = 10;

// Segments that make a key secret wherever they appear in it.
const SECRET_ANYWHERE = new Set([
  'secret',
  'secrets',
  'password',
  'passwd',
  'passphrase',
  'pkcs8',
  'authorization',
  'cookie',
  'cookies',
  'credential',
  'credentials',
]);
// Segments that make a key secret when they end it: `hmac_key` is a key, `hmac_key_id` is not.
const SECRET_LAST = new Set([
  'token',
  'tokens',
  'key',
  'keys',
  'signature',
  'sig',
  'nonce',
  'nonces',
  'mac',
  'hmac',
  'jwt',
  'bearer',
]);
// Trailing segments that only say how a value is written: `private_key_pem` is still a key.
const ENCODING_SUFFIXES = new Set(['pem', 'der', 'hex', 'b64', 'base64', 'raw', 'bytes', 'buf']);
// Keys written as one word.
const SECRET_WORD_ENDINGS = ['token', 'secret', 'password', 'privatekey', 'hmackey', 'apikey'];

const JOIN_TOKEN = /zen1\.([0-9A-Za-z]{1,64})\.[0-9A-Za-z_-]+/g;
const PRIVATE_KEY_PEM = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):[^\s@/]+@/gi;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/**
 * Returns a copy of `value` that is safe to log: the value under any key whose name marks a
 * secret (case-insensitive: `secret`, `token` but not `token_id`, `hmac_key` but not
 * `hmac_key_id`, `key`, `private_key`, `password`, `authorization`, `zen-signature`,
 * `signature`, `nonce`, `mac`, `cookie`, `pkcs8`, ...) becomes `'[redacted]'`; in every string,
 * join tokens keep only their token id (`zen1.<token_id>.[redacted]`), PEM private key blocks
 * become `'[redacted private key]'`, and URL passwords and bearer credentials are cut out.
 * Objects, arrays and errors (message, stack, cause, own fields) are walked; cycles become
 * `'[circular]'`, nesting past 10 levels `'[truncated]'`, binary data `'[binary N bytes]'`.
 * The result is plain JSON data. This is a safety net, not a licence to log secrets.
 */
export function redactSecrets(value: unknown): unknown {
  return walk(value, 0, []);
}

/** Applies the value-shape rules of {@link redactSecrets} to one string. */
export function redactString(text: string): string {
  return text
    .replace(PRIVATE_KEY_PEM, '[redacted private key]')
    .replace(JOIN_TOKEN, (_match, tokenId: string) =>
      /^[0-9a-f]{16}$/i.test(tokenId) ? `zen1.${tokenId}.${REDACTED}` : `zen1.${REDACTED}`,
    )
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`);
}

/** True when the value under this key must never be logged. */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  while (words.length > 1 && ENCODING_SUFFIXES.has(words[words.length - 1])) words.pop();
  if (words.length === 0) return false;

  const last = words[words.length - 1];
  const isPublicKey = last === 'key' && words[words.length - 2] === 'public';
  if (words.some((word) => SECRET_ANYWHERE.has(word))) return true;
  if (SECRET_LAST.has(last) && !isPublicKey) return true;

  return words.length === 1 && SECRET_WORD_ENDINGS.some((ending) => last.endsWith(ending));
}

function walk(value: unknown, depth: number, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'string':
      return redactString(value);
    case 'bigint':
      return value.toString();
    case 'symbol':
    case 'function':
      return undefined;
    case 'object':
      return value === null ? null : walkObject(value, depth, ancestors);
    default:
      return value;
  }
}

function walkObject(value: object, depth: number, ancestors: object[]): unknown {
  if (ancestors.includes(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  // Raw bytes may be a key or a secret; their length is all a reader needs.
  if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();

  const inside = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, inside) ?? null);
  const source = value instanceof Error ? errorFields(value) : toJsonSource(value);
  if (source !== value) return walk(source, depth + 1, inside);

  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : walk(item, depth + 1, inside);
  }

  return out;
}

/** Error fields are not enumerable, so JSON would drop the message and stack. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack !== undefined) fields.stack = error.stack;
  if (error.cause !== undefined) fields.cause = error.cause;

  return { ...fields, ...Object.fromEntries(Object.entries(error)) };
}

function toJsonSource(value: object): unknown {
  const toJSON = (value as { toJSON?: unknown }).toJSON;

  return typeof toJSON === 'function' ? toJSON.call(value) : value;
}
