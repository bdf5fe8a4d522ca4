import { randomBytes } from 'node:crypto';

const SERIAL_BYTES = 16;

/**
 * A fresh certificate serial: 16 random bytes with the top bit cleared (so the DER INTEGER is
 * positive without a leading zero) and the next bit set (so it never shrinks below 16 bytes),
 * leaving 126 random bits, far above the 64 that PROTOCOL.md and CA/B rules ask for.
 */
export function randomSerial(): Buffer {
  const serial = randomBytes(SERIAL_BYTES);
  serial[0] = (serial[0] & 0x7f) | 0x40;

  return serial;
}

/** Serial as PROTOCOL.md writes it: lowercase hex of the positive integer, no leading `00`. */
export function serialHex(serial: Buffer): string {
  const hex = serial.toString('hex').replace(/^(00)+/, '');

  return hex === '' ? '00' : hex;
}
