import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

import { inject, injectable } from 'tsyringe';

import { SERVER_KEY } from './tokens';

const WRAP_INFO = 'zen-wrap-v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Wraps verifier HMAC keys with AES-256-GCM under `HKDF-SHA256(serverKey, "zen-wrap-v1")`, so
 * the store only ever holds ciphertext. The key id is the associated data: a wrapped key
 * copied under another id does not unwrap.
 */
@injectable()
export class KeyWrapper {
  private readonly wrapKey: Buffer;

  constructor(@inject(SERVER_KEY) serverKey: Buffer) {
    this.wrapKey = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), WRAP_INFO, 32));
  }

  /** Encrypts `key` for `hmacKeyId`; base64 of iv, ciphertext and tag. */
  wrap(hmacKeyId: string, key: Buffer): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.wrapKey, iv);
    cipher.setAAD(Buffer.from(hmacKeyId, 'utf8'));
    const body = Buffer.concat([cipher.update(key), cipher.final()]);

    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  }

  /** Decrypts a wrapped key; throws when it was not wrapped by this server key for this id. */
  unwrap(hmacKeyId: string, wrapped: string): Buffer {
    const data = Buffer.from(wrapped, 'base64');
    if (data.length < IV_BYTES + TAG_BYTES) throw new TypeError('wrapped key too short');
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.wrapKey, iv);
    decipher.setAAD(Buffer.from(hmacKeyId, 'utf8'));
    decipher.setAuthTag(tag);

    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, -TAG_BYTES)), decipher.final()]);
  }
}
